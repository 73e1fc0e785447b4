/**
 * Placements pinned (advisory) and the monthly cap on the plans' cost: both read the
 * MultiCloudWorkload components' registered outputs (`placementSource`, `monthlyCostUsd`, `spec`),
 * which the engine hands only to stack policies (a resource policy sees a component's inputs).
 *
 * A computed placement is one planned at deploy time from today's prices: it may move the fleet
 * on the next deploy without a reviewed change. Pinning it (`multicloud plan ... --write`) puts
 * the plan in stack config, where a pull request shows it.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { configOf } from "../config";
import { violation, whenKnown, WORKLOAD_TYPE, type StackResource } from "../resources";

/** `dev` from `urn:pulumi:dev::project::...`. */
function stackOf(urn: string): string {
  return urn.split("::")[0]?.split(":")[2] ?? "<stack>";
}

function workloadName(w: StackResource): string {
  return whenKnown(() => (typeof w.props.spec?.name === "string" ? (w.props.spec.name as string) : w.name), w.name);
}

export function unpinnedProblems(resources: readonly StackResource[]): { urn: string; message: string }[] {
  return resources
    .filter((r) => r.type === WORKLOAD_TYPE)
    .flatMap((w) => {
      const source = whenKnown(() => w.props.placementSource as unknown, undefined);
      if (source === undefined || source === "pinned") return [];
      const stack = stackOf(w.urn);
      return [{
        urn: w.urn,
        message: violation(
          w,
          `its placement is ${String(source)}: planned at deploy time from current prices, so the next deploy may move it without a reviewed change`,
          "every workload deploys a plan pinned in stack config (multicloud:placements)",
          `pin it: \`multicloud plan SPEC --stack-config Pulumi.${stack}.yaml --write\` (SPEC: the spec of workload "${workloadName(w)}"), and review the change in a pull request`,
        ),
      }];
    });
}

export const placementsPinned: StackValidationPolicy = {
  name: "multicloud-placements-pinned",
  description: "Every MultiCloudWorkload deploys a placement pinned in stack config, not one computed at deploy time.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    for (const p of unpinnedProblems(args.resources)) reportViolation(p.message, p.urn);
  },
};

export const costCapSchema: PolicyConfigSchema = {
  properties: {
    maxMonthlyUsd: { type: "number", exclusiveMinimum: 0, description: "Most the stack's MultiCloudWorkload plans may cost per month together, USD (unset: no cap)." },
  },
};

/** The stack-wide violation when the workloads' monthly costs add up to more than the cap. */
export function costCapProblem(resources: readonly StackResource[], maxMonthlyUsd: number | undefined): string | undefined {
  if (maxMonthlyUsd === undefined) return undefined;
  const costs = resources
    .filter((r) => r.type === WORKLOAD_TYPE)
    .map((w) => ({ name: workloadName(w), usd: whenKnown(() => w.props.monthlyCostUsd as unknown, undefined), source: whenKnown(() => w.props.placementSource as unknown, undefined) }))
    .filter((c): c is { name: string; usd: number; source: unknown } => typeof c.usd === "number")
    .sort((a, b) => b.usd - a.usd || (a.name < b.name ? -1 : 1));
  const total = Math.round(costs.reduce((sum, c) => sum + c.usd, 0) * 100) / 100;
  if (total <= maxMonthlyUsd) return undefined;
  const list = costs.map((c) => `${c.name} $${c.usd}${c.source === "pinned" ? "" : ` (${String(c.source ?? "unknown")})`}`).join(", ");
  return violation(
    { name: "stack", type: "pulumi:pulumi:Stack" },
    `its workloads' plans cost $${total}/month together (${list})`,
    `the MultiCloudWorkload plans of a stack cost at most $${maxMonthlyUsd}/month`,
    "lower demand or widen the providers and regions of the costliest workloads and re-plan them (`multicloud plan ... --write`), set constraints.maxMonthlyUsd on them, or raise maxMonthlyUsd in the policy pack config",
  );
}

export const monthlyCostCap: StackValidationPolicy = {
  name: "multicloud-monthly-cost-cap",
  description: "The MultiCloudWorkload plans of the stack cost at most the configured amount per month together.",
  enforcementLevel: "mandatory",
  configSchema: costCapSchema,
  validateStack: (args, reportViolation) => {
    const { maxMonthlyUsd } = configOf<{ maxMonthlyUsd?: number }>(costCapSchema, args.getConfig());
    const problem = costCapProblem(args.resources, maxMonthlyUsd);
    if (problem) reportViolation(problem);
  },
};
