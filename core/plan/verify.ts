/**
 * Checks a plan against a spec, independently of the optimizer: the placement record is trusted
 * only while its plan still satisfies its spec (DESIGN.md "Placement record and drift"). Returns
 * one violation per broken rule, naming the spec field; empty when the plan is valid.
 *
 * Prices are not re-checked here except for the budget, which uses the plan's own recorded prices.
 * Rules that need the catalog (arch, GPU model) are the catalog's to check: a plan records neither.
 */
import type { WorkloadSpec } from "../spec/schema";
import type { Plan } from "./plan";
import { familyRule, replicaFit } from "../optimizer/options";
import type { CloudSet } from "../clouds/cloud-set";
import { USD_TOLERANCE } from "../util/units";
import { describeResidency, residencyFilter } from "../spec/residency";
import { providerReplicaCap, spotReplicaCap, constraintsOfSpec } from "../optimizer/model";

export interface PlanViolation {
  /** Spec path of the rule, e.g. `constraints.maxProviderShare`. */
  path: string;
  message: string;
}

export function verifyPlan(plan: Plan, spec: WorkloadSpec, clouds: CloudSet): PlanViolation[] {
  const out: PlanViolation[] = [];
  // A metrics-sized plan answers the demand its metrics decided, not the spec's static count.
  const R = plan.demand.source === "metrics" ? plan.demand.replicas : spec.demand.replicas;
  const c = constraintsOfSpec(spec);
  const placed = plan.allocations.reduce((sum, a) => sum + a.replicas, 0);
  if (placed < R) out.push({ path: "demand.replicas", message: `places ${placed} of ${R} demanded replicas` });

  const perProvider = new Map<string, number>();
  const familyOf = familyRule(spec);
  let spot = 0;
  const allowedRegion = residencyFilter(spec.compliance?.residency, clouds);
  for (const a of plan.allocations) {
    const where = `${a.provider}/${a.region}/${a.instanceType}`;
    if (allowedRegion && !allowedRegion(a.provider, a.region)) {
      out.push({ path: "compliance.residency", message: `${where} is ${describeResidency(clouds, a.provider, a.region)}, outside ${spec.compliance!.residency!.join(", ")}` });
    }
    const settings = spec.providers[a.provider];
    if (!settings) out.push({ path: "providers", message: `${where}: provider ${a.provider} is not in the spec` });
    else if (settings.regions && !settings.regions.includes(a.region)) out.push({ path: `providers.${a.provider}.regions`, message: `${where}: region not allowed` });
    const fit = replicaFit(a, spec);
    if (a.replicas > a.count * Math.min(fit, a.replicasPerInstance)) {
      out.push({ path: "demand", message: `${where}: ${a.replicas} replicas do not fit on ${a.count} instances of ${fit} each` });
    }
    if (spec.instance.minVcpu !== undefined && a.vcpu < spec.instance.minVcpu) out.push({ path: "instance.minVcpu", message: `${where} has ${a.vcpu} vCPUs` });
    if (spec.instance.maxVcpu !== undefined && a.vcpu > spec.instance.maxVcpu) out.push({ path: "instance.maxVcpu", message: `${where} has ${a.vcpu} vCPUs` });
    const family = familyOf(a.instanceType);
    if (family) out.push({ path: family, message: `${where}: instance type not allowed by the family globs` });
    if (!spec.instance.allowBurstable && clouds.has(a.provider) && clouds.get(a.provider).isBurstable(a.instanceType)) {
      out.push({ path: "instance.allowBurstable", message: `${where} is a burstable type` });
    }
    if (spec.demand.gpus > 0 && a.gpus < spec.demand.gpus) out.push({ path: "demand.gpus", message: `${where} has ${a.gpus} GPUs` });
    perProvider.set(a.provider, (perProvider.get(a.provider) ?? 0) + a.replicas);
    if (a.lifecycle === "spot") spot += a.replicas;
  }
  const cap = providerReplicaCap(R, c);
  for (const [p, n] of perProvider) {
    if (n > cap) out.push({ path: c.maxProviderShare !== undefined ? "constraints.maxProviderShare" : "constraints.survivesProviderLoss", message: `${p} holds ${n} of ${R} replicas (at most ${cap} allowed)` });
  }
  if (c.minProviders !== undefined && perProvider.size < c.minProviders) {
    out.push({ path: "constraints.minProviders", message: `uses ${perProvider.size} providers, at least ${c.minProviders} required` });
  }
  if (spot > spotReplicaCap(R, c)) out.push({ path: "constraints.maxSpotShare", message: `${spot} replicas on spot, at most ${spotReplicaCap(R, c)} allowed` });
  if (c.maxMonthlyUsd !== undefined && plan.totals.monthlyUsd > c.maxMonthlyUsd + USD_TOLERANCE) {
    out.push({ path: "constraints.maxMonthlyUsd", message: `costs $${plan.totals.monthlyUsd}/month, budget $${c.maxMonthlyUsd}` });
  }
  for (const [key, limit] of Object.entries(c.quotas)) {
    const used = plan.allocations.filter((a) => `${a.provider}/${a.region}` === key).reduce((sum, a) => sum + a.count * a.vcpu, 0);
    if (used > limit) out.push({ path: `constraints.quotas.${key}`, message: `uses ${used} vCPUs, quota ${limit}` });
  }
  return out;
}
