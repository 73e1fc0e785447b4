/**
 * Step 2: exact reduction. Option `a` is useless when another option `b` of the same provider and
 * lifecycle hosts at least as many replicas for no more money: any plan using `a` becomes a plan at
 * most as costly by swapping each `a` instance for a `b` instance, and every constraint still holds
 * because every constraint reads replicas per provider and lifecycle, or cost. The one exception is
 * a vCPU quota, which reads (provider, region) and vCPUs: options in a region with a quota form
 * their own group and `b` must also use no more vCPUs.
 *
 * What remains per group is a Pareto frontier over (fit up, price down), a handful of options out
 * of tens of thousands. Among exact ties the first in a fixed order is kept (fewer vCPUs, then less
 * memory, then region and type name), so the result never depends on catalog row order.
 */
import { cmp } from "../catalog/offer";
import type { PlacementOption } from "./options";
import { compareOptions, preferred } from "./option-order";

/**
 * `separateRegions`: regions whose options form groups of their own (quota regions, regions with a
 * fixed cost); `quotaRegions`: those where vCPUs also count (default: the same set).
 */
export function reduceOptions(options: readonly PlacementOption[], separateRegions: ReadonlySet<string>, quotaRegions: ReadonlySet<string> = separateRegions): PlacementOption[] {
  const kept: PlacementOption[] = [];
  for (const [key, group] of groupOptions(options, separateRegions, (o) => o)) {
    const first = group[0]!;
    kept.push(...paretoFrontier(group, isRegionalGroup(key) && quotaRegions.has(`${first.offer.provider}/${first.offer.region}`)));
  }
  return kept.sort(compareOptions);
}

/**
 * Options that are interchangeable for every constraint: same provider and lifecycle, and same
 * region when that region has a vCPU quota. Map key: `provider|lifecycle|region-or-*`.
 */
export function groupOptions<T>(items: readonly T[], quotaRegions: ReadonlySet<string>, optionOf: (item: T) => PlacementOption): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  // Keys per (provider, region), built once: ~95k options share a few hundred of them, and two
  // fresh strings per option were a large part of a plan's garbage.
  const keysOf = new Map<string, Map<string, Record<PlacementOption["lifecycle"], string>>>();
  for (const item of items) {
    const option = optionOf(item);
    const { provider, region } = option.offer;
    let regions = keysOf.get(provider);
    if (!regions) keysOf.set(provider, (regions = new Map()));
    let keys = regions.get(region);
    if (!keys) {
      const where = quotaRegions.has(`${provider}/${region}`) ? region : "*";
      regions.set(region, (keys = { "on-demand": `${provider}|on-demand|${where}`, spot: `${provider}|spot|${where}` }));
    }
    const key = keys[option.lifecycle];
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(item);
  }
  return groups;
}

export function isRegionalGroup(key: string): boolean {
  return !key.endsWith("|*");
}

function paretoFrontier(group: PlacementOption[], vcpuMatters: boolean): PlacementOption[] {
  // Without vCPUs in play only the best option per fit can survive: pick it in one pass (groups
  // hold tens of thousands of options), then sweep fits from large to small.
  const candidates = vcpuMatters ? group : [...bestPerFit(group).values()];
  // Cheapest first; at equal price the larger fit first, so a dominator is always seen before the
  // options it dominates.
  const sorted = candidates.sort((a, b) => a.hourlyUsd - b.hourlyUsd || b.fit - a.fit || preferred(a, b));
  const frontier: PlacementOption[] = [];
  for (const candidate of sorted) {
    const dominated = frontier.some(
      (k) => k.fit >= candidate.fit && k.hourlyUsd <= candidate.hourlyUsd && (!vcpuMatters || k.offer.vcpu <= candidate.offer.vcpu),
    );
    if (!dominated) frontier.push(candidate);
  }
  return vcpuMatters ? frontier : withoutCopyDominated(frontier);
}

/**
 * Dominance by copies: `x` can also go when k = ceil(fit_x / fit_y) instances of a smaller `y` of
 * the group host at least x's replicas for strictly less money (k c_y < c_x). Any plan using x then
 * costs strictly more than the same plan with each x instance replaced by at most k y instances,
 * which every constraint also accepts (they read replicas per provider and lifecycle, or cost; a
 * region with a fixed cost is its own group, so nothing opens): x is in no optimal plan, and the
 * set of optimal plans, hence the canonical one, is unchanged. Not for vCPU quota groups (k
 * instances can use more vCPUs). Strict, in whole 1e-10 dollars (prices are rounded to them), so an
 * exact tie is never decided here. All-regions with traffic (a fixed cost per region, so a group
 * per region): 1,244 options -> 342, plan 2.16 -> 1.68 s (median of 9 paired fresh runs, same
 * plan); all-regions 82 -> 38.
 */
function withoutCopyDominated(frontier: readonly PlacementOption[]): PlacementOption[] {
  const units = (usd: number) => Math.round(usd * 1e10);
  return frontier.filter(
    (x) => !frontier.some((y) => y.fit < x.fit && Math.ceil(x.fit / y.fit) * units(y.hourlyUsd) < units(x.hourlyUsd)),
  );
}

function bestPerFit(group: readonly PlacementOption[]): Map<number, PlacementOption> {
  const best = new Map<number, PlacementOption>();
  for (const option of group) {
    const current = best.get(option.fit);
    if (!current || option.hourlyUsd < current.hourlyUsd || (option.hourlyUsd === current.hourlyUsd && preferred(option, current) < 0)) {
      best.set(option.fit, option);
    }
  }
  return best;
}

/**
 * Region dominance, for regions with a fixed cost (they are reduced per region, above): region A
 * of a provider can go when another region B of the same provider costs no more to open and, for
 * each lifecycle, every option left in A has an option in B that hosts at least as many replicas
 * for no more money. Moving all of A's replicas to B then never costs more (B's fixed cost is at
 * most A's, and nothing if B is open already) and every constraint still holds: they read replicas
 * per provider and lifecycle, or cost. Regions with a vCPU quota are never dropped nor used as B.
 * Among regions that dominate each other the first in canonical order stays.
 */
export function dropDominatedRegions(options: readonly PlacementOption[], rates: ReadonlyMap<string, number>, quotaRegions: ReadonlySet<string>): PlacementOption[] {
  const byRegion = new Map<string, PlacementOption[]>();
  for (const o of options) {
    const key = `${o.offer.provider}/${o.offer.region}`;
    let list = byRegion.get(key);
    if (!list) byRegion.set(key, (list = []));
    list.push(o);
  }
  const keys = [...byRegion.keys()].filter((k) => rates.has(k) && !quotaRegions.has(k)).sort(cmp);
  const dropped = new Set<string>();
  const covers = (b: PlacementOption[], a: PlacementOption[]) =>
    a.every((x) => b.some((y) => y.lifecycle === x.lifecycle && y.fit >= x.fit && y.hourlyUsd <= x.hourlyUsd));
  for (const a of keys) {
    const provider = a.slice(0, a.indexOf("/"));
    const dominated = keys.some((b) => {
      if (b === a || dropped.has(b) || !b.startsWith(`${provider}/`) || rates.get(b)! > rates.get(a)!) return false;
      if (!covers(byRegion.get(b)!, byRegion.get(a)!)) return false;
      // Mutual domination: keep the first in canonical order.
      return !(covers(byRegion.get(a)!, byRegion.get(b)!) && rates.get(a) === rates.get(b) && cmp(a, b) < 0);
    });
    if (dominated) dropped.add(a);
  }
  return options.filter((o) => !dropped.has(`${o.offer.provider}/${o.offer.region}`));
}
