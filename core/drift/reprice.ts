/**
 * A pinned plan at today's prices: what it would cost to leave it alone, and which of its
 * instance types today's catalog no longer offers (retired, or no spot offer any more). Pure.
 */
import { offerKey, type Catalog, type InstanceOffer } from "../catalog/offer";
import { unitPrice, type Plan, type PlanAllocation } from "../plan/plan";
import type { WorkloadSpec } from "../spec/schema";
import { discountedPrice } from "../optimizer/options";
import { HOURS_PER_MONTH } from "../util/units";

export interface Repriced {
  /** Monthly cost of the pinned plan at today's prices (retired types at their pinned price). */
  monthlyUsd: number;
  /** Allocations whose type (or its spot offer) today's catalog no longer has. */
  retired: PlanAllocation[];
  /** Allocations whose unit price moved, as "type: $old -> $new". */
  priceChanges: string[];
}

const index = new WeakMap<Catalog, Map<string, InstanceOffer>>();

function offerIndex(catalog: Catalog): Map<string, InstanceOffer> {
  let byKey = index.get(catalog);
  if (!byKey) {
    byKey = new Map(catalog.offers.map((o) => [offerKey(o), o]));
    index.set(catalog, byKey);
  }
  return byKey;
}

export function repricePlan(plan: Plan, spec: WorkloadSpec, catalog: Catalog): Repriced {
  const offers = offerIndex(catalog);
  let hourly = 0;
  const retired: PlanAllocation[] = [];
  const priceChanges: string[] = [];
  for (const a of plan.allocations) {
    const offer = offers.get(offerKey(a));
    const list = offer ? (a.lifecycle === "spot" ? offer.spotHourlyUsd : offer.onDemandHourlyUsd) : null;
    if (list === null) {
      retired.push(a);
      hourly += a.count * a.hourlyUsd;
      continue;
    }
    // Rounded as buildPlan rounds the pinned price, so an unchanged price compares equal.
    const today = unitPrice(discountedPrice(list, spec.providers[a.provider]?.discount ?? 0));
    if (Math.abs(today - a.hourlyUsd) > 1e-9) priceChanges.push(`${a.instanceType} ${a.lifecycle} in ${a.provider}/${a.region}: $${a.hourlyUsd} -> $${today}/h`);
    hourly += a.count * today;
  }
  // Fixed regional costs are list prices of the package's own table: the same today as when pinned.
  const overheads = (plan.overheads ?? []).reduce((sum, o) => sum + o.monthlyUsd, 0);
  return { monthlyUsd: Math.round((hourly * HOURS_PER_MONTH + overheads) * 100) / 100, retired, priceChanges };
}
