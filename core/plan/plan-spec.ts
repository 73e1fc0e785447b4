/** Plans a validated spec on a catalog: the optimizer's placement as a plan value, timed. */
import { performance } from "node:perf_hooks";
import type { Catalog } from "../catalog/offer";
import type { WorkloadSpec } from "../spec/schema";
import { optimizePlacement, type OptimizeSettings } from "../optimizer/optimize";
import { buildPlan, type Plan } from "./plan";

export async function planSpec(spec: WorkloadSpec, catalog: Catalog, settings: OptimizeSettings = {}): Promise<Plan> {
  const started = performance.now();
  const placement = await optimizePlacement(spec, catalog, settings);
  return buildPlan(spec, catalog, placement, performance.now() - started);
}
