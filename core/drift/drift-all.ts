/**
 * Drift over every pinned workload (`multicloud drift`): for each, today's prices and demand are
 * resolved once (core/prices/plan-live.ts; prices once per set of providers and regions, shared by
 * the workloads that have it), the optimum and any budgeted re-solve are planned from them, and
 * ./drift.ts decides what to propose. Workloads are taken in name order, so the report is
 * deterministic.
 */
import type { PinnedPlacement } from "../placement/record";
import { planForDemand, planLive, type LivePlanOptions } from "../prices/plan-live";
import type { ResolvedPrices } from "../prices/resolve";
import { UserError } from "../util/errors";
import { driftWorkload, type DriftSettings, type Planner } from "./drift";
import type { DriftReport } from "./render";

export interface DriftAllOptions extends LivePlanOptions {
  /** Where the pins come from, for messages (`Pulumi.dev.yaml`). */
  origin: string;
  /** Each fallback taken (stale cache, snapshot, metrics unavailable), with its workload. */
  onWarning?: (workload: string, warning: string) => void;
}

export async function driftAll(pinned: Readonly<Record<string, PinnedPlacement>>, settings: DriftSettings, options: DriftAllOptions): Promise<DriftReport> {
  const report: DriftReport = { workloads: [] };
  // Workloads over the same providers and regions share one price resolution (and so one catalog).
  const pricesMemo = new Map<string, Promise<ResolvedPrices>>();
  for (const name of Object.keys(pinned).sort()) {
    const entry = pinned[name]!;
    // One workload that cannot be planned today (infeasible at today's prices, a region gone) is
    // reported with why, and the others are still re-planned: it must not hide them.
    let today: Awaited<ReturnType<typeof planLive>>;
    try {
      // Drift reads placements and costs, never a plan's explanation: its re-solves are skipped.
      today = await planLive(entry.spec, { ...options, pricesMemo, settings: { ...options.settings, explain: false } });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      // Name the workload and where its spec lives: one bad pin must be findable among many.
      (report.failed ??= []).push({ workload: name, error: `${options.origin}: multicloud:placements.${name}: ${err.message}` });
      continue;
    }
    for (const w of today.warnings) options.onWarning?.(name, w);
    // The optimum is today's plan; a budgeted re-solve uses the same prices and demand.
    const planner: Planner = async (_spec, optimize) => (optimize ? planForDemand(today.spec, today.catalog, today.demand, options.clouds, optimize) : today.plan);
    report.workloads.push(await driftWorkload(entry, today.catalog, planner, settings, options.clouds));
  }
  return report;
}
