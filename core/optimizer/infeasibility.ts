/**
 * Explaining infeasible specs. Two cases:
 * - no eligible option at all: say which filters removed the offers, largest first;
 * - eligible options exist but the constraints conflict: re-solve with each constraint relaxed
 *   (then each pair) and name those whose relaxation makes the spec feasible, with the cost the
 *   spec would have then, so the user knows both what to change and what it would cost.
 */
import type { WorkloadSpec } from "../spec/schema";
import { InfeasibleError } from "../util/errors";
import type { Exclusions, PlacementOption } from "./options";
import { buildModel, type OverheadRates, type PlacementConstraints } from "./model";
import { HOURS_PER_MONTH, usd } from "../util/units";
import { solveMip, type SolveLimits } from "./solver";

interface Relaxation {
  /** Spec path of the constraint. */
  path: string;
  /** How it reads in the spec, e.g. `0.6` or `vcpu 64`. */
  value: string;
  relax: (c: PlacementConstraints) => PlacementConstraints;
  /** Residency is a filter on the options, not a model constraint: relaxing it solves over these. */
  widened?: WidenedOptions;
}

/** The options (and regions' fixed costs) of the spec without its residency rule. */
export interface WidenedOptions {
  options: readonly PlacementOption[];
  rates: OverheadRates;
}

export function noEligibleOptionsError(spec: WorkloadSpec, exclusions: Exclusions, offersConsidered: number): InfeasibleError {
  const where = Object.entries(spec.providers)
    .map(([p, s]) => (s.regions ? `${p} (${s.regions.join(", ")})` : `${p} (all regions)`))
    .join(", ");
  if (offersConsidered === 0) {
    return new InfeasibleError(`infeasible: the price catalog has no instance types in ${where}`, ["providers"]);
  }
  const reasons = [...exclusions.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const detail = reasons.map(([path, n]) => `${path} ruled out ${n}`).join(", ");
  const { cpu, memoryGiB, gpus } = spec.demand;
  return new InfeasibleError(
    `infeasible: no instance type in ${where} can host a replica of ${cpu} vCPU, ${memoryGiB} GiB${gpus > 0 ? `, ${gpus} GPU` : ""} ` +
      `under the instance filters (of ${offersConsidered} offers: ${detail}); relax ${reasons[0]?.[0] ?? "the instance filters"}`,
    reasons.map(([path]) => path),
  );
}

export async function diagnoseInfeasibility(
  spec: WorkloadSpec,
  options: readonly PlacementOption[],
  constraints: PlacementConstraints,
  limits: SolveLimits,
  overheads?: OverheadRates,
  withoutResidency?: () => WidenedOptions,
): Promise<InfeasibleError> {
  const relaxations = relaxationsOf(constraints);
  // Residency is relaxed like any other constraint (DESIGN.md "Compliance and audit"), over the
  // options the residency filter removed (built only if a diagnosis needs them).
  const residency = spec.compliance?.residency;
  if (residency && withoutResidency) {
    let widened: WidenedOptions | undefined;
    relaxations.push({
      path: "compliance.residency",
      value: residency.join(", "),
      relax: (c) => c,
      get widened() {
        return (widened ??= withoutResidency());
      },
    });
  }
  const replicas = spec.demand.replicas;
  const cheapestWithout = async (chosen: Relaxation[]): Promise<number | undefined> => {
    const relaxed = chosen.reduce((c, r) => r.relax(c), constraints);
    const wide = chosen.find((r) => r.widened)?.widened;
    const result = await solveMip(buildModel(wide?.options ?? options, replicas, relaxed, undefined, wide?.rates ?? overheads).lp, limits);
    return result.status === "infeasible" ? undefined : result.objective * HOURS_PER_MONTH;
  };

  const singles: string[] = [];
  for (const r of relaxations) {
    const monthly = await cheapestWithout([r]);
    if (monthly !== undefined) singles.push(`${r.path} (${r.value}; without it the cheapest plan costs ${usd(monthly)}/month)`);
  }
  const providers = eligibleByProvider(options);
  if (singles.length > 0) {
    return new InfeasibleError(
      `infeasible: no placement of ${replicas} replicas meets every constraint (eligible instance types exist on: ${providers}). ` +
        `Relaxing any one of these makes it feasible: ${singles.join("; ")}`,
      relaxations.filter((r) => singles.some((s) => s.startsWith(`${r.path} `))).map((r) => r.path),
    );
  }
  for (let a = 0; a < relaxations.length; a++) {
    for (let b = a + 1; b < relaxations.length; b++) {
      const pair = [relaxations[a]!, relaxations[b]!];
      const monthly = await cheapestWithout(pair);
      if (monthly !== undefined) {
        return new InfeasibleError(
          `infeasible: no placement of ${replicas} replicas meets every constraint (eligible instance types exist on: ${providers}). ` +
            `No single constraint is to blame; relaxing both ${pair.map((r) => `${r.path} (${r.value})`).join(" and ")} makes it feasible ` +
            `(cheapest plan then ${usd(monthly)}/month)`,
          pair.map((r) => r.path),
        );
      }
    }
  }
  return new InfeasibleError(
    `infeasible: these constraints together admit no placement of ${replicas} replicas: ${relaxations.map((r) => `${r.path} (${r.value})`).join(", ")}`,
    relaxations.map((r) => r.path),
  );
}

function relaxationsOf(c: PlacementConstraints): Relaxation[] {
  const out: Relaxation[] = [];
  const scalar = (key: "minProviders" | "maxProviderShare" | "survivesProviderLoss" | "maxMonthlyUsd") => {
    if (c[key] !== undefined) out.push({ path: `constraints.${key}`, value: String(c[key]), relax: (x) => ({ ...x, [key]: undefined }) });
  };
  scalar("minProviders");
  scalar("maxProviderShare");
  scalar("survivesProviderLoss");
  // A spot share only limits spot options, so relaxing it can only matter when spot is allowed.
  if ((c.maxSpotShare ?? 0) > 0) out.push({ path: "constraints.maxSpotShare", value: String(c.maxSpotShare), relax: (x) => ({ ...x, maxSpotShare: 1 }) });
  scalar("maxMonthlyUsd");
  for (const key of Object.keys(c.quotas).sort()) {
    out.push({
      path: `constraints.quotas.${key}`,
      value: `vcpu ${c.quotas[key]}`,
      relax: (x) => ({ ...x, quotas: Object.fromEntries(Object.entries(x.quotas).filter(([k]) => k !== key)) }),
    });
  }
  return out;
}

/** Providers that have at least one eligible instance type (a share cap needs several). */
function eligibleByProvider(options: readonly PlacementOption[]): string {
  return [...new Set(options.map((o) => o.offer.provider))].sort().join(", ");
}
