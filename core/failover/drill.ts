/**
 * The failover drill (`multicloud failover`, DESIGN.md "Traffic"): what the loss of each provider,
 * and of each region, of a plan does to the service. Pure: plan and spec in, a report out.
 *
 * The model is the one the component deploys, not a second one:
 * - groups and their autoscaling bounds are the plan's groups (core/plan/groups.ts): min size =
 *   planned count, max size = ceil(count x maxScaleOut);
 * - DNS steers by the records' weights (core/plan/dns-weights.ts: the plan's replicas per region,
 *   scaled to Route 53's 0-255); a lost region fails its health checks and drops out, so each
 *   surviving region receives demand x its weight / the surviving weights;
 * - inside a region the load balancer spreads evenly, so each group takes the region's load in
 *   proportion to its planned replicas, and its autoscaler grows it to carry that load, up to its
 *   max size and within the region's vCPU quota.
 *
 * For each loss: replicas served at once (the surviving plan), replicas served after scale-out,
 * the instances the autoscalers add and what they cost a month while failed over, and the DNS
 * weights that remain. A loss passes when at least `survivesProviderLoss` of demand is served at
 * once and full demand after scale-out.
 */
import type { Plan } from "../plan/plan";
import type { WorkloadSpec } from "../spec/schema";
import type { CloudSet } from "../clouds/cloud-set";
import { groupPlan, type WorkloadGroup } from "../plan/groups";
import { dnsWeights } from "../plan/dns-weights";
import { cmp } from "../catalog/offer";
import { HOURS_PER_MONTH } from "../util/units";
import { round } from "../util/round";

export interface RegionWeight {
  provider: string;
  region: string;
  /** The Route 53 record's weight (core/plan/dns-weights.ts): planned replicas, scaled to 0-255. */
  weight: number;
  /** Share of DNS answers while failed over. */
  share: number;
}

export interface LossOutcome {
  kind: "provider" | "region";
  /** `aws`, or `aws/us-east-1`. */
  lost: string;
  demand: number;
  /** Replicas the surviving plan holds before any autoscaler acts. */
  servedAtOnce: number;
  /** Replicas served once the surviving groups have scaled out (never above demand). */
  servedAfterScaleOut: number;
  /** Instances the autoscalers add. */
  addedInstances: number;
  /** Monthly cost of the added instances, while failed over. */
  extraMonthlyUsd: number;
  weights: RegionWeight[];
  /** Why the loss fails the drill (empty when it passes). */
  failures: string[];
}

export interface FailoverReport {
  workload: string;
  demand: number;
  /** Required share of demand at once (`constraints.survivesProviderLoss`, 0 when unset). */
  requiredAtOnce: number;
  losses: LossOutcome[];
  passed: boolean;
}

interface PricedGroup extends WorkloadGroup {
  fit: number;
  vcpu: number;
  hourlyUsd: number;
}

export function failoverDrill(plan: Plan, spec: WorkloadSpec, clouds: CloudSet): FailoverReport {
  const groups = pricedGroups(plan, spec, clouds);
  const providers = [...new Set(groups.map((g) => g.cloud))].sort(cmp);
  const regions = [...new Set(groups.map((g) => `${g.cloud}/${g.region}`))].sort(cmp);
  const requiredAtOnce = spec.constraints.survivesProviderLoss ?? 0;
  const weightOf = new Map(dnsWeights(plan).map((w) => [`${w.provider}/${w.region}`, w.weight]));
  const losses = [
    ...providers.map((p) => lose(plan, spec, groups, weightOf, "provider", p, (g) => g.cloud === p, requiredAtOnce)),
    ...regions.map((r) => lose(plan, spec, groups, weightOf, "region", r, (g) => `${g.cloud}/${g.region}` === r, requiredAtOnce)),
  ];
  return { workload: plan.workload, demand: plan.demand.replicas, requiredAtOnce, losses, passed: losses.every((l) => l.failures.length === 0) };
}

/** The plan's groups with what the drill needs of each: fit, vCPUs and price per instance. */
function pricedGroups(plan: Plan, spec: WorkloadSpec, clouds: CloudSet): PricedGroup[] {
  const cloudGroups = groupPlan(plan, {
    groupingOf: (cloud) => (clouds.has(cloud) ? clouds.get(cloud).grouping : "separate"),
    archOf: () => "x86_64", // architecture does not change capacity
    maxScaleOut: spec.scaling.maxScaleOut,
  });
  return cloudGroups.flatMap((c) =>
    c.regions.flatMap((r) =>
      r.groups.map((g) => {
        const allocations = plan.allocations.filter((a) => a.provider === g.cloud && a.region === g.region && a.instanceType === g.instanceType);
        const first = allocations[0]!;
        // A mixed group's added instances run on spot when the plan uses spot there: price them so.
        const spot = allocations.find((a) => a.lifecycle === "spot");
        const added = g.lifecycle === "on-demand" ? allocations.find((a) => a.lifecycle === "on-demand")! : spot ?? first;
        return { ...g, fit: first.replicasPerInstance, vcpu: first.vcpu, hourlyUsd: added.hourlyUsd };
      }),
    ),
  );
}

function lose(
  plan: Plan,
  spec: WorkloadSpec,
  groups: readonly PricedGroup[],
  weightOf: ReadonlyMap<string, number>,
  kind: LossOutcome["kind"],
  lost: string,
  isLost: (g: PricedGroup) => boolean,
  requiredAtOnce: number,
): LossOutcome {
  const demand = plan.demand.replicas;
  const surviving = groups.filter((g) => !isLost(g));
  const byRegion = new Map<string, PricedGroup[]>();
  for (const g of surviving) byRegion.set(`${g.cloud}/${g.region}`, [...(byRegion.get(`${g.cloud}/${g.region}`) ?? []), g]);
  const totalWeight = [...byRegion.keys()].reduce((sum, key) => sum + (weightOf.get(key) ?? 0), 0);

  let servedAfter = 0;
  let quotaBound = false;
  let added = 0;
  let extraHourly = 0;
  const weights: RegionWeight[] = [];
  for (const [key, regionGroups] of [...byRegion].sort(([a], [b]) => cmp(a, b))) {
    const [provider = "", region = ""] = key.split("/");
    const weight = weightOf.get(key) ?? 0;
    const regionReplicas = regionGroups.reduce((sum, g) => sum + g.replicas, 0);
    weights.push({ provider, region, weight, share: totalWeight > 0 ? round(weight / totalWeight, 4) : 0 });
    const load = totalWeight > 0 ? (demand * weight) / totalWeight : 0;
    let quotaLeft = quotaHeadroom(spec, key, regionGroups);
    let capacity = 0;
    for (const g of regionGroups) {
      // Each group's autoscaler follows its share of the region's load, within its bounds and the quota.
      const wanted = Math.min(g.maxSize, Math.max(g.minSize, Math.ceil((load * g.replicas) / regionReplicas / g.fit - 1e-9)));
      const allowed = Math.min(wanted - g.minSize, Math.floor(quotaLeft / g.vcpu));
      if (allowed < wanted - g.minSize) quotaBound = true;
      quotaLeft -= allowed * g.vcpu;
      added += allowed;
      extraHourly += allowed * g.hourlyUsd;
      capacity += (g.minSize + allowed) * g.fit;
    }
    // The region's load balancer spreads its share over every instance it has.
    servedAfter += Math.min(load, capacity);
  }
  const servedAtOnce = surviving.reduce((sum, g) => sum + g.replicas, 0);
  const servedAfterScaleOut = Math.min(demand, Math.floor(servedAfter + 1e-9));
  const failures: string[] = [];
  const needAtOnce = Math.ceil(requiredAtOnce * demand - 1e-9);
  if (servedAtOnce < needAtOnce) failures.push(`serves ${servedAtOnce} of ${demand} replicas at once, below survivesProviderLoss (${needAtOnce})`);
  if (servedAfterScaleOut < demand) failures.push(`serves ${servedAfterScaleOut} of ${demand} replicas after scale-out (${quotaBound ? "vCPU quotas" : `maxScaleOut ${spec.scaling.maxScaleOut}`} bound the groups)`);
  return {
    kind,
    lost,
    demand,
    servedAtOnce,
    servedAfterScaleOut,
    addedInstances: added,
    extraMonthlyUsd: round(extraHourly * HOURS_PER_MONTH, 2),
    weights,
    failures,
  };
}

/** vCPUs a region's quota leaves above the planned instances (unbounded without a quota). */
function quotaHeadroom(spec: WorkloadSpec, key: string, groups: readonly PricedGroup[]): number {
  const quota = spec.constraints.quotas[key]?.vcpu;
  if (quota === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(0, quota - groups.reduce((sum, g) => sum + g.minSize * g.vcpu, 0));
}
