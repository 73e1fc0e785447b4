/**
 * Fixed costs per region used (DESIGN.md "Plan", `overheads`): what the component creates once in
 * every region of a plan when the spec asks for it, priced by each cloud's adapter
 * (`CloudAdapter.overheads`). Only `traffic` asks today: a regional load balancer, and NAT in the
 * networks the component creates. NAT is counted for every region because the component creates
 * each region's network unless told otherwise; with networks of your own the plan overstates it
 * (your NAT is already paid for). Without `traffic` there are no overheads and plans are unchanged.
 *
 * With `traffic.dns` and internet-facing load balancers, each region also costs the DNS health
 * check of its load balancer, priced by the cloud that steers DNS (the first whose overheads price
 * DNS health checks) whichever cloud the region is on. Internal load balancers get no health check
 * (DNS health checkers cannot reach private addresses: clouds/aws/dns.ts), hence no such cost.
 */
import type { CloudSet } from "../clouds/cloud-set";
import type { OverheadItem, OverheadNeeds } from "../clouds/adapter";
import type { WorkloadSpec } from "../spec/schema";
import { resolveTraffic } from "../spec/traffic";

/** The fixed costs of using one region (empty: none). */
export type RegionOverheads = (provider: string, region: string) => readonly OverheadItem[];

export function overheadNeeds(spec: WorkloadSpec): OverheadNeeds | undefined {
  if (!spec.traffic) return undefined;
  const needs: OverheadNeeds = { loadBalancer: true, publicLoadBalancer: spec.traffic.public, nat: true };
  if (spec.traffic.dns && spec.traffic.public) {
    const check = resolveTraffic(spec.traffic).healthCheck;
    needs.dnsHealthCheck = { https: check.protocol === "https", fastInterval: check.intervalSeconds === 10 };
  }
  return needs;
}

/** The spec's per-region fixed costs on these clouds, or undefined when the spec asks for none. */
export function overheadsFor(spec: WorkloadSpec, clouds: CloudSet): RegionOverheads | undefined {
  const needs = overheadNeeds(spec);
  if (!needs) return undefined;
  const dnsFacts = needs.dnsHealthCheck ? clouds.adapters.find((c) => c.overheads?.dnsHealthCheckItems)?.overheads : undefined;
  const cache = new Map<string, readonly OverheadItem[]>();
  return (provider, region) => {
    const key = `${provider}/${region}`;
    let items = cache.get(key);
    if (!items) {
      const facts = clouds.has(provider) ? clouds.get(provider).overheads : undefined;
      items = [
        ...(facts ? facts.itemsFor(region, needs) : []),
        ...(needs.dnsHealthCheck && dnsFacts?.dnsHealthCheckItems ? dnsFacts.dnsHealthCheckItems(provider, needs.dnsHealthCheck) : []),
      ].filter((i) => i.hourlyUsd > 0);
      cache.set(key, items);
    }
    return items;
  };
}

/** Sum of a region's fixed costs, $/hour. */
export function overheadHourly(items: readonly OverheadItem[]): number {
  return items.reduce((sum, i) => sum + i.hourlyUsd, 0);
}
