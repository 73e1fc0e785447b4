/**
 * The optimizer, in fixed steps: options (eligibility and fit, options.ts) -> exact reduction
 * (reduce.ts) -> MIP solve for the least hourly cost (model.ts has the formulation, solver.ts the
 * solver) -> tie-break (consolidate.ts) -> allocations in the canonical order.
 *
 * Determinism: the model is built from options in the canonical order, the solver is
 * deterministic, and the tie-break is exact, so the same inputs always give the same placement
 * whatever order the catalog or the spec lists things in.
 */
import type { Catalog } from "../catalog/offer";
import type { WorkloadSpec } from "../spec/schema";
import { placementOptions, type PlacementOption } from "./options";
import { compareOptions, reduceOptions } from "./reduce";
import { buildModel, constraintsOfSpec } from "./model";
import { solveMip, type SolveStatus } from "./solver";
import { diagnoseInfeasibility, noEligibleOptionsError } from "./infeasibility";
import { consolidate } from "./consolidate";

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
}

export interface OptimizeSettings {
  /** Exact dominance reduction before solving (on by default; off only to measure it). */
  reduce?: boolean;
  timeLimitSeconds?: number;
}


export async function optimizePlacement(spec: WorkloadSpec, catalog: Catalog, settings: OptimizeSettings = {}): Promise<Placement> {
  const { options, exclusions, offersConsidered } = placementOptions(spec, catalog.offers);
  if (options.length === 0) throw noEligibleOptionsError(spec, exclusions, offersConsidered);

  const constraints = constraintsOfSpec(spec);
  const quotaRegions = new Set(Object.keys(constraints.quotas));
  const candidates = settings.reduce === false ? [...options].sort(compareOptions) : reduceOptions(options, quotaRegions);
  const replicas = spec.demand.replicas;
  const limits = { timeLimitSeconds: settings.timeLimitSeconds ?? 60 };

  const cheapest = await solveMip(buildModel(candidates, replicas, constraints).lp, limits);
  if (cheapest.status === "infeasible") {
    throw await diagnoseInfeasibility(spec, candidates, constraints, limits);
  }
  const solved: Allocation[] = [];
  candidates.forEach((option, j) => {
    const count = cheapest.values.get(`n${j}`) ?? 0;
    const placed = cheapest.values.get(`y${j}`) ?? 0;
    // An instance that hosts no replica only adds cost; the solver never needs one.
    if (count > 0 && placed > 0) solved.push({ option, count: Math.min(count, Math.ceil(placed / option.fit)), replicas: placed });
  });
  const allocations = consolidate(solved, candidates, quotaRegions).sort((a, b) => compareOptions(a.option, b.option));
  return {
    allocations,
    status: cheapest.status === "optimal" ? "optimal" : "time-limit",
    gap: cheapest.gap,
    stats: { offersConsidered, options: options.length, reducedOptions: candidates.length },
  };
}
