/**
 * Cloud Storage facts for backups: class names per tier, request prices (hand-curated: the open
 * tables carry storage and egress only), what Storage Transfer Service can read, and the builder
 * that takes GCS storage and egress prices from the openly licensed Cyclenerd tables.
 *
 * Request prices were transcribed by hand from https://cloud.google.com/storage/pricing (regional
 * buckets, Class A / Class B per 10,000 operations) and transfer fees from
 * https://cloud.google.com/storage-transfer/pricing ("agentless transfers: no charges"), as of
 * `asOf`, offline: check them against those pages whenever the snapshot is refreshed.
 */
import type { EgressTiers, StorageFacts, StoragePriceBuild, Tier } from "../../core/backup/types";
import { checkListPrices } from "../../core/backup/price-sources";
import { parsePositive, readCsv, Tally } from "../../core/clouds/snapshot-helpers";
import { gcpRegions } from "./geography";

export const GCS_FACTS_AS_OF = "2026-07-01";
const STORAGE_FILE = "gcp/object-storage-gb-month-2026-07.csv";
const EGRESS_FILE = "egress/gcp-internet-egress-2026-07.csv";

/** CSV class names (the source spells archive `archiv`) for each tier. */
const CSV_CLASS: Readonly<Record<string, Tier>> = { standard: "hot", nearline: "cool", coldline: "cold", archiv: "archive" };

/** Tier starts in GiB for the table's TiB bands. */
const EGRESS_BANDS: Readonly<Record<string, number>> = { "0-1": 0, "1-10": 1024, "10n": 10240 };

/** The table's destination zones: priced per country where it differs from the rest of the world. */
const EGRESS_DESTINATIONS: Readonly<Record<string, string>> = { worldwide: "worldwide", australia: "AU", china: "CN" };

export const gcpStorage: StorageFacts = {
  storeKind: "GCS bucket",
  transferService: "Storage Transfer Service",
  classes: { hot: "STANDARD", cool: "NEARLINE", cold: "COLDLINE", archive: "ARCHIVE" },
  asOf: GCS_FACTS_AS_OF,
  pricingPages: ["https://cloud.google.com/storage/pricing", "https://cloud.google.com/storage-transfer/pricing"],
  operations: {
    // Class A (writes, lists, class changes into the class) and Class B (reads), regional buckets.
    hot: { writePer10kUsd: 0.05, readPer10kUsd: 0.004 },
    cool: { writePer10kUsd: 0.1, readPer10kUsd: 0.01 },
    cold: { writePer10kUsd: 0.2, readPer10kUsd: 0.1 },
    archive: { writePer10kUsd: 0.5, readPer10kUsd: 0.5 },
  },
  routes: {
    aws: {
      fee: { perGiBUsd: 0, perRunUsd: 0 },
      how: "Storage Transfer Service, agentless: S3 read through an IAM role that trusts the transfer service account by web identity (no long-lived keys)",
      requires: [],
    },
    azure: {
      fee: { perGiBUsd: 0, perRunUsd: 0 },
      how: "Storage Transfer Service, agentless: the container read with a read/list SAS held as a Pulumi secret",
      requires: [],
    },
  },
  sourceRequires: [{ field: "source.bucket", why: "the GCS bucket to back up" }],
  unsupported: {
    lockRetention:
      "a locked retention on GCS is a bucket retention policy, which forbids Object Versioning, so every changed object younger than the retention would fail to copy: an immutable GCS copy keeps versions under soft delete instead (see the plan's note); set lockRetention: false or pin an aws destination (S3 Object Lock in COMPLIANCE mode)",
  },
  notes: [
    {
      when: "immutable",
      note: "Cloud Storage forbids Object Versioning with a bucket retention policy, so an immutable GCS copy keeps every version (versioning, noncurrent versions deleted after retentionDays) and protects deletions with soft delete for min(retentionDays, 90) days (at least 7): a deleted or replaced version stays restorable that long; Storage Transfer Service cannot set per-object retention (Object Retention Lock)",
    },
  ],
  buildPrices: (dir) => buildGcpStoragePrices(dir),
};

function buildGcpStoragePrices(sourcesDir: string): StoragePriceBuild {
  const notes: string[] = [];
  const dropped = new Tally();

  const partial: Record<string, Partial<Record<Tier, number>>> = {};
  for (const row of readCsv(sourcesDir, STORAGE_FILE, ["Class", "Location", "PricePerGBMonth"])) {
    const tier = CSV_CLASS[row.Class!];
    const price = parsePositive(row.PricePerGBMonth);
    if (!tier) {
      dropped.add("GCS storage rows for dual-/multi-region or DRA classes", row.Class);
      continue;
    }
    if (!(row.Location! in gcpRegions)) {
      dropped.add("GCS storage rows for locations outside the region table", row.Location);
      continue;
    }
    if (price === null) throw new Error(`${STORAGE_FILE}: bad price for ${row.Class}/${row.Location}`);
    (partial[row.Location!] ??= {})[tier] = price;
  }
  const complete: Record<string, Record<Tier, number>> = {};
  for (const [region, prices] of Object.entries(partial)) {
    if (prices.hot && prices.cool && prices.cold && prices.archive) complete[region] = prices as Record<Tier, number>;
    else dropped.add("GCS regions without all four classes", region);
  }
  const storage = checkListPrices(complete, gcpRegions, STORAGE_FILE);

  const bands = new Map<string, Map<string, Array<[number, number]>>>();
  for (const row of readCsv(sourcesDir, EGRESS_FILE, ["Destination", "TierTiB", "SourceRegion", "PricePerGB"])) {
    const destination = EGRESS_DESTINATIONS[row.Destination!];
    const start = EGRESS_BANDS[row.TierTiB!];
    const price = parsePositive(row.PricePerGB);
    if (destination === undefined || start === undefined || price === null) throw new Error(`${EGRESS_FILE}: unexpected row ${JSON.stringify(row)}`);
    if (!(row.SourceRegion! in gcpRegions)) {
      dropped.add("GCP egress rows for regions outside the region table", row.SourceRegion);
      continue;
    }
    const byDestination = bands.get(row.SourceRegion!) ?? new Map<string, Array<[number, number]>>();
    byDestination.set(destination, [...(byDestination.get(destination) ?? []), [start, price]]);
    bands.set(row.SourceRegion!, byDestination);
  }
  const egress: StoragePriceBuild["egress"] = {};
  for (const region of [...bands.keys()].sort()) {
    const table: Record<string, EgressTiers> = {};
    for (const [destination, tiers] of [...bands.get(region)!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      table[destination] = [...tiers].sort((a, b) => a[0] - b[0]);
    }
    egress[region] = table;
  }
  notes.push(...dropped.notes(), `GCS storage for ${Object.keys(storage).length} regions (STANDARD, NEARLINE, COLDLINE, ARCHIVE); internet egress tiers 0-1, 1-10 and 10+ TiB, with Australia and China priced apart`);
  return {
    storage,
    egress,
    asOf: { storage: "2026-07-30", egress: "2026-07-30" },
    curated: ["request prices per class", "Storage Transfer Service fees"],
    sources: [
      { file: STORAGE_FILE, what: "GCS $/GB-month per storage class and location", origin: "Cyclenerd/google-cloud-pricing-cost-calculator", licence: "Apache-2.0", asOf: "2026-07-30" },
      { file: EGRESS_FILE, what: "GCP internet egress tiers per source region and destination zone", origin: "Cyclenerd/google-cloud-pricing-cost-calculator", licence: "Apache-2.0", asOf: "2026-07-30" },
    ],
    notes,
  };
}
