/**
 * From a plan to the instance groups that realise it: per cloud, per region, one group per
 * instance type (and per lifecycle where a cloud's group cannot mix them). Pure; every number an
 * emitter writes into a group (sizes, the on-demand/spot split) is decided here.
 *
 * Invariants (test/components/groups.test.ts; the failover drill, core/failover/drill.ts, reads the same groups):
 * - the groups of a plan hold exactly its instances: per (cloud, region, type, lifecycle) the
 *   on-demand and spot counts equal the plan's counts;
 * - min size = planned count (autoscaling never takes a fleet below its plan), max size =
 *   ceil(count x maxScaleOut), except a separate spot group (GCP), whose max is rounded down;
 * - the spot share never rises as groups scale out (test/scaling-range.test.ts, over every size
 *   between the plan and the max): a mixed group (AWS ASG mixed instances policy, Azure VMSS
 *   priority mix) keeps its planned on-demand instances as the on-demand base, and above the base
 *   runs the plan's on-demand share of the group, in whole percent rounded up. The clouds round the
 *   on-demand count above the base down (Azure documents that the odd instance goes to spot), so
 *   at the planned size a mixed group runs its planned spot instances, less at most
 *   ceil(share x spot) of them on-demand: the price of an on-demand fallback that holds at every
 *   size, and why the group may cost a little more than the plan at its planned size.
 */
import type { Plan, PlanAllocation } from "./plan";
import { cmp, type Arch, type Lifecycle } from "../catalog/offer";

/** `mixed`: one group realises both lifecycles; `separate`: one group per lifecycle (GCP MIGs). */
export type Grouping = "mixed" | "separate";
export type GroupLifecycle = Lifecycle | "mixed";

export interface WorkloadGroup {
  cloud: string;
  region: string;
  instanceType: string;
  arch: Arch;
  gpus: number;
  grouping: Grouping;
  /** `mixed` only when the group holds both on-demand and spot instances. */
  lifecycle: GroupLifecycle;
  onDemand: number;
  spot: number;
  replicas: number;
  minSize: number;
  maxSize: number;
  /** On-demand instances kept as the base of a mixed group. */
  onDemandBase: number;
  /** Share of capacity above the base that is on-demand, whole percent: the plan's on-demand share of the group, rounded up. */
  onDemandAboveBasePercent: number;
}

export interface RegionGroups {
  region: string;
  groups: WorkloadGroup[];
}

export interface CloudGroups {
  cloud: string;
  regions: RegionGroups[];
}

export interface GroupingOptions {
  groupingOf(cloud: string): Grouping;
  archOf(allocation: PlanAllocation): Arch;
  maxScaleOut: number;
}

export function groupPlan(plan: Plan, options: GroupingOptions): CloudGroups[] {
  const groups = new Map<string, WorkloadGroup>();
  for (const a of plan.allocations) {
    const grouping = options.groupingOf(a.provider);
    const key = [a.provider, a.region, a.instanceType, grouping === "separate" ? a.lifecycle : ""].join("\0");
    const g = groups.get(key) ?? emptyGroup(a, grouping, options.archOf(a));
    if (a.lifecycle === "spot") g.spot += a.count;
    else g.onDemand += a.count;
    g.replicas += a.replicas;
    groups.set(key, g);
  }
  const sized = [...groups.values()].map((g) => {
    const split = lifecycleSplit(g.onDemand, g.spot);
    // A spot-only group beside its on-demand twin (GCP) may not outgrow it in proportion.
    const roundDown = g.grouping === "separate" && split.lifecycle === "spot";
    return { ...g, ...split, ...groupBounds(g.onDemand + g.spot, options.maxScaleOut, roundDown) };
  });
  sized.sort((x, y) => cmp(x.cloud, y.cloud) || cmp(x.region, y.region) || cmp(x.instanceType, y.instanceType) || cmp(x.lifecycle, y.lifecycle));

  const out: CloudGroups[] = [];
  for (const g of sized) {
    let cloud = out[out.length - 1];
    if (cloud?.cloud !== g.cloud) out.push((cloud = { cloud: g.cloud, regions: [] }));
    let region = cloud.regions[cloud.regions.length - 1];
    if (region?.region !== g.region) cloud.regions.push((region = { region: g.region, groups: [] }));
    region.groups.push(g);
  }
  return out;
}

/** Autoscaler bounds for a group of `count` planned instances. */
export function groupBounds(count: number, maxScaleOut: number, roundDown = false): { minSize: number; maxSize: number } {
  // The tolerance keeps float noise from adding (or, rounding down, losing) an instance (10 x 1.1 = 11.000000000000002).
  const max = roundDown ? Math.floor(count * maxScaleOut + 1e-9) : Math.ceil(count * maxScaleOut - 1e-9);
  return { minSize: count, maxSize: Math.max(count, max) };
}

/** The lifecycle of a group and its on-demand base / above-base split. */
export function lifecycleSplit(onDemand: number, spot: number): Pick<WorkloadGroup, "lifecycle" | "onDemandBase" | "onDemandAboveBasePercent"> {
  const lifecycle: GroupLifecycle = spot === 0 ? "on-demand" : onDemand === 0 ? "spot" : "mixed";
  return { lifecycle, onDemandBase: onDemand, onDemandAboveBasePercent: spot === 0 ? 100 : Math.ceil((100 * onDemand) / (onDemand + spot)) };
}

function emptyGroup(a: PlanAllocation, grouping: Grouping, arch: Arch): WorkloadGroup {
  return {
    cloud: a.provider,
    region: a.region,
    instanceType: a.instanceType,
    arch,
    gpus: a.gpus,
    grouping,
    lifecycle: a.lifecycle,
    onDemand: 0,
    spot: 0,
    replicas: 0,
    minSize: 0,
    maxSize: 0,
    onDemandBase: 0,
    onDemandAboveBasePercent: 100,
  };
}
