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
import { resolvePrices, type ResolvedPrices, type ResolvePricesOptions } from "./resolve";
import type { CloudSet } from "../clouds/cloud-set";
import { DEFAULT_LIVE_TIMEOUT_SECONDS, deadlineOf } from "./source";
import { specSettings } from "../plan/spec-settings";

export type LivePlanOptions = Omit<ResolvePricesOptions, "providers" | "regions"> & Pick<DemandOptions, "live" | "offline" | "clouds"> & {
  /** Per-cloud endpoint overrides for the metrics APIs (prices use `connections`). */
  metricsConnections?: DemandOptions["connections"];
  settings?: OptimizeSettings;
  /**
   * Prices already resolved in this run, by providers and regions: `drift` plans many workloads,
   * most over the same regions, and resolving (and indexing) the same ~86k offers again for each
   * cost it more than the plans themselves (20 workloads: 1.9 s of 6 s CPU). Absent: resolve anew.
   */
  pricesMemo?: Map<string, Promise<ResolvedPrices>>;
};

export interface LivePlan {
  /** The spec, checked against the prices used. */
  spec: WorkloadSpec;
  plan: Plan;
  catalog: Catalog;
  demand?: DemandDecision;
  warnings: string[];
}

export async function planLive(spec: WorkloadSpec, options: LivePlanOptions): Promise<LivePlan> {
  const providers = Object.keys(spec.providers);
  const regions = Object.fromEntries(providers.map((p) => [p, spec.providers[p]!.regions]));
  // One deadline over every live fetch; prices and metrics of all providers are fetched at once.
  const live = Boolean(options.live) && !options.offline;
  const deadline = live ? deadlineOf(options, DEFAULT_LIVE_TIMEOUT_SECONDS) : undefined;
  const access = deadline ? { ...options, deadline } : options;
  // Demand reads only `demand`, which the region check below does not change: start it now.
  const demanding = resolveDemand(spec, { ...access, connections: options.metricsConnections });
  demanding.catch(() => undefined); // awaited below; never an unhandled rejection if prices fail first
  const prices = await memoized(options.pricesMemo, JSON.stringify([providers, regions]), () => resolvePrices({ ...access, providers, regions }));
  // The spec was checked against the snapshot; check its regions and quotas against what we now price.
  const checked = validateSpec(spec, prices.catalog, options.clouds);
  const demand = await demanding;
  const warnings = [...prices.warnings, ...(demand?.warnings ?? [])];
  const plan = await planForDemand(checked, prices.catalog, demand, options.clouds, options.settings);
  return { spec: checked, plan, catalog: prices.catalog, ...(demand ? { demand } : {}), warnings };
}

function memoized(memo: Map<string, Promise<ResolvedPrices>> | undefined, key: string, resolve: () => Promise<ResolvedPrices>): Promise<ResolvedPrices> {
  if (!memo) return resolve();
  let prices = memo.get(key);
  if (!prices) memo.set(key, (prices = resolve()));
  return prices;
}

/**
 * Plans `spec` for the demand decided from metrics (or, without a metrics decision, for its own
 * `demand.replicas`), keeping the spec's own hash. The one place demand sizing happens: a plan and
 * drift's budgeted re-solves both come through here.
 */
export async function planForDemand(spec: WorkloadSpec, catalog: Catalog, demand: DemandDecision | undefined, clouds: CloudSet, settings: OptimizeSettings = {}): Promise<Plan> {
  const withOverheads: OptimizeSettings = specSettings(spec, clouds, settings);
  if (!demand || demand.source !== "metrics") return planSpec(spec, catalog, withOverheads);
  const sized: WorkloadSpec = { ...spec, demand: { ...spec.demand, replicas: demand.replicas } };
  const plan = await planSpec(sized, catalog, withOverheads);
  return { ...plan, specHash: specHash(spec), demand: { ...plan.demand, source: "metrics", metrics: demandDetails(demand) } };
}
