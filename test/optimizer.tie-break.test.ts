/**
 * Equal-cost placements: which one a plan records must not depend on the solver's search path, nor
 * on the order the catalog or the spec lists things in. Between groups of interchangeable options
 * (provider, lifecycle, region set apart) the earliest group in sorted order takes the replicas
 * (core/optimizer/group-model.ts `tieBreak`); within a group, the fewest instances, then the
 * earliest options (core/optimizer/consolidate.ts).
 */
import { describe, expect, it } from "vitest";
import { planWorkload, type Plan } from "../core";
import { catalogOf, offer } from "./helpers/catalog";
import { CLOUDS } from "../clouds/registry";
import type { InstanceOffer } from "../core/catalog/offer";

const hosts = (plan: Plan) => plan.allocations.map((a) => [a.provider, a.region, a.instanceType, a.count, a.replicas]);

async function bothOrders(offers: InstanceOffer[], spec: Parameters<typeof planWorkload>[0]): Promise<Plan> {
  const forward = await planWorkload(spec, catalogOf(offers), CLOUDS);
  const backward = await planWorkload(spec, catalogOf([...offers].reverse()), CLOUDS);
  expect(JSON.stringify(backward.allocations)).toBe(JSON.stringify(forward.allocations));
  return forward;
}

describe("ties between equal-cost placements", () => {
  it("gives the larger share to the provider first in name order when two providers cost the same", async () => {
    const offers = [
      offer({ provider: "azure", region: "eastus", instanceType: "D2", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
    ];
    const plan = await bothOrders(offers, { name: "web", demand: { replicas: 10, cpu: 2, memoryGiB: 8 }, providers: { azure: {}, aws: {} }, constraints: { maxProviderShare: 0.6 } });
    expect(hosts(plan)).toEqual([
      ["aws", "us-east-1", "m.large", 6, 6],
      ["azure", "eastus", "D2", 4, 4],
    ]);
  });

  it("keeps a quota'd region out of a placement that an unquota'd region hosts at the same price", async () => {
    // us-east-1 has a quota and so is a group of its own; the region without one comes first.
    const offers = [
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2 }),
      offer({ provider: "aws", region: "us-west-2", instanceType: "m.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2 }),
    ];
    const spec = { name: "web", demand: { replicas: 6, cpu: 2, memoryGiB: 8 }, providers: { aws: {} }, constraints: { quotas: { "aws/us-east-1": { vcpu: 8 } } } };
    const plan = await bothOrders(offers, spec);
    expect(hosts(plan)).toEqual([["aws", "us-west-2", "m.xlarge", 3, 6]]);
  });

  it("fills the cheaper region up to its quota and puts only the rest elsewhere", async () => {
    const offers = [
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.19 }),
      offer({ provider: "aws", region: "us-west-2", instanceType: "m.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2 }),
    ];
    const spec = { name: "web", demand: { replicas: 6, cpu: 2, memoryGiB: 8 }, providers: { aws: {} }, constraints: { quotas: { "aws/us-east-1": { vcpu: 8 } } } };
    const plan = await bothOrders(offers, spec);
    expect(hosts(plan)).toEqual([
      ["aws", "us-east-1", "m.xlarge", 2, 4],
      ["aws", "us-west-2", "m.xlarge", 1, 2],
    ]);
  });
});
