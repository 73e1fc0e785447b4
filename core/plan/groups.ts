/**
 * From a plan to the instance groups that realise it: per cloud, per region, one group per
 * instance type (and per lifecycle where a cloud's group cannot mix them). Pure; every number an
 * emitter writes into a group (sizes, the on-demand/spot split) is decided here.
 *
 * Invariants (test/components/groups.test.ts; the failover drill, core/failover/drill.ts, reads the same groups):
 * - the groups of a plan hold exactly its instances: per (cloud, region, type, lifecycle) the
 *   on-demand and spot counts equal the plan's counts;
 * - min size = planned count (autoscaling never takes a fleet below its plan), max size =
 *   ceil(count x maxScaleOut);
 * - a mixed group (AWS ASG mixed instances policy, Azure VMSS priority mix) keeps its planned
 *   on-demand instances as the on-demand base; capacity above the base is spot when the plan uses
 *   spot there, on-demand otherwise, so at the planned size the split is exactly the plan's.
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
  /** Share of capacity above the base that is on-demand, percent (0 or 100). */
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
  const sized = [...groups.values()].map((g) => ({ ...g, ...lifecycleSplit(g.onDemand, g.spot), ...groupBounds(g.onDemand + g.spot, options.maxScaleOut) }));
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
export function groupBounds(count: number, maxScaleOut: number): { minSize: number; maxSize: number } {
  // The tolerance keeps float noise from adding an instance (10 x 1.1 = 11.000000000000002).
  return { minSize: count, maxSize: Math.max(count, Math.ceil(count * maxScaleOut - 1e-9)) };
}

/** The lifecycle of a group and its on-demand base / above-base split. */
export function lifecycleSplit(onDemand: number, spot: number): Pick<WorkloadGroup, "lifecycle" | "onDemandBase" | "onDemandAboveBasePercent"> {
  const lifecycle: GroupLifecycle = spot === 0 ? "on-demand" : onDemand === 0 ? "spot" : "mixed";
  return { lifecycle, onDemandBase: onDemand, onDemandAboveBasePercent: spot > 0 ? 0 : 100 };
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
