/**
 * The optimizer, in fixed steps: options (eligibility and fit, options.ts) -> exact reduction
 * (reduce.ts, via candidates.ts) -> MIP solve for the least hourly cost (group-model.ts, or
 * model.ts under a disruption budget; solver.ts the solver) -> tie-break (between groups by a
 * second solve, group-model.ts; within groups consolidate.ts) -> allocations in the canonical
 * order -> when asked, the explanation (explain.ts: binding constraints by exact re-solves, and
 * why each provider is used or not).
 *
 * Determinism: the model is built from options in the canonical order, the solver is
 * deterministic, and the tie-break is exact, so the same inputs always give the same placement
 * whatever order the catalog or the spec lists things in.
 */
import type { Catalog } from "../catalog/offer";
import type { WorkloadSpec } from "../spec/schema";
import { placementOptions, type PlacementOption } from "./options";
import { compareOptions } from "./option-order";
import { buildModel, constraintsOfSpec, regionKey, type OverheadRates, type PlacementConstraints } from "./model";
import type { RegionOverheads } from "../plan/overheads";
import { solveMip, timeLimitFromEnv, type SolveLimits, type SolveResult, type SolveStatus } from "./solver";
import { reduceCandidates, widenedCandidates } from "./candidates";
import { explainPlacement, type Explanation } from "./explain";
import { buildGroupModel, type GroupModel } from "./group-model";
import { diagnoseInfeasibility, noEligibleOptionsError } from "./infeasibility";
import { consolidate } from "./consolidate";
import { InfeasibleError, LimitReachedError } from "../util/errors";

export interface Allocation {
  option: PlacementOption;
  count: number;
  /** Replicas placed on these instances (at most count x fit). */
  replicas: number;
}

export interface Placement {
  allocations: Allocation[];
  status: Exclude<SolveStatus, "infeasible">;
  gap: number;
  stats: { offersConsidered: number; options: number; reducedOptions: number };
  /** Fixed costs of the regions the placement uses (empty without overheads). */
  overheads: PlacementOverhead[];
  /** Why the placement is what it is (only when asked for, and only for a proven optimum). */
  explain?: Explanation;
}

export interface PlacementOverhead {
  provider: string;
  region: string;
  item: string;
  hourlyUsd: number;
}

export interface OptimizeSettings {
  /** Exact dominance reduction before solving (on by default; off only to measure it). */
  reduce?: boolean;
  timeLimitSeconds?: number;
  /** Disruption budget: keep at least `minKept` replicas where `pinned` (option key -> replicas) has them. */
  keep?: { pinned: ReadonlyMap<string, number>; minKept: number };
  /** Fixed costs of using a region (../plan/overheads.ts), weighed in the optimum exactly. */
  overheads?: RegionOverheads;
  /** The regions the residency rules allow (core/spec/residency.ts); absent: all. */
  allowedRegion?: (provider: string, region: string) => boolean;
  /**
   * Explain the placement (./explain.ts): which constraints bind, at what cost, and why each
   * provider is used or not. Costs re-solves, so off here; plans ask for it (core/plan/plan-spec.ts).
   * Never with `keep`: a budgeted re-solve is not a plan a reviewer reads on its own.
   */
  explain?: boolean;
}

/** `provider/region/instanceType/lifecycle`: the identity of an allocation across plans. */
export function allocationKey(a: { provider: string; region: string; instanceType: string; lifecycle: string }): string {
  return `${a.provider}/${a.region}/${a.instanceType}/${a.lifecycle}`;
}

const optionKey = (o: PlacementOption) =>
  allocationKey({ provider: o.offer.provider, region: o.offer.region, instanceType: o.offer.instanceType, lifecycle: o.lifecycle });


/**
 * Among the optimal placements, the one that puts replicas in the earliest groups (group-model.ts
 * `tieBreak`): equal-cost choices between providers, lifecycles or regions set apart (two regions
 * with the same price and load balancer fee) never depend on the solver's search path. A second,
 * small solve (all-regions: ~30 ms; quota-20: ~90 ms). Should it stop at the time limit without a
 * placement, the first solve's optimum stands.
 */
async function tieBroken(
  candidates: readonly PlacementOption[],
  replicas: number,
  constraints: PlacementConstraints,
  rates: OverheadRates,
  separateRegions: ReadonlySet<string>,
  optimum: SolveResult,
  limits: SolveLimits,
): Promise<SolveResult> {
  const model = buildGroupModel(candidates, replicas, constraints, rates, separateRegions, { optimum: optimum.objective });
  const result = await solveMip(model.lp, limits).catch((err: unknown) => {
    if (err instanceof LimitReachedError) return undefined;
    throw err;
  });
  return result && result.status !== "infeasible" ? result : optimum;
}

/** Allocations of a model.ts solution: option j has `n${j}` instances hosting `y${j}` replicas. */
function optionAllocations(candidates: readonly PlacementOption[], values: ReadonlyMap<string, number>): Allocation[] {
  const solved: Allocation[] = [];
  candidates.forEach((option, j) => {
    const count = values.get(`n${j}`) ?? 0;
    const placed = values.get(`y${j}`) ?? 0;
    // An instance that hosts no replica only adds cost; the solver never needs one.
    if (count > 0 && placed > 0) solved.push({ option, count: Math.min(count, Math.ceil(placed / option.fit)), replicas: placed });
  });
  return solved;
}

/**
 * Allocations of a group-model solution: group i places `g${i}` replicas on the slots of its
 * options' instances (`n${j}`), filled in the canonical option order. consolidate() then repacks
 * each group canonically, so only the group totals (and, in quota regions, the instances) are the
 * solver's.
 */
function groupAllocations(candidates: readonly PlacementOption[], model: GroupModel, values: ReadonlyMap<string, number>): Allocation[] {
  const solved: Allocation[] = [];
  model.groups.forEach((group, i) => {
    let left = values.get(`g${i}`) ?? 0;
    for (const j of group.options) {
      const option = candidates[j]!;
      const count = values.get(`n${j}`) ?? 0;
      const placed = Math.min(left, count * option.fit);
      left -= placed;
      if (count > 0 && placed > 0) solved.push({ option, count: Math.ceil(placed / option.fit), replicas: placed });
    }
    if (left > 0) throw new Error(`internal: group ${i} of the placement model places more replicas than its instances hold`);
  });
  return solved;
}

export async function optimizePlacement(spec: WorkloadSpec, catalog: Catalog, settings: OptimizeSettings = {}): Promise<Placement> {
  // Options dominated inside their own region are never built when the reduction would drop them
  // anyway; a pinned plan keeps its options even when dominated, so it gets them all.
  const pruneInRegion = settings.reduce !== false && !settings.keep;
  const { options, eligible, exclusions, offersConsidered, byProvider } = placementOptions(spec, catalog.offers, settings.allowedRegion, pruneInRegion);
  if (options.length === 0) throw noEligibleOptionsError(spec, exclusions, offersConsidered);

  const constraints = constraintsOfSpec(spec);
  const quotaRegions = new Set(Object.keys(constraints.quotas));
  const { options: reduced, rates, separateRegions } = reduceCandidates(options, settings.overheads, quotaRegions, settings.reduce !== false);
  // Options of a pinned plan stay in the model even when dominated: keeping them is the point.
  const pinned = settings.keep?.pinned ?? new Map<string, number>();
  const protectedOptions = pinned.size === 0 ? [] : options.filter((o) => pinned.has(optionKey(o)));
  const candidates = [...new Set([...reduced, ...protectedOptions])].sort(compareOptions);
  const replicas = spec.demand.replicas;
  const limits = { timeLimitSeconds: settings.timeLimitSeconds ?? timeLimitFromEnv() };
  const keep = settings.keep && {
    minKept: settings.keep.minKept,
    pinned: new Map(candidates.flatMap((o, j) => (pinned.has(optionKey(o)) ? [[j, pinned.get(optionKey(o))!] as const] : []))),
  };

  // Without a disruption budget the plan is solved on the group model (group-model.ts: the same
  // optimum, replicas counted per group of interchangeable options): it proves the optimum several
  // times faster (all-regions: 82 options, 168 -> 16 ms warm; quota-20: 250 -> ~40 ms). Which
  // options host a group's replicas is then the canonical packing (consolidate.ts). A budget keeps
  // replicas on given options, so it needs per-option replicas: model.ts.
  const grouped = keep ? undefined : buildGroupModel(candidates, replicas, constraints, rates, separateRegions);
  const model = grouped ?? buildModel(candidates, replicas, constraints, keep, rates);
  const cheapest = await solveMip(model.lp, limits);
  if (cheapest.status === "infeasible") {
    if (keep) throw new InfeasibleError(`infeasible: no placement keeps ${keep.minKept} replicas where they are and meets every constraint`, ["keep"]);
    const withoutResidency = settings.allowedRegion && spec.compliance?.residency ? () => widenedCandidates(spec, catalog.offers, { spot: false }, settings.overheads, quotaRegions) : undefined;
    throw await diagnoseInfeasibility(spec, candidates, constraints, limits, rates, withoutResidency);
  }
  const canonical = grouped && cheapest.status === "optimal" ? await tieBroken(candidates, replicas, constraints, rates, separateRegions, cheapest, limits) : cheapest;
  const solved = grouped ? groupAllocations(candidates, grouped, canonical.values) : optionAllocations(candidates, canonical.values);
  const allocations = consolidate(solved, candidates, separateRegions, new Set(protectedOptions), quotaRegions).sort((a, b) => compareOptions(a.option, b.option));
  const used = [...new Set(allocations.map((a) => regionKey(a.option)))].sort();
  const overheads = used.flatMap((key) => {
    const [provider = "", region = ""] = key.split("/");
    return (settings.overheads?.(provider, region) ?? []).map((i) => ({ provider, region, item: i.item, hourlyUsd: i.hourlyUsd }));
  });
  // A time-limited placement is not a proven optimum: "without X it would cost" needs one.
  const explain =
    settings.explain && !keep && cheapest.status === "optimal"
      ? await explainPlacement({
          spec,
          offers: catalog.offers,
          settings,
          limits,
          constraints,
          quotaRegions,
          main: { candidates: { options: candidates, rates, separateRegions }, lp: model.lp, result: cheapest },
          byProvider,
          allocations,
        })
      : undefined;
  return {
    allocations,
    status: cheapest.status === "optimal" ? "optimal" : "time-limit",
    gap: cheapest.gap,
    stats: { offersConsidered, options: eligible, reducedOptions: candidates.length },
    overheads,
    ...(explain ? { explain } : {}),
  };
}
