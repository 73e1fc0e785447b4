/**
 * Reviewing a change (DESIGN.md "Reviewing a change"): a spec planned now, shown against the plan
 * pinned for that workload, in drift's diff form (`+ ~ -` allocation rows, monthly cost before,
 * after and delta), so a pull request that edits a workload shows what it does to the bill before
 * it merges (Infracost's diff is the model). Pure: plans in, a value out.
 *
 * "Unchanged" means the same decision: the plans' hashes are equal (timing and price provenance are
 * in no hash, so re-planning the same placement from a fresher cache is no change).
 */
import type { Plan } from "../plan/plan";
import { planHash } from "../plan/plan";
import type { PinnedPlacement } from "../placement/record";
import type { WorkloadSpec } from "../spec/schema";
import { describeSpecChanges, specChanges } from "../placement/spec-changes";
import { diffAllocations, type AllocationChange } from "../drift/diff";
import { round } from "../util/round";

export type ReviewStatus = "unchanged" | "changed" | "new";

export interface PlanReview {
  workload: string;
  status: ReviewStatus;
  /** The pinned plan's monthly cost (0 when nothing is pinned). */
  beforeMonthlyUsd: number;
  afterMonthlyUsd: number;
  deltaMonthlyUsd: number;
  changes: AllocationChange[];
  /** What changed in the spec since the pin ("demand.replicas: 48 -> 60"), when it did. */
  specChange?: string;
  /** The new plan (what `--write` would pin). */
  plan: Plan;
}

export function reviewPlan(spec: WorkloadSpec, plan: Plan, pinned: PinnedPlacement | undefined): PlanReview {
  const after = plan.totals.monthlyUsd;
  if (!pinned) {
    return { workload: plan.workload, status: "new", beforeMonthlyUsd: 0, afterMonthlyUsd: after, deltaMonthlyUsd: after, changes: diffAllocations([], plan.allocations), plan };
  }
  const before = pinned.plan.totals.monthlyUsd;
  const changed = specChanges(pinned.spec, spec);
  return {
    workload: plan.workload,
    status: planHash(pinned.plan) === planHash(plan) ? "unchanged" : "changed",
    beforeMonthlyUsd: before,
    afterMonthlyUsd: after,
    deltaMonthlyUsd: round(after - before, 2),
    changes: diffAllocations(pinned.plan.allocations, plan.allocations),
    ...(changed.length > 0 ? { specChange: describeSpecChanges(changed) } : {}),
    plan,
  };
}
