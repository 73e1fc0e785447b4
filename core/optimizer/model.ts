/**
 * Step 3: the mixed-integer program, written as CPLEX LP text for HiGHS.
 *
 * Index j over placement options, p over providers, (p,r) over quota regions. Data: f_j replicas
 * per instance, c_j $/instance-hour, v_j vCPUs per instance, R demanded replicas.
 *
 *   minimise    sum_j c_j n_j                                   (hourly cost; monthly = x730)
 *   subject to  y_j - f_j n_j <= 0                 for all j     a replica needs a slot
 *               sum_j y_j = R                                    place every demanded replica
 *               sum_{j in p} y_j <= S_p            for all p     maxProviderShare, survivesProviderLoss
 *               sum_{j spot} y_j <= S_spot                       maxSpotShare
 *               sum_j c_j n_j <= B / 730                         maxMonthlyUsd
 *               sum_{j in (p,r)} v_j n_j <= Q_pr   for all (p,r) quotas
 *               sum_{j in p} y_j - u_p >= 0        for all p     minProviders: u_p = 1 only if p
 *               sum_p u_p >= k                                   hosts a replica
 *               n_j in {0..ceil(R/f_j)}, y_j in {0..R}, u_p in {0,1}
 *
 * n_j is the instance count, y_j the replicas placed on option j (an instance may hold fewer
 * replicas than it fits; shares are shares of placed replicas). S_p = min(floor(maxProviderShare R),
 * R - ceil(survivesProviderLoss R)), S_spot = floor(maxSpotShare R): integer right-hand sides
 * computed here, so float products like 0.57 x 100 = 56.99999 cannot cost a replica.
 *
 * Constraints are data (`PlacementConstraints`): the infeasibility diagnosis rebuilds the model
 * with one of them removed. The plan's explanation (explain.ts) re-solves without them too, on
 * group-model.ts: the same optimum with y counted per group of interchangeable options.
 *
 * A disruption budget (drift: move at most part of a pinned placement at once) adds, for each
 * option j of the pinned plan, kept replicas k_j <= y_j, k_j <= pinned_j, and sum_j k_j >= K.
 *
 * Regional overheads (a load balancer, NAT: fixed $/hour o_r for each region r used, when the spec
 * has `traffic`) add a binary z_r per region with an overhead, exactly:
 *
 *   minimise    sum_j c_j n_j + sum_r o_r z_r
 *   subject to  sum_{j in r} y_j - R z_r <= 0      for all r     a region hosts replicas only if used
 *               (the budget row carries the o_r z_r terms too)
 *
 * Regions without an overhead get no z_r, so a spec without `traffic` gives the same model, text
 * for text.
 */
import type { PlacementOption } from "./options";
import type { WorkloadSpec } from "../spec/schema";
import { HOURS_PER_MONTH } from "../util/units";


export interface PlacementConstraints {
  minProviders?: number;
  maxProviderShare?: number;
  survivesProviderLoss?: number;
  maxSpotShare?: number;
  maxMonthlyUsd?: number;
  /** `provider/region` -> max vCPUs placed there. */
  quotas: Record<string, number>;
}

export interface Model {
  /** CPLEX LP text. Option j's instance count is column `n${j}`, its placed replicas `y${j}`. */
  lp: string;
}

/** The spec's constraints as model data. */
export function constraintsOfSpec(spec: WorkloadSpec): PlacementConstraints {
  const c = spec.constraints;
  return {
    minProviders: c.minProviders,
    maxProviderShare: c.maxProviderShare,
    survivesProviderLoss: c.survivesProviderLoss,
    maxSpotShare: c.maxSpotShare,
    maxMonthlyUsd: c.maxMonthlyUsd,
    quotas: Object.fromEntries(Object.entries(c.quotas).map(([k, q]) => [k, q.vcpu])),
  };
}

/** Integer tolerance when turning a share into a replica bound (0.57 x 100 must give 57). */
const EPS = 1e-9;

export function providerReplicaCap(replicas: number, c: PlacementConstraints): number {
  let cap = replicas;
  if (c.maxProviderShare !== undefined) cap = Math.min(cap, Math.floor(c.maxProviderShare * replicas + EPS));
  if (c.survivesProviderLoss !== undefined) cap = Math.min(cap, replicas - Math.ceil(c.survivesProviderLoss * replicas - EPS));
  return cap;
}

export function spotReplicaCap(replicas: number, c: PlacementConstraints): number {
  return Math.floor((c.maxSpotShare ?? 0) * replicas + EPS);
}

/** Replicas to keep where they are (option index -> pinned replicas there), at least `minKept` in all. */
export interface KeepConstraint {
  pinned: ReadonlyMap<number, number>;
  minKept: number;
}

/** `provider/region` -> fixed $/hour of using the region (only regions with a cost). */
export type OverheadRates = ReadonlyMap<string, number>;

export const regionKey = (o: PlacementOption): string => `${o.offer.provider}/${o.offer.region}`;

export function buildModel(options: readonly PlacementOption[], replicas: number, c: PlacementConstraints, keep?: KeepConstraint, overheads?: OverheadRates): Model {
  const lines: string[] = [];
  const providers = [...new Set(options.map((o) => o.offer.provider))].sort();
  const byProvider = (p: string) => options.flatMap((o, j) => (o.offer.provider === p ? [j] : []));
  // Regions with a fixed cost, in sorted order: column z{i} says region i is used.
  const opened = [...new Set(options.map(regionKey))].filter((r) => (overheads?.get(r) ?? 0) > 0).sort();
  const costTerms = terms([...options.map((o, j) => [o.hourlyUsd, `n${j}`] as const), ...opened.map((r, i) => [overheads!.get(r)!, `z${i}`] as const)]);

  lines.push("Minimize");
  lines.push(` obj: ${costTerms}`);
  lines.push("Subject To");
  options.forEach((o, j) => lines.push(` fit${j}: y${j} - ${o.fit} n${j} <= 0`));
  lines.push(` demand: ${terms(options.map((_, j) => [1, `y${j}`]))} = ${replicas}`);

  const cap = providerReplicaCap(replicas, c);
  if (cap < replicas) {
    providers.forEach((p, i) => lines.push(` share${i}: ${terms(byProvider(p).map((j) => [1, `y${j}`]))} <= ${cap}`));
  }
  const spot = options.flatMap((o, j) => (o.lifecycle === "spot" ? [j] : []));
  if (spot.length > 0) lines.push(` spot: ${terms(spot.map((j) => [1, `y${j}`]))} <= ${spotReplicaCap(replicas, c)}`);
  if (c.maxMonthlyUsd !== undefined) lines.push(` budget: ${costTerms} <= ${c.maxMonthlyUsd / HOURS_PER_MONTH}`);
  opened.forEach((r, i) => {
    const inRegion = options.flatMap((o, j) => (regionKey(o) === r ? [j] : []));
    lines.push(` open${i}: ${terms(inRegion.map((j) => [1, `y${j}`]))} - ${replicas} z${i} <= 0`);
  });
  Object.keys(c.quotas)
    .sort()
    .forEach((key, i) => {
      const inRegion = options.flatMap((o, j) => (`${o.offer.provider}/${o.offer.region}` === key ? [j] : []));
      if (inRegion.length > 0) lines.push(` quota${i}: ${terms(inRegion.map((j) => [options[j]!.offer.vcpu, `n${j}`]))} <= ${c.quotas[key]}`);
    });
  const useProviderBinaries = (c.minProviders ?? 1) > 1;
  if (useProviderBinaries) {
    providers.forEach((p, i) => lines.push(` used${i}: ${terms(byProvider(p).map((j) => [1, `y${j}`]))} - u${i} >= 0`));
    lines.push(` minproviders: ${terms(providers.map((_, i) => [1, `u${i}`]))} >= ${c.minProviders}`);
  }

  const kept = keep && keep.minKept > 0 ? [...keep.pinned.keys()].sort((a, b) => a - b) : [];
  if (kept.length > 0) {
    kept.forEach((j) => lines.push(` keep${j}: k${j} - y${j} <= 0`));
    lines.push(` kept: ${terms(kept.map((j) => [1, `k${j}`]))} >= ${keep!.minKept}`);
  }

  lines.push("Bounds");
  kept.forEach((j) => lines.push(` 0 <= k${j} <= ${keep!.pinned.get(j)}`));
  options.forEach((o, j) => {
    lines.push(` 0 <= n${j} <= ${Math.ceil(replicas / o.fit)}`);
    lines.push(` 0 <= y${j} <= ${replicas}`);
  });
  lines.push("General");
  lines.push(` ${options.map((_, j) => `n${j} y${j}`).join(" ")}${kept.map((j) => ` k${j}`).join("")}`);
  const binaries = [...(useProviderBinaries ? providers.map((_, i) => `u${i}`) : []), ...opened.map((_, i) => `z${i}`)];
  if (binaries.length > 0) {
    lines.push("Binary");
    lines.push(` ${binaries.join(" ")}`);
  }
  lines.push("End");
  return { lp: lines.join("\n") };
}

/** `a x + b y ...` with coefficients printed exactly (shortest round-trip form). */
function terms(pairs: ReadonlyArray<readonly [number, string]>): string {
  if (pairs.length === 0) throw new Error("internal: empty linear expression in the placement model");
  return pairs.map(([k, v], i) => `${i === 0 ? "" : "+ "}${k} ${v}`).join(" ");
}
