/**
 * The placement model with replicas counted per group instead of per option, for the optimum's
 * cost alone (the explanation's re-solves, ./explain.ts). Index j over options, g over groups
 * (reduce.ts `groupOptions`: same provider and lifecycle, and same region where the region is set
 * apart by a quota or a fixed cost), p over providers:
 *
 *   minimise    sum_j c_j n_j + sum_r o_r z_r
 *   subject to  Y_g - sum_{j in g} f_j n_j <= 0    for all g     the group's replicas need its slots
 *               sum_g Y_g = R
 *               sum_{g in p} Y_g <= S_p            for all p     (as model.ts: shares, spot, budget,
 *               sum_{g spot} Y_g <= S_spot                        quotas on n_j, regions opened,
 *               ...                                               minProviders)
 *
 * Exact, for the objective: every constraint of model.ts reads placed replicas only through sums
 * over whole groups (per provider, per lifecycle, per region set apart), so a plan of model.ts
 * gives group sums that satisfy this model at the same cost, and group sums Y_g within the
 * group's slots can always be spread over its options (y_j <= f_j n_j). It has one replica column
 * per group instead of one per option: far fewer symmetric ways to write the same placement, so
 * the solver proves the optimum several times faster, so plans are solved on it too
 * (optimize.ts, except under a disruption budget, which needs per-option replicas): a second solve
 * breaks ties between groups canonically (`tieBreak` below), and consolidate.ts picks the hosts
 * within each group.
 */
import type { PlacementOption } from "./options";
import { providerReplicaCap, regionKey, spotReplicaCap, type OverheadRates, type PlacementConstraints } from "./model";
import { groupOptions, isRegionalGroup } from "./reduce";
import { HOURS_PER_MONTH } from "../util/units";

/** Costs within the solver's absolute gap (solver.ts: 1e-6 $/hour) are the same optimum. */
const TIE_TOLERANCE_USD = 1e-6;

export interface GroupModel {
  /** CPLEX LP text: instance counts `n${j}`, group replicas `g${i}`. */
  lp: string;
  /** Group i: its option indices, provider, lifecycle and region (regional groups only). */
  groups: Array<{ options: number[]; provider: string; spot: boolean; region?: string }>;
}

/**
 * `tieBreak`: the canonical tie-break among optimal placements (optimize.ts). The model then keeps
 * only placements that cost at most `optimum` (the optimum's hourly cost, plus the solver's
 * absolute gap of 1e-6 $/hour) and minimises sum_i (i+1) Y_i instead: replicas go to groups early in
 * the sorted group order (provider, lifecycle, region), whichever optimal solution the first solve
 * happened to find.
 */
export function buildGroupModel(
  options: readonly PlacementOption[],
  replicas: number,
  c: PlacementConstraints,
  rates: OverheadRates,
  separateRegions: ReadonlySet<string>,
  tieBreak?: { optimum: number },
): GroupModel {
  const keyed = groupOptions(options.map((o, j) => ({ o, j })), separateRegions, (x) => x.o);
  const keys = [...keyed.keys()].sort();
  const groups = keys.map((key) => {
    const members = keyed.get(key)!;
    const first = members[0]!.o;
    return {
      options: members.map((m) => m.j),
      provider: first.offer.provider,
      spot: first.lifecycle === "spot",
      ...(isRegionalGroup(key) ? { region: regionKey(first) } : {}),
    };
  });
  const providers = [...new Set(groups.map((g) => g.provider))].sort();
  const opened = [...rates.keys()].filter((r) => groups.some((g) => g.region === r)).sort();
  const costTerms = terms([...options.map((o, j) => [o.hourlyUsd, `n${j}`] as const), ...opened.map((r, i) => [rates.get(r)!, `z${i}`] as const)]);
  const sumOf = (pick: (g: GroupModel["groups"][number]) => boolean) => terms(groups.flatMap((g, i) => (pick(g) ? [[1, `g${i}`] as const] : [])));

  const objective = tieBreak ? terms(groups.map((_, i) => [i + 1, `g${i}`] as const)) : costTerms;
  const lines = ["Minimize", ` obj: ${objective}`, "Subject To"];
  if (tieBreak) lines.push(` optimal: ${costTerms} <= ${tieBreak.optimum + TIE_TOLERANCE_USD}`);
  groups.forEach((g, i) => lines.push(` slots${i}: g${i} ${g.options.map((j) => `- ${options[j]!.fit} n${j}`).join(" ")} <= 0`));
  lines.push(` demand: ${sumOf(() => true)} = ${replicas}`);
  const cap = providerReplicaCap(replicas, c);
  if (cap < replicas) providers.forEach((p, i) => lines.push(` share${i}: ${sumOf((g) => g.provider === p)} <= ${cap}`));
  if (groups.some((g) => g.spot)) lines.push(` spot: ${sumOf((g) => g.spot)} <= ${spotReplicaCap(replicas, c)}`);
  if (c.maxMonthlyUsd !== undefined) lines.push(` budget: ${costTerms} <= ${c.maxMonthlyUsd / HOURS_PER_MONTH}`);
  opened.forEach((r, i) => lines.push(` open${i}: ${sumOf((g) => g.region === r)} - ${replicas} z${i} <= 0`));
  Object.keys(c.quotas)
    .sort()
    .forEach((key, i) => {
      const inRegion = options.flatMap((o, j) => (regionKey(o) === key ? [j] : []));
      if (inRegion.length > 0) lines.push(` quota${i}: ${terms(inRegion.map((j) => [options[j]!.offer.vcpu, `n${j}`]))} <= ${c.quotas[key]}`);
    });
  const useProviderBinaries = (c.minProviders ?? 1) > 1;
  if (useProviderBinaries) {
    providers.forEach((p, i) => lines.push(` used${i}: ${sumOf((g) => g.provider === p)} - u${i} >= 0`));
    lines.push(` minproviders: ${terms(providers.map((_, i) => [1, `u${i}`]))} >= ${c.minProviders}`);
  }
  lines.push("Bounds");
  options.forEach((o, j) => lines.push(` 0 <= n${j} <= ${Math.ceil(replicas / o.fit)}`));
  groups.forEach((_, i) => lines.push(` 0 <= g${i} <= ${replicas}`));
  lines.push("General", ` ${[...options.map((_, j) => `n${j}`), ...groups.map((_, i) => `g${i}`)].join(" ")}`);
  const binaries = [...(useProviderBinaries ? providers.map((_, i) => `u${i}`) : []), ...opened.map((_, i) => `z${i}`)];
  if (binaries.length > 0) lines.push("Binary", ` ${binaries.join(" ")}`);
  lines.push("End");
  return { lp: lines.join("\n"), groups };
}

function terms(pairs: ReadonlyArray<readonly [number, string]>): string {
  if (pairs.length === 0) throw new Error("internal: empty linear expression in the placement model");
  return pairs.map(([k, v], i) => `${i === 0 ? "" : "+ "}${k} ${v}`).join(" ");
}
