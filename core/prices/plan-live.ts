/**
 * Plans a spec with today's inputs: prices resolved per provider (./resolve.ts: live, cache,
 * snapshot or file) and, for `demand.fromMetrics`, demand from the running fleet
 * (../metrics/resolve.ts). Returns the plan with every fallback's reason as a warning; the caller
 * decides where warnings go (the CLI prints them to stderr).
 *
 * A metrics-driven plan is computed for the decided replicas but keeps the spec's own hash, so
 * the placement record still matches the component args it was computed for; `plan.demand`
 * carries source "metrics" and the numbers behind it.
 */
import type { Catalog } from "../catalog/offer";
import type { WorkloadSpec } from "../spec/schema";
import { validateSpec } from "../spec/load";
import { specHash, type Plan } from "../plan/plan";
import { planSpec } from "../plan/plan-spec";
import type { OptimizeSettings } from "../optimizer/optimize";
import { resolveDemand, type DemandOptions } from "../metrics/resolve";
import { demandDetails, type DemandDecision } from "../metrics/demand";
import { resolvePrices, type ResolvePricesOptions } from "./resolve";

export type LivePlanOptions = Omit<ResolvePricesOptions, "providers" | "regions"> & Pick<DemandOptions, "live" | "offline"> & {
  /** Per-cloud endpoint overrides for the metrics APIs (prices use `connections`). */
  metricsConnections?: DemandOptions["connections"];
  settings?: OptimizeSettings;
};

export interface LivePlan {
  plan: Plan;
  catalog: Catalog;
  demand?: DemandDecision;
  warnings: string[];
}

export async function planLive(spec: WorkloadSpec, options: LivePlanOptions = {}): Promise<LivePlan> {
  const providers = Object.keys(spec.providers);
  const regions = Object.fromEntries(providers.map((p) => [p, spec.providers[p]!.regions]));
  const prices = await resolvePrices({ ...options, providers, regions });
  // The spec was checked against the snapshot; check its regions and quotas against what we now price.
  const checked = validateSpec(spec, prices.catalog);
  const demand = await resolveDemand(checked, { ...options, connections: options.metricsConnections });
  const warnings = [...prices.warnings, ...(demand?.warnings ?? [])];
  if (!demand || demand.source !== "metrics") {
    return { plan: await planSpec(checked, prices.catalog, options.settings), catalog: prices.catalog, ...(demand ? { demand } : {}), warnings };
  }
  const sized: WorkloadSpec = { ...checked, demand: { ...checked.demand, replicas: demand.replicas } };
  const plan = await planSpec(sized, prices.catalog, options.settings);
  return {
    plan: { ...plan, specHash: specHash(checked), demand: { ...plan.demand, source: "metrics", metrics: demandDetails(demand) } },
    catalog: prices.catalog,
    demand,
    warnings,
  };
}
