/**
 * Build-time readers for the raw price tables in ../shared/pricing-sources that the per-cloud
 * storage builders share (`StorageFacts.buildPrices`). Only `scripts/build-storage-prices.ts`
 * reaches this file (the builders load it lazily), so plans never parse CSV.
 *
 * Invariants: every tier list starts at 0 GiB and ascends; regions not in the cloud's region
 * table are dropped and counted in a note, never silently kept.
 */
import { readCsv, parsePositive, Tally } from "../clouds/snapshot-helpers";
import type { EgressTiers, RegionTable, Tier } from "./types";
import { TIERS } from "./types";

export const AWS_AZURE_EGRESS_FILE = "egress/aws-azure-internet-egress-tiers-2024-08.csv";

/**
 * Internet egress tiers per region for one provider of the combined AWS/Azure table. Rows repeat
 * a tier at two offsets in some regions (5 and 100 GB: the free allowance of two routing options);
 * consecutive equal rates collapse to the first, and starts are shifted so the first tier is 0
 * (free allowances are account-wide and shared with other traffic, so none is credited here).
 */
export function readInternetEgressTiers(sourcesDir: string, provider: string, regions: RegionTable, notes: string[]): Map<string, EgressTiers> {
  const rows = readCsv(sourcesDir, AWS_AZURE_EGRESS_FILE, ["provider", "region", "tier_start_gb", "usd_per_gb"]);
  const byRegion = new Map<string, Array<[number, number]>>();
  const dropped = new Tally();
  for (const row of rows) {
    if (row.provider !== provider) continue;
    const region = row.region!;
    const start = Number(row.tier_start_gb);
    const rate = parsePositive(row.usd_per_gb);
    if (!(region in regions)) {
      dropped.add(`${provider} egress rows for regions outside the region table (edge zones, government clouds, aggregates)`, region);
      continue;
    }
    if (!Number.isFinite(start) || rate === null) throw new Error(`${AWS_AZURE_EGRESS_FILE}: bad row for ${provider}/${region}`);
    byRegion.set(region, [...(byRegion.get(region) ?? []), [start, rate]]);
  }
  notes.push(...dropped.notes());
  const out = new Map<string, EgressTiers>();
  for (const region of [...byRegion.keys()].sort()) out.set(region, normaliseTiers(byRegion.get(region)!));
  return out;
}

/** Sorts tiers, collapses consecutive equal rates and shifts the first start to 0. */
export function normaliseTiers(raw: ReadonlyArray<readonly [number, number]>): EgressTiers {
  const sorted = [...raw].sort((a, b) => a[0] - b[0]);
  const collapsed: Array<[number, number]> = [];
  for (const [start, rate] of sorted) {
    const last = collapsed[collapsed.length - 1];
    if (last && last[1] === rate) continue;
    collapsed.push([start, rate]);
  }
  const offset = collapsed[0]?.[0] ?? 0;
  return collapsed.map(([start, rate]) => [start - offset, rate] as const);
}

/** Checks a hand-curated $/GiB-month table: every listed region is known and has all four tiers. */
export function checkListPrices(table: Readonly<Record<string, Readonly<Record<Tier, number>>>>, regions: RegionTable, what: string): Record<string, Record<Tier, number>> {
  const out: Record<string, Record<Tier, number>> = {};
  for (const region of Object.keys(table).sort()) {
    if (!(region in regions)) throw new Error(`${what}: ${region} is not in the region table`);
    const prices = table[region]!;
    for (const tier of TIERS) {
      if (!(prices[tier] > 0)) throw new Error(`${what}: ${region} has no ${tier} price`);
    }
    // Colder tiers must be cheaper to store, or the lifecycle would raise the bill.
    for (let i = 1; i < TIERS.length; i++) {
      if (!(prices[TIERS[i]!] < prices[TIERS[i - 1]!])) throw new Error(`${what}: ${region} ${TIERS[i]} is not cheaper than ${TIERS[i - 1]}`);
    }
    out[region] = { hot: prices.hot, cool: prices.cool, cold: prices.cold, archive: prices.archive };
  }
  return out;
}
