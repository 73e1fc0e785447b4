/**
 * Steps 1 and 2 together: the eligible options of a spec (options.ts), each region's fixed cost,
 * and the exact reduction (reduce.ts) that leaves the model's columns. The plan's own solve and
 * the explanation's re-solves over a wider option set (./explain.ts: residency or spot removed)
 * build their candidates the same way, so both models are reduced by the same exact rules.
 */
import type { InstanceOffer } from "../catalog/offer";
import type { WorkloadSpec } from "../spec/schema";
import { overheadHourly, type RegionOverheads } from "../plan/overheads";
import { placementOptions, type PlacementOption } from "./options";
import { dropDominatedRegions, reduceOptions } from "./reduce";
import { regionKey, type OverheadRates } from "./model";

export interface Candidates {
  /** The options left after the exact reduction (or all of them without it). */
  options: PlacementOption[];
  /** `provider/region` -> fixed $/hour, for the regions of the options that have one. */
  rates: OverheadRates;
  /** Regions reduced and consolidated on their own: quota regions and regions with a fixed cost. */
  separateRegions: Set<string>;
}

/**
 * The reduction of `options`. `quotaRegions`: regions with a vCPU quota in the spec; reducing with
 * them set apart is exact for the spec's constraints and for any subset of them (a dominating
 * option is still at least as good once a constraint is gone), which the explanation relies on.
 */
export function reduceCandidates(options: readonly PlacementOption[], overheads: RegionOverheads | undefined, quotaRegions: ReadonlySet<string>, reduce = true): Candidates {
  // A region with a fixed cost is not interchangeable with another: its options are reduced and
  // consolidated among themselves (dominance inside one region is untouched by its fixed cost).
  const rates = overheadRates(options, overheads);
  const separateRegions = new Set([...quotaRegions, ...rates.keys()]);
  const reduced = reduce ? dropDominatedRegions(reduceOptions(options, separateRegions, quotaRegions), rates, quotaRegions) : [...options];
  return { options: reduced, rates, separateRegions };
}

/**
 * Candidates for a spec with its option filters widened: `residency` false drops the residency
 * rule, `spot` true admits spot options whatever the spec's maxSpotShare (the explanation's
 * "constraint removed" models). Built from the full offer list, never from an already reduced set:
 * a reduction under a region filter is not valid once more regions come in.
 */
export function widenedCandidates(
  spec: WorkloadSpec,
  offers: readonly InstanceOffer[],
  filters: { allowedRegion?: (provider: string, region: string) => boolean; spot: boolean },
  overheads: RegionOverheads | undefined,
  quotaRegions: ReadonlySet<string>,
): Candidates {
  const withSpot: WorkloadSpec = filters.spot ? { ...spec, constraints: { ...spec.constraints, maxSpotShare: 1 } } : spec;
  const { options } = placementOptions(withSpot, offers, filters.allowedRegion, true);
  return reduceCandidates(options, overheads, quotaRegions);
}

function overheadRates(options: readonly PlacementOption[], overheads: RegionOverheads | undefined): OverheadRates {
  const rates = new Map<string, number>();
  if (!overheads) return rates;
  for (const o of options) {
    const key = regionKey(o);
    if (rates.has(key)) continue;
    const hourly = overheadHourly(overheads(o.offer.provider, o.offer.region));
    if (hourly > 0) rates.set(key, hourly);
  }
  return rates;
}
