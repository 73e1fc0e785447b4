/**
 * Step 4: the tie-break. Many placements often cost exactly the same (list prices are linear
 * within a family: eight `large` cost what one `4xlarge` costs), and the solver's pick among them
 * would look arbitrary in review. Among equal-cost ways to host each group's replicas, this picks
 * the one with the fewest instances, then the earliest options in the canonical order.
 *
 * A group (reduce.ts) is a set of options interchangeable for every constraint, so re-packing a
 * group's placed replicas at no higher cost keeps every constraint: shares read replicas per group,
 * the budget reads cost. Groups with a region quota also read vCPUs: a re-packing that would use
 * more vCPUs there is not taken.
 *
 * Per group this is a small covering problem solved exactly by dynamic programming over slot
 * counts, lexicographically (least cost, then fewest instances, then earliest option in the
 * canonical order), in well under a millisecond.
 */
import type { PlacementOption } from "./options";
import { groupOptions, isRegionalGroup } from "./reduce";

export interface GroupAllocation {
  option: PlacementOption;
  count: number;
  replicas: number;
}

/** Costs within this relative distance are equal (float sums of decimal prices). */
const COST_TOLERANCE = 1e-9;

export function consolidate(
  allocations: readonly GroupAllocation[],
  candidates: readonly PlacementOption[],
  /** Regions whose options are grouped apart (quota regions, regions with a fixed cost). */
  separateRegions: ReadonlySet<string>,
  /** Options replicas are being kept on (a disruption budget): their groups are left as solved. */
  pinned: ReadonlySet<PlacementOption> = new Set(),
  /** Regions with a vCPU quota: a repacking there may not use more vCPUs (default: all separate regions). */
  quotaRegions: ReadonlySet<string> = separateRegions,
): GroupAllocation[] {
  const placed = groupOptions(allocations, separateRegions, (a) => a.option);
  const options = groupOptions(candidates, separateRegions, (o) => o);
  const out: GroupAllocation[] = [];
  for (const [key, current] of placed) {
    const replicas = current.reduce((sum, a) => sum + a.replicas, 0);
    const cost = current.reduce((sum, a) => sum + a.count * a.option.hourlyUsd, 0);
    const vcpu = current.reduce((sum, a) => sum + a.count * a.option.offer.vcpu, 0);
    const instances = current.reduce((sum, a) => sum + a.count, 0);
    const groupOptionsList = options.get(key) ?? [];
    const repacked = groupOptionsList.some((o) => pinned.has(o)) ? undefined : cheapestPacking(groupOptionsList, replicas);
    // Without a quota the canonical packing always replaces the solver's (it costs no more), so a
    // group's hosts depend on its replica total alone, never on which optimal solution the solver
    // found. In a quota region it must also use no more vCPUs, so the solver's packing stays
    // unless the canonical one is also smaller.
    const quota = isRegionalGroup(key) && quotaRegions.has(regionOf(current[0]!.option));
    const better =
      repacked !== undefined &&
      repacked.cost <= cost * (1 + COST_TOLERANCE) &&
      (quota ? repacked.instances < instances && repacked.vcpu <= vcpu : true);
    out.push(...(better ? repacked.allocations : current.map(({ option, count, replicas: r }) => ({ option, count, replicas: r }))));
  }
  return out;
}

interface Packing {
  cost: number;
  instances: number;
  vcpu: number;
  allocations: GroupAllocation[];
}

/** Least cost, then fewest instances, covering `replicas` slots with the group's options. */
function cheapestPacking(options: readonly PlacementOption[], replicas: number): Packing | undefined {
  if (options.length === 0) return undefined;
  // best[k]: least (cost, instances) covering at least k slots; choice[k]: the option added last.
  const cost = new Float64Array(replicas + 1).fill(Infinity);
  const instances = new Int32Array(replicas + 1);
  const choice = new Int32Array(replicas + 1).fill(-1);
  cost[0] = 0;
  for (let k = 1; k <= replicas; k++) {
    for (let i = 0; i < options.length; i++) {
      const o = options[i]!;
      const from = Math.max(0, k - o.fit);
      const c = cost[from]! + o.hourlyUsd;
      const n = instances[from]! + 1;
      const best = cost[k]!;
      if (c < best * (1 - COST_TOLERANCE) || (c <= best * (1 + COST_TOLERANCE) && n < instances[k]!)) {
        cost[k] = c;
        instances[k] = n;
        choice[k] = i;
      }
    }
  }
  const counts = new Array<number>(options.length).fill(0);
  for (let k = replicas; k > 0; k = Math.max(0, k - options[choice[k]!]!.fit)) counts[choice[k]!]!++;
  let left = replicas;
  const allocations: GroupAllocation[] = [];
  options.forEach((option, i) => {
    const count = counts[i]!;
    if (count === 0) return;
    const hosted = Math.min(left, count * option.fit);
    left -= hosted;
    allocations.push({ option, count, replicas: hosted });
  });
  return {
    cost: cost[replicas]!,
    instances: instances[replicas]!,
    vcpu: allocations.reduce((sum, a) => sum + a.count * a.option.offer.vcpu, 0),
    allocations,
  };
}

const regionOf = (o: PlacementOption): string => `${o.offer.provider}/${o.offer.region}`;
