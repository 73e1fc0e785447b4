/**
 * Plans a validated spec on a catalog: the optimizer's placement as a plan value, timed. Every plan
 * carries its explanation (`explain`, a few exact re-solves) unless the caller says otherwise or
 * keeps replicas in place (a drift budget's re-solve is an intermediate, not a plan to review).
 */
import { performance } from "node:perf_hooks";
import type { Catalog } from "../catalog/offer";
import type { WorkloadSpec } from "../spec/schema";
import { optimizePlacement, type OptimizeSettings } from "../optimizer/optimize";
import { buildPlan, type Plan } from "./plan";

export async function planSpec(spec: WorkloadSpec, catalog: Catalog, settings: OptimizeSettings = {}): Promise<Plan> {
  const started = performance.now();
  const placement = await optimizePlacement(spec, catalog, { ...settings, explain: settings.explain ?? !settings.keep });
  return buildPlan(spec, catalog, placement, performance.now() - started);
}
