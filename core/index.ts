/**
 * The Pulumi-free planning core: spec in, exactly optimal plan out.
 *
 *   spec (core/spec)  ->  catalog (core/catalog)  ->  optimizer (core/optimizer)  ->  plan (core/plan)
 */
import type { Catalog } from "./catalog/offer";
import type { CloudSet } from "./clouds/cloud-set";
import { validateSpec } from "./spec/load";
import type { OptimizeSettings } from "./optimizer/optimize";
import type { Plan } from "./plan/plan";
import { planSpec } from "./plan/plan-spec";
import { specSettings } from "./plan/spec-settings";
import { resolveCatalog } from "./catalog/resolve";
import { planLive, type LivePlan, type LivePlanOptions } from "./prices/plan-live";

export * from "./catalog/offer";
export { CloudSet } from "./clouds/cloud-set";
export type { CloudAdapter, SnapshotBuild, SnapshotCitation } from "./clouds/adapter";
export { resolveCatalog, type PriceOptions } from "./catalog/resolve";
export { loadSnapshot } from "./catalog/snapshot";
export { readCatalogFile, parseCatalogCsv, overrideCatalog } from "./catalog/csv";
export { validateSpec, loadSpecFile } from "./spec/load";
export type { WorkloadSpec, WorkloadSpecInput } from "./spec/schema";
export { optimizePlacement, type Placement, type Allocation } from "./optimizer/optimize";
export { buildPlan, specHash, planHash, placementSpec, type Plan, type PlanAllocation } from "./plan/plan";
export { planSpec } from "./plan/plan-spec";
export { UserError, InfeasibleError, InternalError, LimitReachedError } from "./util/errors";
export { resolvePrices, type ResolvePricesOptions, type ResolvedPrices } from "./prices/resolve";
export { refreshPrices, type RefreshOutcome } from "./prices/refresh";
export { planLive, type LivePlanOptions, type LivePlan } from "./prices/plan-live";
export { decideDemand, type DemandDecision } from "./metrics/demand";

/** Validates raw spec input (component args, parsed YAML) and plans it. */
export async function planWorkload(input: unknown, catalog: Catalog, clouds: CloudSet, settings: OptimizeSettings = {}): Promise<Plan> {
  const spec = validateSpec(input, catalog, clouds);
  return planSpec(spec, catalog, specSettings(spec, clouds, settings));
}

/**
 * Validates raw spec input and plans it with today's inputs: live or cached prices and, for
 * `demand.fromMetrics`, demand from the running fleet; every fallback is in `warnings`.
 */
export async function planWorkloadLive(input: unknown, options: LivePlanOptions): Promise<LivePlan> {
  return planLive(validateSpec(input, resolveCatalog(options.clouds, { catalogFile: options.catalogFile }), options.clouds), options);
}
