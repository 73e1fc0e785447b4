/**
 * DNS weights from a plan (kit/workload/dns.ts, DESIGN.md "Traffic" `dns`): each region's weight is
 * its planned replicas, scaled down proportionally when a region exceeds Route 53's largest weight,
 * never 0 for a region that has replicas, and the same for the same plan.
 *
 * Route 53 rule checked: a weight is an integer 0-255
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-weighted-alias.html,
 * "Enter an integer between 0 and 255"; API: ResourceRecordSet.Weight {min 0, max 255},
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dnsWeights, MAX_DNS_WEIGHT } from "../kit/workload/dns";
import type { PlanAllocation } from "../core/plan/plan";

function allocation(provider: string, region: string, replicas: number, lifecycle: "onDemand" | "spot" = "onDemand"): PlanAllocation {
  return { provider, region, instanceType: "m", lifecycle, count: replicas, replicasPerInstance: 1, replicas, vcpu: 2, memoryGiB: 8, gpus: 0, hourlyUsd: 0.1 } as PlanAllocation;
}

const plan = (allocations: PlanAllocation[]) => ({ allocations });

describe("DNS weights", () => {
  it("are the planned replicas per region (every group of the region summed), sorted by provider and region", () => {
    const weights = dnsWeights(plan([
      allocation("gcp", "us-central1", 5),
      allocation("aws", "us-west-2", 4),
      allocation("aws", "us-east-1", 6),
      allocation("aws", "us-east-1", 2, "spot"),
      allocation("azure", "eastus", 7),
    ]));
    expect(weights).toEqual([
      { provider: "aws", region: "us-east-1", replicas: 8, weight: 8 },
      { provider: "aws", region: "us-west-2", replicas: 4, weight: 4 },
      { provider: "azure", region: "eastus", replicas: 7, weight: 7 },
      { provider: "gcp", region: "us-central1", replicas: 5, weight: 5 },
    ]);
  });

  it("keeps 255 replicas as they are and scales a larger fleet so that its largest region is 255", () => {
    expect(dnsWeights(plan([allocation("aws", "us-east-1", 255), allocation("gcp", "us-central1", 1)])).map((w) => w.weight)).toEqual([255, 1]);
    // 1000 : 500 : 250 : 1 -> 255 : 127.5 (halves up: 128) : 63.75 (64) : 0.255 (never 0: 1).
    const weights = dnsWeights(plan([
      allocation("aws", "us-east-1", 1000),
      allocation("aws", "us-west-2", 500),
      allocation("azure", "eastus", 250),
      allocation("gcp", "us-central1", 1),
    ]));
    expect(weights.map((w) => w.weight)).toEqual([255, 128, 64, 1]);
    expect(weights.map((w) => w.replicas)).toEqual([1000, 500, 250, 1]);
  });

  it("gives no weight to a region without replicas, and none for an empty plan", () => {
    expect(dnsWeights(plan([allocation("aws", "us-east-1", 3), allocation("aws", "us-west-2", 0)]))).toEqual([{ provider: "aws", region: "us-east-1", replicas: 3, weight: 3 }]);
    expect(dnsWeights(plan([]))).toEqual([]);
  });

  it("for any plan: integers 1-255, proportional to replicas within rounding, order kept, deterministic", () => {
    const regionArb = fc.record({
      provider: fc.constantFrom("aws", "azure", "gcp"),
      region: fc.constantFrom("r1", "r2", "r3", "r4"),
      replicas: fc.integer({ min: 1, max: 5000 }),
    });
    fc.assert(
      fc.property(fc.array(regionArb, { minLength: 1, maxLength: 12 }), (rows) => {
        const input = plan(rows.map((r) => allocation(r.provider, r.region, r.replicas)));
        const weights = dnsWeights(input);
        expect(dnsWeights(structuredClone(input))).toEqual(weights);
        expect(new Set(weights.map((w) => `${w.provider}/${w.region}`)).size).toBe(weights.length);
        const largest = Math.max(...weights.map((w) => w.replicas));
        for (const w of weights) {
          expect(Number.isInteger(w.weight)).toBe(true);
          expect(w.weight).toBeGreaterThanOrEqual(1);
          expect(w.weight).toBeLessThanOrEqual(MAX_DNS_WEIGHT);
          if (largest <= MAX_DNS_WEIGHT) expect(w.weight).toBe(w.replicas);
          else expect(Math.abs(w.weight - Math.max(1, (w.replicas * MAX_DNS_WEIGHT) / largest))).toBeLessThanOrEqual(0.5);
        }
        // More replicas never means less weight.
        for (const a of weights) for (const b of weights) if (a.replicas > b.replicas) expect(a.weight).toBeGreaterThanOrEqual(b.weight);
        if (largest > MAX_DNS_WEIGHT) expect(Math.max(...weights.map((w) => w.weight))).toBe(MAX_DNS_WEIGHT);
      }),
    );
  });
});
