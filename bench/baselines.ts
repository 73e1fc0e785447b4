/**
 * The plans a user would otherwise make, to price the optimizer against:
 * - singleType: the cheapest single instance type in one region, on-demand (what SkyPilot does
 *   for a task): ceil(replicas / fit) instances of the best (provider, region, type);
 * - greedy: "cheapest per replica first": walk options by $/replica and fill each up to what the
 *   spec's provider, spot and quota caps still allow, the last instance rounded up.
 * Both read the same eligible options as the optimizer (options.ts), so only the choice differs.
 */
import type { WorkloadSpec } from "../core/spec/schema";
import type { Catalog } from "../core/catalog/offer";
import { placementOptions } from "../core/optimizer/options";
import { compareOptions } from "../core/optimizer/option-order";
import { constraintsOfSpec, providerReplicaCap, spotReplicaCap } from "../core/optimizer/model";

export interface BaselinePlan {
  hourlyUsd: number;
}

export function singleTypeBaseline(spec: WorkloadSpec, catalog: Catalog): BaselinePlan | undefined {
  const { options } = placementOptions(spec, catalog.offers);
  let best: number | undefined;
  for (const o of options) {
    if (o.lifecycle !== "on-demand") continue;
    const cost = Math.ceil(spec.demand.replicas / o.fit) * o.hourlyUsd;
    if (best === undefined || cost < best) best = cost;
  }
  return best === undefined ? undefined : { hourlyUsd: best };
}

export function greedyBaseline(spec: WorkloadSpec, catalog: Catalog): BaselinePlan | undefined {
  const { options } = placementOptions(spec, catalog.offers);
  const c = constraintsOfSpec(spec);
  const R = spec.demand.replicas;
  const providerLeft = new Map<string, number>();
  const quotaLeft = new Map(Object.entries(c.quotas));
  let spotLeft = spotReplicaCap(R, c);
  let left = R;
  let cost = 0;
  const byRate = [...options].sort((a, b) => a.hourlyUsd / a.fit - b.hourlyUsd / b.fit || compareOptions(a, b));
  for (const o of byRate) {
    if (left === 0) break;
    const p = o.offer.provider;
    let room = Math.min(left, providerLeft.get(p) ?? providerReplicaCap(R, c), o.lifecycle === "spot" ? spotLeft : left);
    const quotaKey = `${p}/${o.offer.region}`;
    const quota = quotaLeft.get(quotaKey);
    if (quota !== undefined) room = Math.min(room, Math.floor(quota / o.offer.vcpu) * o.fit);
    if (room <= 0) continue;
    const instances = Math.ceil(room / o.fit);
    cost += instances * o.hourlyUsd;
    left -= room;
    providerLeft.set(p, (providerLeft.get(p) ?? providerReplicaCap(R, c)) - room);
    if (o.lifecycle === "spot") spotLeft -= room;
    if (quota !== undefined) quotaLeft.set(quotaKey, quota - instances * o.offer.vcpu);
  }
  // Greedy has no notion of minProviders: where it ends on too few providers it has no valid plan.
  if (left > 0 || providerLeft.size < (c.minProviders ?? 1)) return undefined;
  return { hourlyUsd: cost };
}
