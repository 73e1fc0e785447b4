/**
 * Drift: re-optimize a pinned workload from its recorded spec with today's prices (and demand),
 * and decide whether a change is worth proposing. Decisions are plain values (`WorkloadDrift`),
 * rendered and written elsewhere. Karpenter's disruption budgets are the model:
 *
 * 1. Must move: the pinned plan places an instance type today's catalog no longer offers, or no
 *    longer satisfies its spec (constraints, or the budget at today's prices), or demand changed.
 * 2. Hysteresis: otherwise propose only when the new plan saves at least `minSavingsPct` percent
 *    of what the pinned plan costs today.
 * 3. Disruption budget: at most `maxDisruption` of the replicas move per proposal. A bigger move is
 *    re-solved with the budget as a constraint (keep the rest where it is, cheapest such plan),
 *    and the report says what is deferred to the next run. Forced moves (retired types) do not
 *    count against the budget; if the budget cannot be met at all, the full plan is proposed and
 *    the report says why (a budget must never keep a broken placement).
 */
import type { Catalog } from "../catalog/offer";
import type { CloudSet } from "../clouds/cloud-set";
import type { Plan } from "../plan/plan";
import type { WorkloadSpec } from "../spec/schema";
import type { OptimizeSettings } from "../optimizer/optimize";
import { allocationKey } from "../optimizer/optimize";
import type { PinnedPlacement } from "../placement/record";
import { verifyPlan } from "../plan/verify";
import { InfeasibleError } from "../util/errors";
import { diffAllocations, movedReplicas, type AllocationChange } from "./diff";
import { repricePlan } from "./reprice";
import { USD_TOLERANCE, usd } from "../util/units";
import { round } from "../util/round";

import type { DriftSettings } from "../util/cli-choices";

export { DEFAULT_DRIFT_SETTINGS, type DriftSettings } from "../util/cli-choices";

export type DriftReasonKind = "price-change" | "demand-change" | "retired-type" | "constraint-violated" | "below-threshold" | "no-change";

export interface DriftReason {
  kind: DriftReasonKind;
  message: string;
}

export interface WorkloadDrift {
  workload: string;
  propose: boolean;
  reasons: DriftReason[];
  /** Monthly cost of the pinned plan when it was pinned, and at today's prices. */
  pinnedMonthlyUsd: number;
  beforeMonthlyUsd: number;
  /** Monthly cost after this proposal (equal to before when nothing is proposed). */
  afterMonthlyUsd: number;
  deltaMonthlyUsd: number;
  deltaPct: number;
  changes: AllocationChange[];
  disruption: {
    replicas: number;
    moved: number;
    budget: number;
    /** Monthly cost of the unconstrained optimum when the budget held this proposal back. */
    deferredOptimumMonthlyUsd?: number;
    note?: string;
  };
  /** The plan to pin when proposed. */
  proposed?: Plan;
}

/** Plans a spec on today's prices and demand; settings carry the disruption budget. */
export type Planner = (spec: WorkloadSpec, settings?: OptimizeSettings) => Promise<Plan>;

export async function driftWorkload(pinned: PinnedPlacement, catalog: Catalog, plan: Planner, settings: DriftSettings, clouds: CloudSet): Promise<WorkloadDrift> {
  const { spec, plan: before } = pinned;
  const repriced = repricePlan(before, spec, catalog);
  const optimum = await plan(spec);
  const reasons: DriftReason[] = [];

  if (repriced.retired.length > 0) {
    const names = repriced.retired.map((a) => `${a.provider}/${a.region}/${a.instanceType} (${a.lifecycle})`);
    reasons.push({ kind: "retired-type", message: `no longer offered: ${names.join(", ")}` });
  }
  const violations = verifyPlan(before, spec, clouds);
  if (spec.constraints.maxMonthlyUsd !== undefined && repriced.monthlyUsd > spec.constraints.maxMonthlyUsd) {
    violations.push({ path: "constraints.maxMonthlyUsd", message: `costs $${repriced.monthlyUsd}/month at today's prices, budget $${spec.constraints.maxMonthlyUsd}` });
  }
  if (violations.length > 0) {
    reasons.push({ kind: "constraint-violated", message: violations.map((v) => `${v.path}: ${v.message}`).join("; ") });
  }
  if (optimum.demand.replicas !== before.demand.replicas || optimum.demand.source !== before.demand.source) {
    reasons.push({ kind: "demand-change", message: `demand ${before.demand.replicas} -> ${optimum.demand.replicas} replicas (${optimum.demand.source})` });
  }
  const mustMove = reasons.length > 0;

  const R = optimum.demand.replicas;
  const budget = Math.floor(settings.maxDisruption * R + 1e-9);
  const retired = new Set(repriced.retired.map(allocationKey));
  const keepable = new Map(before.allocations.filter((a) => !retired.has(allocationKey(a))).map((a) => [allocationKey(a), a.replicas]));
  const keepAtMost = Math.min(R, [...keepable.values()].reduce((s, n) => s + n, 0));
  const keeping = (minKept: number) => plan(spec, { keep: { pinned: keepable, minKept } });

  // Among equally cheap plans, the one that moves the fewest replicas: the largest number kept in
  // place at no extra cost, found by bisection (cost only rises as more is kept).
  let proposal = optimum;
  if (movedReplicas(diffAllocations(before.allocations, optimum.allocations)) > 0) {
    const costsNoMore = (p: Plan) => p.totals.monthlyUsd <= optimum.totals.monthlyUsd + USD_TOLERANCE;
    let lo = keptReplicas(before, optimum);
    let hi = keepAtMost;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const candidate = await keeping(mid).catch(infeasibleAsUndefined);
      if (candidate && costsNoMore(candidate)) {
        proposal = candidate;
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
  }

  let note: string | undefined;
  let deferredOptimumMonthlyUsd: number | undefined;
  if (movedReplicas(diffAllocations(before.allocations, proposal.allocations)) > budget) {
    const budgeted = await keeping(Math.max(0, keepAtMost - budget)).catch(infeasibleAsUndefined);
    if (budgeted) {
      proposal = budgeted;
      deferredOptimumMonthlyUsd = optimum.totals.monthlyUsd;
    } else {
      note = `the disruption budget (${budget} of ${R} replicas) cannot be met while satisfying the spec; proposing the full change`;
    }
  }

  const changes = diffAllocations(before.allocations, proposal.allocations);
  const after = proposal.totals.monthlyUsd;
  const delta = round(after - repriced.monthlyUsd, 2);
  const deltaPct = percentOf(delta, repriced.monthlyUsd);
  // Hysteresis reads the full optimum, not the budgeted step: a step may save less than the
  // threshold while the move it starts is well worth it (and must be allowed to converge).
  const optimumSaving = round(repriced.monthlyUsd - optimum.totals.monthlyUsd, 2);
  const optimumSavingPct = percentOf(optimumSaving, repriced.monthlyUsd);

  if (repriced.priceChanges.length > 0) {
    reasons.push({ kind: "price-change", message: `pinned prices moved: ${repriced.priceChanges.slice(0, 3).join("; ")}${repriced.priceChanges.length > 3 ? `; and ${repriced.priceChanges.length - 3} more` : ""}` });
  }
  // A move already started under a disruption budget is finished whatever its remainder saves.
  const continuing = pinned.moveInProgress !== undefined && optimum.totals.monthlyUsd <= pinned.moveInProgress.optimumMonthlyUsd + USD_TOLERANCE;
  const propose = changes.length > 0 && (mustMove || (optimumSaving > 0 && (continuing || optimumSavingPct >= settings.minSavingsPct)));
  if (!propose) {
    const kind: DriftReasonKind = changes.length === 0 ? "no-change" : "below-threshold";
    const message =
      kind === "no-change"
        ? "the pinned plan is still the optimum"
        : `a re-plan would save ${optimumSavingPct.toFixed(2)}% (${usd(optimumSaving)}/month), below the ${settings.minSavingsPct}% threshold`;
    reasons.push({ kind, message });
  } else if (!mustMove) {
    reasons.unshift({
      kind: "price-change",
      message: continuing
        ? `continuing the move deferred by the disruption budget: ${usd(optimumSaving)}/month (${optimumSavingPct.toFixed(2)}%) still to save`
        : `today's prices make a plan ${optimumSavingPct.toFixed(2)}% cheaper (${usd(optimumSaving)}/month)`,
    });
  }

  const moved = movedReplicas(changes);
  return {
    workload: spec.name,
    propose,
    reasons,
    pinnedMonthlyUsd: before.totals.monthlyUsd,
    beforeMonthlyUsd: repriced.monthlyUsd,
    afterMonthlyUsd: propose ? after : repriced.monthlyUsd,
    deltaMonthlyUsd: propose ? delta : 0,
    deltaPct: propose ? deltaPct : 0,
    changes: propose ? changes : [],
    disruption: {
      replicas: R,
      moved: propose ? moved : 0,
      budget,
      ...(propose && deferredOptimumMonthlyUsd !== undefined && deferredOptimumMonthlyUsd < after - USD_TOLERANCE
        ? { deferredOptimumMonthlyUsd, note: `the rest of the move (a further ${usd(after - deferredOptimumMonthlyUsd)}/month saved) is deferred to the next run` }
        : {}),
      ...(note ? { note } : {}),
    },
    ...(propose ? { proposed: proposal } : {}),
  };
}

/** Replicas of `after` that stay where `before` had them. */
function keptReplicas(before: Plan, after: Plan): number {
  const placed = new Map(after.allocations.map((a) => [allocationKey(a), a.replicas]));
  return before.allocations.reduce((sum, a) => sum + Math.min(a.replicas, placed.get(allocationKey(a)) ?? 0), 0);
}

function infeasibleAsUndefined(err: unknown): undefined {
  if (err instanceof InfeasibleError) return undefined;
  throw err;
}

function percentOf(part: number, whole: number): number {
  return whole > 0 ? round((part / whole) * 100, 2) : 0;
}

