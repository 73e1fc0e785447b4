/**
 * Builds GCP's part of the embedded price snapshot from the Cyclenerd price table flattened to
 * one row per machine type and region (see ../shared/pricing-sources/README.md). Both on-demand
 * and spot prices are observed list prices of the same date.
 */
import type { Arch, InstanceOffer } from "../../core/catalog/offer";
import type { SnapshotBuild, SnapshotCitation } from "../../core/clouds/adapter";
import { gcpGpuModel } from "./gpu-types";
import {
  Tally,
  applyConsensusSpecs,
  isWholeGpuCount,
  parseNumber,
  parsePositive,
  readCsv,
  roundPrice,
  sortRows,
  spotNote,
  type CsvRow,
} from "../../core/clouds/snapshot-helpers";

const FILE = "gcp/vms-2026-07.csv";
const DATE = "2026-07-30";
const COLUMNS = ["InstanceType", "vCPUs", "MemoryGiB", "AcceleratorName", "AcceleratorCount", "Region", "Price", "SpotPrice"];

export const GCP_SOURCES: readonly SnapshotCitation[] = [
  {
    file: FILE,
    what: "Compute Engine on-demand and spot $/h per machine type and region with vCPU, memory and attached accelerators (flattened from the Cyclenerd pricing.yml)",
    origin: "Cyclenerd/google-cloud-pricing-cost-calculator",
    licence: "Apache-2.0",
    asOf: DATE,
  },
];

/** Arm (Ampere Altra, Google Axion) families; every other family in the table is x86_64. */
const ARM_FAMILIES: ReadonlySet<string> = new Set(["t2a", "c4a", "n4a"]);

/** Custom machine types are priced per vCPU/GiB, not as a fixed shape a plan can pick. */
const CUSTOM = /^custom/;

function arch(instanceType: string): Arch {
  return ARM_FAMILIES.has(instanceType.split("-")[0] ?? "") ? "arm64" : "x86_64";
}

/** Turns one table row into an offer, or counts why it cannot be one. */
function toOffer(row: CsvRow, tally: Tally): InstanceOffer | null {
  const instanceType = row.InstanceType ?? "";
  if (CUSTOM.test(instanceType)) return drop(tally, "rows dropped: custom machine types", instanceType);
  const price = parsePositive(row.Price);
  if (price === null) return drop(tally, "rows dropped: no on-demand price (0 or empty)", instanceType);
  const vcpu = parsePositive(row.vCPUs);
  const memoryGiB = parsePositive(row.MemoryGiB);
  if (vcpu === null || memoryGiB === null) return drop(tally, "rows dropped: no vCPU/memory", instanceType);
  const gpus = parseNumber(row.AcceleratorCount) ?? 0;
  const accelerator = (row.AcceleratorName ?? "").toLowerCase();
  if (!isWholeGpuCount(gpus)) return drop(tally, "rows dropped: fractional-GPU machine types (the catalog counts whole GPUs)", instanceType);
  if (gpus > 0 && accelerator === "") return drop(tally, "rows dropped: accelerator count without a name", instanceType);
  const spot = parsePositive(row.SpotPrice);
  if (spot === null) tally.add("rows without a spot price (empty or 0)", instanceType);
  return {
    provider: "gcp",
    region: row.Region ?? "",
    instanceType,
    vcpu,
    memoryGiB,
    gpus,
    gpuType: gpus > 0 ? gcpGpuModel(accelerator) : null,
    arch: arch(instanceType),
    burstable: false, // set from the adapter's rule by scripts/build-snapshot.ts (importing ./index here would be a cycle)
    onDemandHourlyUsd: roundPrice(price),
    spotHourlyUsd: spot === null ? null : roundPrice(spot),
    spotEstimated: false, // observed spot list price
  };
}

function drop(tally: Tally, reason: string, example: string): null {
  tally.add(reason, example);
  return null;
}

export function buildGcpSnapshot(sourcesDir: string): SnapshotBuild {
  const tally = new Tally();
  const offers: InstanceOffer[] = [];
  for (const row of readCsv(sourcesDir, FILE, COLUMNS)) {
    const offer = toOffer(row, tally);
    if (offer) offers.push(offer);
  }
  const notes = [...tally.notes(), `arm64 families: ${[...ARM_FAMILIES].sort().join(", ")}; all others x86_64`];
  const rows = sortRows(applyConsensusSpecs(offers, notes));
  notes.push(spotNote(rows), `regions: ${new Set(rows.map((r) => r.region)).size}; all prices as of ${DATE}`);
  return { rows, asOf: DATE, regionAsOf: {}, sources: [...GCP_SOURCES], notes };
}
