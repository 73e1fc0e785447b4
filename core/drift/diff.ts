/**
 * The allocation diff between a pinned plan and a proposal, keyed by
 * provider/region/instanceType/lifecycle: `+` added, `-` removed, `~` count changed. Pure.
 */
import type { PlanAllocation } from "../plan/plan";
import { allocationKey } from "../optimizer/optimize";
import { cmp } from "../catalog/offer";

export type ChangeKind = "+" | "-" | "~";

export interface AllocationChange {
  kind: ChangeKind;
  provider: string;
  region: string;
  instanceType: string;
  lifecycle: string;
  countBefore: number;
  countAfter: number;
  replicasBefore: number;
  replicasAfter: number;
}

export function diffAllocations(before: readonly PlanAllocation[], after: readonly PlanAllocation[]): AllocationChange[] {
  const keyed = new Map<string, { b?: PlanAllocation; a?: PlanAllocation }>();
  for (const b of before) keyed.set(allocationKey(b), { ...keyed.get(allocationKey(b)), b });
  for (const a of after) keyed.set(allocationKey(a), { ...keyed.get(allocationKey(a)), a });
  const out: AllocationChange[] = [];
  for (const key of [...keyed.keys()].sort(cmp)) {
    const { b, a } = keyed.get(key)!;
    const base = (a ?? b)!;
    const countBefore = b?.count ?? 0;
    const countAfter = a?.count ?? 0;
    const replicasBefore = b?.replicas ?? 0;
    const replicasAfter = a?.replicas ?? 0;
    if (countBefore === countAfter && replicasBefore === replicasAfter) continue;
    out.push({
      kind: !b ? "+" : !a ? "-" : "~",
      provider: base.provider,
      region: base.region,
      instanceType: base.instanceType,
      lifecycle: base.lifecycle,
      countBefore,
      countAfter,
      replicasBefore,
      replicasAfter,
    });
  }
  return out;
}

/** Replicas that leave where the pinned plan had them (what a disruption budget limits). */
export function movedReplicas(changes: readonly AllocationChange[]): number {
  return changes.reduce((sum, c) => sum + Math.max(0, c.replicasBefore - c.replicasAfter), 0);
}
