/**
 * The optimizer, in fixed steps: options (eligibility and fit, options.ts) -> exact reduction
 * (reduce.ts, via candidates.ts) -> MIP solve for the least hourly cost (model.ts has the
 * formulation, solver.ts the solver) -> tie-break (consolidate.ts) -> allocations in the canonical
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
import { compareOptions } from "./reduce";
import { buildModel, constraintsOfSpec, regionKey } from "./model";
import type { RegionOverheads } from "../plan/overheads";
import { solveMip, timeLimitFromEnv, type SolveStatus } from "./solver";
import { reduceCandidates } from "./candidates";
import { explainPlacement, type Explanation } from "./explain";
import { diagnoseInfeasibility, noEligibleOptionsError } from "./infeasibility";
import { consolidate } from "./consolidate";
import { InfeasibleError } from "../util/errors";

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


export async function optimizePlacement(spec: WorkloadSpec, catalog: Catalog, settings: OptimizeSettings = {}): Promise<Placement> {
  const { options, exclusions, offersConsidered, byProvider } = placementOptions(spec, catalog.offers, settings.allowedRegion);
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

  const model = buildModel(candidates, replicas, constraints, keep, rates);
  const cheapest = await solveMip(model.lp, limits);
  if (cheapest.status === "infeasible") {
    if (keep) throw new InfeasibleError(`infeasible: no placement keeps ${keep.minKept} replicas where they are and meets every constraint`, ["keep"]);
    throw await diagnoseInfeasibility(spec, candidates, constraints, limits, rates);
  }
  const solved: Allocation[] = [];
  candidates.forEach((option, j) => {
    const count = cheapest.values.get(`n${j}`) ?? 0;
    const placed = cheapest.values.get(`y${j}`) ?? 0;
    // An instance that hosts no replica only adds cost; the solver never needs one.
    if (count > 0 && placed > 0) solved.push({ option, count: Math.min(count, Math.ceil(placed / option.fit)), replicas: placed });
  });
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
    stats: { offersConsidered, options: options.length, reducedOptions: candidates.length },
    overheads,
    ...(explain ? { explain } : {}),
  };
}
