/**
 * Builds AWS's part of the embedded price snapshot from three public tables (see
 * ../shared/pricing-sources/README.md): 2026-07 on-demand prices for us-east-1 and GovCloud,
 * 2024-04 on-demand + average spot prices for every region, and the 2025-06 Spot Advisor savings.
 *
 * Merge rule (the README's caveat): on-demand = 2026 price where present, else 2024; spot = the
 * observed 2024 average, else on-demand x (1 - savings) from the advisor (marked estimated), else
 * none. A price of 0 or an empty cell means "not published".
 */
import { cmp, type InstanceOffer } from "../../core/catalog/offer";
import type { SnapshotBuild, SnapshotCitation } from "../../core/clouds/adapter";
import {
  Tally,
  consensusSpecs,
  normaliseArch,
  oldest,
  parseNumber,
  parsePositive,
  readCsv,
  roundEstimate,
  roundPrice,
  sample,
  sortRows,
  splitAsOf,
  spotNote,
  type CsvRow,
  type Spec,
} from "../../core/clouds/snapshot-helpers";
import { AWS_GPU_MODEL, NON_GPU_ACCELERATOR, awsFamily } from "./gpu-types";

const FILE_2024 = "aws/ec2-ondemand-spot-2024-04.csv";
const FILE_2026 = "aws/ec2-ondemand-us-east-1-and-gov-2026-07.csv";
const FILE_ADVISOR = "aws/spot-advisor-savings-2025-06.csv";
const DATE_2024 = "2024-04";
const DATE_2026 = "2026-07-20";
const DATE_ADVISOR = "2025-06";

const COLUMNS_2024 = ["region", "instance_type", "vcpu", "memory_gib", "gpu", "arch", "ondemand_usd_per_hour", "spot_avg_usd_per_hour"];
const COLUMNS_2026 = ["region", "instance_type", "vcpu", "memory_gib", "gpu", "arch", "ondemand_usd_per_hour"];
const COLUMNS_ADVISOR = ["region", "os", "instance_type", "spot_savings_pct_vs_ondemand"];

export const AWS_SOURCES: readonly SnapshotCitation[] = [
  {
    file: FILE_2024,
    what: "EC2 Linux on-demand and average spot $/h with vCPU, memory, GPU count and architecture, 31 regions + local zones",
    origin: "vantage-sh/ec2instances.info",
    licence: 'MIT, "Copyright (c) 2013 Garret Heaton"',
    asOf: DATE_2024,
  },
  {
    file: FILE_2026,
    what: "EC2 Linux on-demand $/h for us-east-1 and GovCloud with vCPU, memory, GPU count and architecture",
    origin: "aws/karpenter-provider-aws generated pricing; specs from Karpenter docs and kubernetes/autoscaler",
    licence: "Apache-2.0",
    asOf: DATE_2026,
  },
  {
    file: FILE_ADVISOR,
    what: "EC2 Spot Advisor: spot savings % vs on-demand per region, OS and type (Linux rows used)",
    origin: "AWS Spot Advisor feed via alexei-led/spotinfo",
    licence: "Apache-2.0",
    asOf: DATE_ADVISOR,
  },
];

/** Plain regions (`eu-west-1`, `us-gov-west-1`); local zones (`us-east-1-atl-1`) and wavelength zones do not match. */
const PLAIN_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d+$/;

/** Mac hosts (`mac1.metal`, `mac2-m2.metal` ...) run macOS on dedicated hosts, not Linux VMs. */
const MAC_TYPE = /^mac/;

/** One row of either on-demand table, before merging. */
interface Quote {
  region: string;
  instanceType: string;
  onDemand: number | null;
  /** Observed average spot (2024 table only). */
  spot: number | null;
  spec: Spec | null;
}


/** Spec of a table row, or null when a field is missing (it may then come from another row). */
function rowSpec(row: CsvRow, tally: Tally): Spec | null {
  const vcpu = parsePositive(row.vcpu);
  const memoryGiB = parsePositive(row.memory_gib);
  const reportedGpus = parseNumber(row.gpu);
  const arch = normaliseArch(row.arch);
  if (vcpu === null || memoryGiB === null || reportedGpus === null || arch === null) return null;
  const fam = awsFamily(row.instance_type ?? "");
  if (reportedGpus > 0 && NON_GPU_ACCELERATOR.test(fam)) tally.add("rows whose non-GPU accelerators (Inferentia, Trainium, Gaudi) are stored as gpus 0", fam);
  const gpus = NON_GPU_ACCELERATOR.test(fam) ? 0 : reportedGpus;
  // gpus > 0 with a null model (family not in AWS_GPU_MODEL) is dropped later, once per row.
  return { vcpu, memoryGiB, gpus, gpuType: gpus > 0 ? (AWS_GPU_MODEL[fam] ?? null) : null, arch };
}

/** Reads an on-demand table, dropping zones and mac types; returns quotes keyed `region/type`. */
function readQuotes(sourcesDir: string, file: string, columns: string[], hasSpot: boolean, tally: Tally): Map<string, Quote> {
  const quotes = new Map<string, Quote>();
  for (const row of readCsv(sourcesDir, file, columns)) {
    const region = row.region ?? "";
    const instanceType = row.instance_type ?? "";
    if (!PLAIN_REGION.test(region)) {
      tally.add("rows dropped: local or wavelength zone (e.g. us-east-1-atl-1, us-west-2-wl1-las1), not a region", region);
      continue;
    }
    if (MAC_TYPE.test(instanceType)) {
      tally.add("rows dropped: mac dedicated-host type, not Linux", instanceType);
      continue;
    }
    quotes.set(`${region}/${instanceType}`, {
      region,
      instanceType,
      onDemand: parsePositive(row.ondemand_usd_per_hour),
      spot: hasSpot ? parsePositive(row.spot_avg_usd_per_hour) : null,
      spec: rowSpec(row, tally),
    });
  }
  return quotes;
}

/** Linux spot savings % keyed `region/type`; values outside (0, 100) cannot give a spot price. */
function readAdvisor(sourcesDir: string, tally: Tally): Map<string, number> {
  const savings = new Map<string, number>();
  for (const row of readCsv(sourcesDir, FILE_ADVISOR, COLUMNS_ADVISOR)) {
    if (row.os !== "Linux") continue;
    const pct = parseNumber(row.spot_savings_pct_vs_ondemand);
    if (pct === null || pct <= 0 || pct >= 100) {
      tally.add("spot advisor Linux rows ignored: savings not in (0, 100)% (0 or negative means no usable estimate)", row.instance_type);
      continue;
    }
    savings.set(`${row.region}/${row.instance_type}`, pct);
  }
  return savings;
}

/** A merged row plus the dates of the prices it uses (for the region's as-of date). */
interface Merged {
  offer: InstanceOffer;
  dates: string[];
}

/** Applies the price precedence to one region/type; null when there is no on-demand price. */
function mergeQuote(
  key: string,
  q2026: Quote | undefined,
  q2024: Quote | undefined,
  spec: Spec,
  savings: ReadonlyMap<string, number>,
  tally: Tally,
): Merged | null {
  const base = (q2026 ?? q2024)!;
  const from2026 = q2026?.onDemand ?? null;
  const onDemand = from2026 ?? q2024?.onDemand ?? null;
  if (onDemand === null) {
    tally.add("rows dropped: no on-demand price (0 or empty in every table)", base.instanceType);
    return null;
  }
  const onDemandDate = from2026 !== null ? DATE_2026 : DATE_2024;
  tally.add(from2026 !== null ? "on-demand prices from the 2026-07 table" : "on-demand prices from the 2024-04 table");

  let spot: number | null = q2024?.spot ?? null;
  let spotEstimated = false;
  let spotDate: string | null = spot !== null ? DATE_2024 : null;
  if (spot !== null && spot >= onDemand) {
    // A 2024 spot average at or above a (newer) on-demand price is not a spot discount any more.
    tally.add("observed 2024 spot prices ignored: not below the on-demand price used", base.instanceType);
    spot = null;
    spotDate = null;
  }
  const pct = savings.get(key);
  if (spot === null && pct !== undefined) {
    spot = roundEstimate(onDemand * (1 - pct / 100));
    spotEstimated = true;
    spotDate = DATE_ADVISOR;
  }
  const offer: InstanceOffer = {
    provider: "aws",
    region: base.region,
    instanceType: base.instanceType,
    ...spec,
    burstable: false, // set from the adapter's rule by scripts/build-snapshot.ts (importing ./index here would be a cycle)
    onDemandHourlyUsd: roundPrice(onDemand),
    spotHourlyUsd: spot === null ? null : roundPrice(spot),
    spotEstimated,
  };
  return { offer, dates: spotDate === null ? [onDemandDate] : [onDemandDate, spotDate] };
}

export function buildAwsSnapshot(sourcesDir: string): SnapshotBuild {
  const tally = new Tally();
  const quotes2026 = readQuotes(sourcesDir, FILE_2026, COLUMNS_2026, false, tally);
  const quotes2024 = readQuotes(sourcesDir, FILE_2024, COLUMNS_2024, true, tally);
  const savings = readAdvisor(sourcesDir, tally);

  // A type is the same machine in every region and table: vote, so rows lacking specs inherit them.
  const votes = [...quotes2026.values(), ...quotes2024.values()].flatMap((q) => (q.spec ? [{ instanceType: q.instanceType, spec: q.spec }] : []));
  const { specs, disagreeing } = consensusSpecs(votes);

  const merged: Merged[] = [];
  const keys = new Set([...quotes2026.keys(), ...quotes2024.keys()]);
  for (const key of keys) {
    const q2026 = quotes2026.get(key);
    const q2024 = quotes2024.get(key);
    const instanceType = (q2026 ?? q2024)!.instanceType;
    const spec = specs.get(instanceType);
    if (!spec) {
      tally.add("rows dropped: no vCPU/memory/architecture in any table", instanceType);
      continue;
    }
    if (spec.gpus > 0 && spec.gpuType === null) {
      tally.add("rows dropped: GPU count without a known GPU model for the family", instanceType);
      continue;
    }
    if (!(q2026?.spec ?? q2024?.spec)) tally.add("rows without specs in their own table row, given the type's specs from other rows", instanceType);
    const m = mergeQuote(key, q2026, q2024, spec, savings, tally);
    if (m) merged.push(m);
  }

  const rows = sortRows(merged.map((m) => m.offer));
  const { asOf, regionAsOf } = splitAsOf(regionDates(merged));
  return { rows, asOf, regionAsOf, sources: [...AWS_SOURCES], notes: notes(tally, disagreeing, rows, merged, savings, asOf, regionAsOf) };
}

/**
 * A region is as old as the oldest price it uses (plans report how old their prices are), so a
 * region mixing 2026 on-demand with 2024 spot prices is dated 2024-04.
 */
function regionDates(merged: readonly Merged[]): Map<string, string> {
  const byRegion = new Map<string, string>();
  for (const m of merged) {
    const known = byRegion.get(m.offer.region);
    byRegion.set(m.offer.region, oldest(known === undefined ? m.dates : [known, ...m.dates]));
  }
  return byRegion;
}

function notes(
  tally: Tally,
  disagreeing: readonly string[],
  rows: readonly InstanceOffer[],
  merged: readonly Merged[],
  savings: ReadonlyMap<string, number>,
  asOf: string,
  regionAsOf: Record<string, string>,
): string[] {
  const regions = new Set(rows.map((r) => r.region));
  const advisorOnly = [...new Set([...savings.keys()].map((k) => k.split("/")[0]!))].filter((r) => !regions.has(r)).sort(cmp);
  const families = [...new Set(rows.filter((r) => r.gpus > 0).map((r) => awsFamily(r.instanceType)))].sort(cmp);
  return [
    ...tally.notes(),
    `instance types whose specs differed between rows (most common kept): ${disagreeing.length}${disagreeing.length ? ` (${sample(disagreeing)})` : ""}`,
    `GPU models (the AWS tables give only a count), by family: ${families.map((f) => `${f} ${AWS_GPU_MODEL[f]}`).join(", ")}`,
    `spot advisor regions without any on-demand price (no spot estimate possible, left out): ${advisorOnly.join(", ") || "none"}`,
    spotNote(rows),
    `regions: ${regions.size}; prices as of ${asOf} except ${Object.entries(regionAsOf).map(([r, d]) => `${r} ${d}`).join(", ") || "none"}. ` +
      "A region is dated by its oldest price, on-demand or spot, since plans report how old their prices are. " +
      `Regions mixing price dates: ${mixedDates(merged)}.`,
  ];
}

/** Regions using prices of several dates, grouped by their set of dates (`2024-04 + 2025-06: af-south-1, ...`). */
function mixedDates(merged: readonly Merged[]): string {
  const dates = new Map<string, Set<string>>();
  for (const m of merged) {
    const set = dates.get(m.offer.region) ?? new Set<string>();
    for (const d of m.dates) set.add(d);
    dates.set(m.offer.region, set);
  }
  const groups = new Map<string, string[]>();
  for (const [region, set] of dates) {
    if (set.size < 2) continue;
    const key = [...set].sort(cmp).join(" + ");
    groups.set(key, [...(groups.get(key) ?? []), region]);
  }
  const parts = [...groups].sort(([a], [b]) => cmp(a, b)).map(([key, regions]) => `${key}: ${regions.sort(cmp).join(", ")}`);
  return parts.join("; ") || "none";
}
