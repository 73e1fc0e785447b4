/**
 * What a spec asks of the optimizer beyond its own fields, resolved against the clouds once: each
 * region's fixed costs (./overheads.ts) and the regions the residency rules allow
 * (../spec/residency.ts). Every path that plans a spec (plan, the component, drift, the drill's
 * plan) goes through here, so none can forget a rule.
 */
import type { CloudSet } from "../clouds/cloud-set";
import type { OptimizeSettings } from "../optimizer/optimize";
import type { WorkloadSpec } from "../spec/schema";
import { residencyFilter } from "../spec/residency";
import { overheadsFor } from "./overheads";

export function specSettings(spec: WorkloadSpec, clouds: CloudSet, settings: OptimizeSettings = {}): OptimizeSettings {
  const overheads = settings.overheads ?? overheadsFor(spec, clouds);
  const allowedRegion = settings.allowedRegion ?? residencyFilter(spec.compliance?.residency, clouds);
  return { ...settings, ...(overheads ? { overheads } : {}), ...(allowedRegion ? { allowedRegion } : {}) };
}
