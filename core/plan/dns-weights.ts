/**
 * DNS weights (DESIGN.md "Traffic", `traffic.dns`): one weighted record per region of a plan, its
 * weight the plan's replicas there. Here, in the core, so that the component's records and the
 * failover drill (core/failover/drill.ts) read the same numbers. Pure.
 */
import type { Plan } from "./plan";

/**
 * Route 53's largest weight: "Enter an integer between 0 and 255"
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-weighted-alias.html;
 * API: ResourceRecordSet.Weight {min 0, max 255},
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html).
 */
export const MAX_DNS_WEIGHT = 255;

export interface RegionDnsWeight {
  provider: string;
  region: string;
  /** The plan's replicas in the region. */
  replicas: number;
  /** The record's weight: `replicas`, scaled down when a region exceeds MAX_DNS_WEIGHT. */
  weight: number;
}

/**
 * One weight per region of the plan (sorted by provider, then region): the region's planned
 * replicas. When any region has more than MAX_DNS_WEIGHT replicas, every weight is scaled by
 * MAX_DNS_WEIGHT / (the largest region's replicas) and rounded to the nearest integer (halves up),
 * but never below 1: a weight of 0 would stop a region that has replicas from being answered
 * ("To stop sending traffic to a resource, you can change the weight for that record to 0"), so a
 * small region keeps 1 and its share is slightly overstated. The largest region gets exactly
 * MAX_DNS_WEIGHT. Deterministic: the same plan always gives the same weights.
 */
export function dnsWeights(plan: Pick<Plan, "allocations">): RegionDnsWeight[] {
  const replicas = new Map<string, RegionDnsWeight>();
  for (const a of plan.allocations) {
    if (a.replicas <= 0) continue;
    const key = `${a.provider}/${a.region}`;
    const entry = replicas.get(key) ?? { provider: a.provider, region: a.region, replicas: 0, weight: 0 };
    entry.replicas += a.replicas;
    replicas.set(key, entry);
  }
  const regions = [...replicas.values()].sort((a, b) => (a.provider === b.provider ? compare(a.region, b.region) : compare(a.provider, b.provider)));
  const largest = Math.max(0, ...regions.map((r) => r.replicas));
  for (const r of regions) {
    r.weight = largest <= MAX_DNS_WEIGHT ? r.replicas : Math.max(1, Math.min(MAX_DNS_WEIGHT, Math.round((r.replicas * MAX_DNS_WEIGHT) / largest)));
  }
  return regions;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
