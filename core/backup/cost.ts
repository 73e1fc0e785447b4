/**
 * The monthly cost of keeping a backup in one destination, as a breakdown (pure).
 *
 *   monthly = storage + egress + operations
 *   storage    = sum over lifecycle stages of GiB in the stage x the destination's $/GiB-month
 *                for the stage's tier (steady state, `gibByStage`)
 *              + noncurrent versions: every destination is versioned, so each rewritten object
 *                keeps its previous version for `retentionDays`; at steady state that is
 *                dailyChangeGiB x retentionDays GiB, priced at the hot tier (the lifecycle rules
 *                tier current versions only). `dailyChangeGiB` counts new and rewritten data
 *                alike, so this is an upper bound: all-new data leaves no old versions.
 *   egress     = internet egress of the monthly change (dailyChangeGiB x DAYS_PER_MONTH) from
 *                the source region, through the source's price tiers for the destination's country
 *   operations = requests (writes at the destination, reads at the source, the transfer's
 *                listings of both sides every run, lifecycle transitions) + the destination's
 *                transfer-service fees (per GiB copied, per run)
 *
 * Objects are counted from `averageObjectMiB`. Every figure is kept unrounded here; plans round.
 * Retrieval and restore charges are not part of the monthly cost: they are paid on a restore.
 */
import { InternalError } from "../util/errors";
import { HOURS_PER_MONTH } from "../util/units";
import { gibByStage, lifecycleStages, reachesStage } from "./lifecycle";
import type { ProviderStoragePrices, StoragePrices } from "./prices";
import { runsPerMonth, transferSchedule } from "./schedule";
import type { CloudSet } from "../clouds/cloud-set";
import type { BackupSpec } from "./spec";
import type { EgressTiers } from "./types";

/** One month, as plans count it everywhere: 730 hours (HOURS_PER_MONTH), so 30.4167 days. */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** Objects per LIST page on every cloud's API (Azure allows 5,000; 1,000 is the common floor). */
export const LIST_PAGE = 1000;

export interface Place {
  provider: string;
  region: string;
}

export type CostCategory = "storage" | "egress" | "operations";

export interface CostItem {
  category: CostCategory;
  item: string;
  /** How the figure was computed, for people (`512 GiB x $0.0036/GiB-month`). */
  detail: string;
  usd: number;
}

export interface CostEstimate extends Place {
  monthlyUsd: number;
  storageUsd: number;
  egressUsd: number;
  operationsUsd: number;
  items: CostItem[];
  /** One-off cost of the first full copy (egress, transfer fees and requests for `sizeGiB`). */
  initialCopyUsd: number;
}

export function providerPrices(prices: StoragePrices, provider: string): ProviderStoragePrices {
  const p = prices.providers[provider];
  if (!p) throw new InternalError(`the storage price snapshot has no prices for ${provider}`);
  return p;
}

/** Cost of `gib` GiB through ascending tiers (each rate applies from its start to the next start). */
export function tieredCost(gib: number, tiers: EgressTiers): number {
  let usd = 0;
  tiers.forEach(([start, rate], i) => {
    const end = tiers[i + 1]?.[0] ?? Infinity;
    if (gib > start) usd += (Math.min(gib, end) - start) * rate;
  });
  return usd;
}

/** The source region's egress tiers toward the destination's country (or worldwide). */
export function egressTiers(prices: StoragePrices, source: Place, destination: Place, clouds: CloudSet): EgressTiers {
  const table = providerPrices(prices, source.provider).egress[source.region];
  if (!table) throw new InternalError(`no egress prices for ${source.provider}/${source.region}`);
  const country = clouds.placeOf(destination.provider, destination.region)?.[1];
  const tiers = (country !== undefined ? table[country] : undefined) ?? table.worldwide;
  if (!tiers) throw new InternalError(`no worldwide egress tiers for ${source.provider}/${source.region}`);
  return tiers;
}

const fmt = (n: number): string => Number(n.toPrecision(6)).toLocaleString("en-US", { maximumFractionDigits: 6 });

export function estimateCost(spec: BackupSpec, destination: Place, prices: StoragePrices, clouds: CloudSet): CostEstimate {
  const source: Place = { provider: spec.source.provider, region: spec.source.region };
  const dst = providerPrices(prices, destination.provider);
  const src = providerPrices(prices, source.provider);
  const storagePrices = dst.storage[destination.region];
  const fee = dst.transfer[source.provider];
  if (!storagePrices || !fee) throw new InternalError(`no storage or transfer prices for ${destination.provider}/${destination.region} from ${source.provider}`);
  const classes = clouds.get(destination.provider).storage.classes;
  const items: CostItem[] = [];
  const add = (category: CostCategory, item: string, detail: string, usd: number) => items.push({ category, item, detail, usd });

  const stages = lifecycleStages(spec.archiveAfterDays);
  gibByStage(stages, spec.sizeGiB, spec.dailyChangeGiB).forEach((gib, i) => {
    const tier = stages[i]!.tier;
    add("storage", `${classes[tier]} storage`, `${fmt(gib)} GiB x $${storagePrices[tier]}/GiB-month`, gib * storagePrices[tier]);
  });

  const noncurrentGiB = spec.dailyChangeGiB * spec.retentionDays;
  if (noncurrentGiB > 0) {
    add(
      "storage",
      `noncurrent versions (${spec.retentionDays} days)`,
      `${fmt(spec.dailyChangeGiB)} GiB/day x ${spec.retentionDays} days = ${fmt(noncurrentGiB)} GiB x $${storagePrices.hot}/GiB-month`,
      noncurrentGiB * storagePrices.hot,
    );
  }

  const monthlyGiB = spec.dailyChangeGiB * DAYS_PER_MONTH;
  const tiers = egressTiers(prices, source, destination, clouds);
  add("egress", `internet egress from ${source.provider}/${source.region}`, `${fmt(monthlyGiB)} GiB/month through tiers from $${tiers[0]?.[1]}/GiB`, tieredCost(monthlyGiB, tiers));

  const objectsChanged = (monthlyGiB * 1024) / spec.averageObjectMiB;
  const objectsTotal = (spec.sizeGiB * 1024) / spec.averageObjectMiB;
  const runs = runsPerMonth(transferSchedule(spec.rpoHours));
  const listCalls = runs * Math.max(1, Math.ceil(objectsTotal / LIST_PAGE));
  const per10k = (n: number, price: number) => (n / 10_000) * price;
  add("operations", "writes at the destination", `${fmt(objectsChanged)} objects x $${dst.operations.hot.writePer10kUsd}/10k`, per10k(objectsChanged, dst.operations.hot.writePer10kUsd));
  add("operations", "reads at the source", `${fmt(objectsChanged)} objects x $${src.operations.hot.readPer10kUsd}/10k`, per10k(objectsChanged, src.operations.hot.readPer10kUsd));
  add(
    "operations",
    "listings of source and destination",
    `${fmt(listCalls)} LIST calls on each side ($${src.operations.hot.writePer10kUsd} + $${dst.operations.hot.writePer10kUsd} per 10k)`,
    per10k(listCalls, src.operations.hot.writePer10kUsd + dst.operations.hot.writePer10kUsd),
  );
  for (const stage of stages.slice(1)) {
    if (!reachesStage(stage, spec.sizeGiB, spec.dailyChangeGiB)) continue;
    const price = dst.operations[stage.tier].writePer10kUsd;
    add("operations", `transitions to ${classes[stage.tier]}`, `${fmt(objectsChanged)} objects x $${price}/10k`, per10k(objectsChanged, price));
  }
  const service = clouds.get(destination.provider).storage.transferService;
  add("operations", `${service} fees`, `${fmt(monthlyGiB)} GiB x $${fee.perGiBUsd} + ${fmt(runs)} runs x $${fee.perRunUsd}`, monthlyGiB * fee.perGiBUsd + runs * fee.perRunUsd);

  const sum = (c: CostCategory) => items.filter((i) => i.category === c).reduce((s, i) => s + i.usd, 0);
  const storageUsd = sum("storage");
  const egressUsd = sum("egress");
  const operationsUsd = sum("operations");
  const initialCopyUsd =
    tieredCost(spec.sizeGiB, tiers) +
    spec.sizeGiB * fee.perGiBUsd +
    per10k(objectsTotal, src.operations.hot.readPer10kUsd + dst.operations.hot.writePer10kUsd);
  return { ...destination, monthlyUsd: storageUsd + egressUsd + operationsUsd, storageUsd, egressUsd, operationsUsd, items, initialCopyUsd };
}
