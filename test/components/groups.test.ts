/**
 * From plan to instance groups (pure): the groups hold exactly the plan's instances, sizes and
 * lifecycle splits follow the rules in groups.ts, and the autoscaler arithmetic is exact.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { groupBounds, groupPlan, lifecycleSplit, type Grouping } from "../../core/plan/groups";
import { cpuThresholds } from "../../kit/workload/scaling";
import type { Plan, PlanAllocation } from "../../core";

function allocation(a: Partial<PlanAllocation> & Pick<PlanAllocation, "provider" | "region" | "instanceType" | "lifecycle" | "count">): PlanAllocation {
  return { replicasPerInstance: 2, replicas: a.count * 2, vcpu: 4, memoryGiB: 16, gpus: 0, hourlyUsd: 0.1, ...a };
}

function planOf(allocations: PlanAllocation[]): Plan {
  return {
    workload: "web",
    specHash: `sha256:${"0".repeat(64)}`,
    demand: { replicas: 1, cpu: 2, memoryGiB: 8, gpus: 0, source: "static" },
    prices: {},
    allocations,
    totals: { replicas: 0, vcpu: 0, memoryGiB: 0, hourlyUsd: 0, monthlyUsd: 0 },
    solver: { status: "optimal", gap: 0, ms: 1 },
  };
}

const GROUPING: Record<string, Grouping> = { aws: "mixed", azure: "mixed", gcp: "separate" };
const options = { groupingOf: (c: string) => GROUPING[c]!, archOf: () => "x86_64" as const, maxScaleOut: 2 };

describe("groupPlan", () => {
  it("merges lifecycles into one group where the cloud can mix them, and splits them where it cannot", () => {
    const plan = planOf([
      allocation({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", lifecycle: "on-demand", count: 3 }),
      allocation({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", lifecycle: "spot", count: 2 }),
      allocation({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", lifecycle: "on-demand", count: 1 }),
      allocation({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", lifecycle: "spot", count: 4 }),
    ]);
    const groups = groupPlan(plan, options);
    expect(groups.map((c) => [c.cloud, c.regions.map((r) => [r.region, r.groups.map((g) => [g.instanceType, g.lifecycle, g.onDemand, g.spot, g.minSize, g.maxSize, g.onDemandBase, g.onDemandAboveBasePercent])])])).toEqual([
      ["aws", [["us-east-1", [["m7i.xlarge", "mixed", 3, 2, 5, 10, 3, 60]]]]],
      ["gcp", [["us-central1", [["n2-standard-4", "on-demand", 1, 0, 1, 2, 1, 100], ["n2-standard-4", "spot", 0, 4, 4, 8, 0, 0]]]]],
    ]);
  });

  it("keeps a group's identity when its lifecycle mix changes (mixed clouds)", () => {
    const before = groupPlan(planOf([allocation({ provider: "azure", region: "eastus", instanceType: "D4", lifecycle: "on-demand", count: 2 })]), options);
    const after = groupPlan(planOf([allocation({ provider: "azure", region: "eastus", instanceType: "D4", lifecycle: "spot", count: 2 })]), options);
    expect(before[0]!.regions[0]!.groups).toHaveLength(1);
    expect(after[0]!.regions[0]!.groups[0]).toMatchObject({ instanceType: "D4", grouping: "mixed", lifecycle: "spot", onDemandBase: 0, onDemandAboveBasePercent: 0 });
  });

  const allocations = fc.uniqueArray(
    fc.record({
      provider: fc.constantFrom("aws", "azure", "gcp"),
      region: fc.constantFrom("r1", "r2"),
      instanceType: fc.constantFrom("a", "b"),
      lifecycle: fc.constantFrom("on-demand" as const, "spot" as const),
      count: fc.integer({ min: 1, max: 50 }),
    }),
    { selector: (a) => `${a.provider}/${a.region}/${a.instanceType}/${a.lifecycle}`, minLength: 1, maxLength: 12 },
  );

  it("holds exactly the plan's instances, per cloud, region, type and lifecycle (property)", () => {
    fc.assert(
      fc.property(allocations, fc.constantFrom(1, 1.1, 1.5, 2, 3.3), (raw, maxScaleOut) => {
        const plan = planOf(raw.map(allocation));
        const groups = groupPlan(plan, { ...options, maxScaleOut }).flatMap((c) => c.regions.flatMap((r) => r.groups));
        for (const a of plan.allocations) {
          const matching = groups.filter((g) => g.cloud === a.provider && g.region === a.region && g.instanceType === a.instanceType);
          const held = matching.reduce((n, g) => n + (a.lifecycle === "spot" ? g.spot : g.onDemand), 0);
          expect(held).toBe(a.count);
        }
        for (const g of groups) {
          expect(g.minSize).toBe(g.onDemand + g.spot);
          expect(g.maxSize).toBeGreaterThanOrEqual(g.minSize);
          expect(g.maxSize).toBeLessThan(g.minSize * maxScaleOut + 1);
          // The base is the planned on-demand count; above it, the plan's on-demand share rounded up.
          expect(g.onDemandBase).toBe(g.onDemand);
          expect(100 - g.onDemandAboveBasePercent).toBeLessThanOrEqual((100 * g.spot) / g.minSize);
          expect(100 - g.onDemandAboveBasePercent).toBeGreaterThan((100 * g.spot) / g.minSize - 1);
          if (g.grouping === "separate") expect(g.onDemand === 0 || g.spot === 0).toBe(true);
        }
        const total = groups.reduce((n, g) => n + g.minSize, 0);
        expect(total).toBe(plan.allocations.reduce((n, a) => n + a.count, 0));
      }),
    );
  });
});

describe("sizing arithmetic", () => {
  it.each([
    [1, 1, 1],
    [3, 1.5, 5],
    [10, 1.1, 11],
    [7, 2, 14],
    [5, 1.01, 6],
  ])("count %i x maxScaleOut %f -> max size %i", (count, factor, max) => {
    expect(groupBounds(count, factor)).toEqual({ minSize: count, maxSize: max });
  });

  it.each([
    [4, 0, "on-demand", 4, 100],
    [0, 3, "spot", 0, 0],
    [2, 5, "mixed", 2, 29],
    [2, 1, "mixed", 2, 67],
  ] as const)("%i on-demand + %i spot is %s: base %i, %i%% on-demand above it", (od, spot, lifecycle, base, pct) => {
    expect(lifecycleSplit(od, spot)).toEqual({ lifecycle, onDemandBase: base, onDemandAboveBasePercent: pct });
  });

  it.each([
    [60, 60, 30],
    [55, 55, 27],
    [1, 1, 1],
  ])("CPU target %i scales out above %i and in below %i", (target, out, inBelow) => {
    expect(cpuThresholds(target)).toEqual({ scaleOutAbove: out, scaleInBelow: inBelow });
  });
});
