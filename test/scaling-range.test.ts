/**
 * The constraints across the autoscaling range (issue "Failover across clouds" #3): between the
 * planned size and ceil(count x maxScaleOut), scale-out never raises a group's spot share above
 * what the plan accepted, and a mixed group keeps an on-demand share above its base instead of
 * going all spot.
 *
 * The clouds' rounding, as documented or assumed at its worst: Azure's Spot Priority Mix gives the
 * odd instance to spot ("With odd numbers, Spot VMs get the extra VM",
 * https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/spot-priority-mix), so the
 * on-demand count above the base is rounded down; AWS does not document its rounding of
 * OnDemandPercentageAboveBaseCapacity
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html), so it
 * is taken as the same worst case. GCP groups hold one lifecycle each; its spot group's max size is
 * rounded down so that, at the max, spot holds no larger share than planned.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { groupPlan, lifecycleSplit } from "../core/plan/groups";
import type { Plan } from "../core";

/** On-demand instances of a mixed group at size m, rounding the share above the base down. */
function onDemandAt(m: number, base: number, percentAbove: number): number {
  return base + Math.floor((percentAbove * (m - base)) / 100 + 1e-9);
}

describe("mixed groups across the scaling range", () => {
  it("never run a larger spot share than planned, at any size from the plan to the max (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.constantFrom(1, 1.25, 1.5, 2, 3, 10), (onDemand, spot, scale) => {
        fc.pre(onDemand + spot > 0);
        const n = onDemand + spot;
        const { onDemandBase, onDemandAboveBasePercent } = lifecycleSplit(onDemand, spot);
        const max = Math.ceil(n * scale - 1e-9);
        for (let m = n; m <= max; m++) {
          const od = onDemandAt(m, onDemandBase, onDemandAboveBasePercent);
          // Spot share at size m never above the planned group's spot share.
          expect((m - od) * n).toBeLessThanOrEqual(spot * m);
          // An on-demand fallback: a group that planned any on-demand keeps adding some above its base.
          if (onDemand > 0 && m - onDemandBase >= Math.ceil(100 / Math.max(1, onDemandAboveBasePercent))) expect(od).toBeGreaterThan(onDemandBase);
        }
      }),
      { numRuns: 400, seed: 3 },
    );
  });

  it("runs the plan's split exactly when the group is all one lifecycle", () => {
    expect(lifecycleSplit(4, 0)).toMatchObject({ onDemandAboveBasePercent: 100 });
    expect(lifecycleSplit(0, 4)).toMatchObject({ onDemandAboveBasePercent: 0 });
  });
});

describe("separate groups (GCP) at their max size", () => {
  it("hold no larger spot share than planned (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom(1, 1.1, 1.5, 2, 3.3), (onDemand, spot, maxScaleOut) => {
        const allocation = (lifecycle: "on-demand" | "spot", count: number) => ({
          provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", lifecycle, count, replicasPerInstance: 1, replicas: count, vcpu: 4, memoryGiB: 16, gpus: 0, hourlyUsd: 0.1,
        });
        const plan = { allocations: [allocation("on-demand", onDemand), allocation("spot", spot)] } as unknown as Plan;
        const groups = groupPlan(plan, { groupingOf: () => "separate", archOf: () => "x86_64", maxScaleOut })[0]!.regions[0]!.groups;
        const od = groups.find((g) => g.lifecycle === "on-demand")!;
        const sp = groups.find((g) => g.lifecycle === "spot")!;
        expect(sp.maxSize * (onDemand + spot)).toBeLessThanOrEqual(spot * (od.maxSize + sp.maxSize));
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
