/**
 * Step 1 of planning: the placement options. An option is one (provider, region, instance type,
 * lifecycle) that may host the workload, with how many replicas one instance holds (`fit`) and
 * what one instance costs after the spec's discount.
 *
 * fit = min(floor(vcpu / cpu), floor(memoryGiB / memoryGiB per replica), floor(gpus / gpus per
 * replica) when the workload uses GPUs), capped by instance.maxReplicasPerInstance and by
 * MAX_REPLICAS (the most any spec demands: a larger fit is never used). Types with
 * fit < 1 are not eligible. Every reason an offer is dropped is counted, so that "nothing is
 * eligible" can say which filter emptied the list.
 */
import picomatch from "picomatch";
import type { InstanceOffer, Lifecycle } from "../catalog/offer";
import { MAX_REPLICAS, type WorkloadSpec } from "../spec/schema";
import { round } from "../util/round";
import { compareOptions, preferred } from "./option-order";

export interface PlacementOption {
  offer: InstanceOffer;
  lifecycle: Lifecycle;
  /** Replicas one instance hosts. */
  fit: number;
  /** $/instance-hour after the provider's discount. */
  hourlyUsd: number;
}

/** Why offers in the allowed regions were not eligible, by filter (spec path -> count). */
export type Exclusions = Map<string, number>;

/** One provider's offers in the spec's regions: how many, and why the ineligible ones were dropped. */
export interface ProviderOffers {
  considered: number;
  exclusions: Exclusions;
}

/** Replicas one instance of `offer` hosts for this demand (0 = does not fit). */
export function replicaFit(offer: Pick<InstanceOffer, "vcpu" | "memoryGiB" | "gpus">, spec: Pick<WorkloadSpec, "demand" | "instance">): number {
  const { cpu, memoryGiB, gpus } = spec.demand;
  let fit = Math.min(wholeTimes(offer.vcpu, cpu), wholeTimes(offer.memoryGiB, memoryGiB));
  if (gpus > 0) fit = Math.min(fit, wholeTimes(offer.gpus, gpus));
  // No spec demands more than MAX_REPLICAS, so a larger fit is never used; capping it keeps the
  // model's coefficients in a range the solver reads (tiny sizes against a huge type).
  fit = Math.min(fit, MAX_REPLICAS);
  const cap = spec.instance.maxReplicasPerInstance;
  return Math.max(0, cap === null ? fit : Math.min(fit, cap));
}

/**
 * floor(have / need) for fractional amounts (0.25 vCPU, 0.125 GPU slices): a quotient within
 * float noise of a whole number counts as that number (0.3 / 0.1 is 2.9999999999999996; 15.999999
 * GiB reported for 16), never a real shortfall. The tolerance is relative, so it holds for large
 * quotients too.
 */
export function wholeTimes(have: number, need: number): number {
  const q = have / need;
  const nearest = Math.round(q);
  return Math.abs(q - nearest) <= 1e-9 * Math.max(1, nearest) ? nearest : Math.floor(q);
}

/** A list price after the provider's discount, rounded to 1e-10 $/h: float noise of the product goes, no real price step does. */
export function discountedPrice(listUsd: number, discount: number): number {
  return round(listUsd * (1 - discount), 10);
}

/**
 * `allowedRegion`: the residency rules (core/spec/residency.ts), when the spec has some.
 *
 * `pruneInRegion`: leave out each option that another option of the same provider, region and
 * lifecycle dominates (at least as many replicas, for no more money, on no more vCPUs; exact ties
 * as reduce.ts breaks them). reduceOptions drops every such option anyway, whatever its groups, as
 * its groups are unions of whole regions (the argument is at `inRegionFrontier`), so the reduced
 * candidates are the same; only fewer objects are built. All-regions: 106,911 options, of which
 * the dropped ones now die young instead of surviving into the reduction. Not for a pinned plan
 * (its options are kept even when dominated) nor without reduction. `eligible` counts every option.
 */
export function placementOptions(
  spec: WorkloadSpec,
  offers: readonly InstanceOffer[],
  allowedRegion?: (provider: string, region: string) => boolean,
  pruneInRegion = false,
): { options: PlacementOption[]; eligible: number; exclusions: Exclusions; offersConsidered: number; byProvider: Map<string, ProviderOffers> } {
  const { instance, demand, constraints } = spec;
  const allowSpot = (constraints.maxSpotShare ?? 0) > 0;
  const familyViolation = familyRule(spec);
  const regionFilter = new Map(
    Object.entries(spec.providers).map(([name, p]) => [name, p.regions ? new Set(p.regions) : undefined] as const),
  );
  const exclusions: Exclusions = new Map();
  // Per provider too: the plan's explanation says why a provider got nothing (./explain.ts).
  const byProvider = new Map<string, ProviderOffers>();
  let current: ProviderOffers = { considered: 0, exclusions: new Map() };
  const exclude = (why: string) => {
    exclusions.set(why, (exclusions.get(why) ?? 0) + 1);
    current.exclusions.set(why, (current.exclusions.get(why) ?? 0) + 1);
  };

  const options: PlacementOption[] = [];
  let eligible = 0;
  // One region's options at a time when pruning (offers come sorted by provider and region).
  let block: { provider: string; region: string; onDemand: PlacementOption[]; spot: PlacementOption[] } | undefined;
  const flush = () => {
    if (!block) return;
    options.push(...inRegionFrontier(block.onDemand), ...inRegionFrontier(block.spot));
    block = undefined;
  };
  const add = (option: PlacementOption) => {
    eligible++;
    if (!pruneInRegion) return void options.push(option);
    const { provider, region } = option.offer;
    if (block && (block.provider !== provider || block.region !== region)) flush();
    block ??= { provider, region, onDemand: [], spot: [] };
    (option.lifecycle === "spot" ? block.spot : block.onDemand).push(option);
  };
  let offersConsidered = 0;
  for (const offer of offers) {
    if (!regionFilter.has(offer.provider)) continue;
    const regions = regionFilter.get(offer.provider);
    if (regions && !regions.has(offer.region)) continue;
    offersConsidered++;
    const known = byProvider.get(offer.provider);
    if (known) current = known;
    else byProvider.set(offer.provider, (current = { considered: 0, exclusions: new Map() }));
    current.considered++;

    if (allowedRegion && !allowedRegion(offer.provider, offer.region)) { exclude("compliance.residency"); continue; }
    if (instance.arch !== "any" && offer.arch !== instance.arch) { exclude("instance.arch"); continue; }
    if (instance.minVcpu !== undefined && offer.vcpu < instance.minVcpu) { exclude("instance.minVcpu"); continue; }
    if (instance.maxVcpu !== undefined && offer.vcpu > instance.maxVcpu) { exclude("instance.maxVcpu"); continue; }
    if (offer.burstable && !instance.allowBurstable) { exclude("instance.allowBurstable"); continue; }
    if (demand.gpus > 0 && instance.gpuType !== null && offer.gpuType !== instance.gpuType) { exclude("instance.gpuType"); continue; }
    const family = familyViolation(offer.instanceType);
    if (family) { exclude(family); continue; }
    const fit = replicaFit(offer, spec);
    if (fit < 1) { exclude(fitLimit(offer, spec)); continue; }

    const discount = spec.providers[offer.provider]!.discount;
    add({ offer, lifecycle: "on-demand", fit, hourlyUsd: discountedPrice(offer.onDemandHourlyUsd, discount) });
    if (allowSpot && offer.spotHourlyUsd !== null) {
      add({ offer, lifecycle: "spot", fit, hourlyUsd: discountedPrice(offer.spotHourlyUsd, discount) });
    }
  }
  flush();
  if (pruneInRegion) options.sort(compareOptions);
  return { options, eligible, exclusions, offersConsidered, byProvider };
}

/**
 * The options of one provider, region and lifecycle that no other of them dominates: swept in the
 * order reduce.ts sweeps (cheapest first, then larger fit, then `preferred`), an option goes when
 * one kept before it hosts at least as many replicas for no more money on no more vCPUs.
 *
 * Why reduceOptions drops each option x left out here, so its result is unchanged: x has a kept y
 * of its region before it in that order with fit_y >= fit_x, price_y <= price_x and vcpu_y <= vcpu_x,
 * and every group holding x holds y (groups are whole regions, or all of a provider's regions, per
 * lifecycle). In a vCPU-quota group the frontier sweep is this one, so y, or the option that
 * dominates y, dominates x. Otherwise only the best option per fit enters the sweep: if fit_y =
 * fit_x, y beats x to it; if fit_y > fit_x, the best of y's fit costs no more than y, comes before x
 * and dominates it. Whatever x would have been second best to goes the same way. So the frontier,
 * and all that reduce.ts builds on it, is the same.
 */
function inRegionFrontier(options: PlacementOption[]): PlacementOption[] {
  options.sort((a, b) => a.hourlyUsd - b.hourlyUsd || b.fit - a.fit || preferred(a, b));
  const kept: PlacementOption[] = [];
  for (const x of options) {
    if (!kept.some((y) => y.fit >= x.fit && y.hourlyUsd <= x.hourlyUsd && y.offer.vcpu <= x.offer.vcpu)) kept.push(x);
  }
  return kept;
}

/** The spec's family globs as a check: the spec path an instance type breaks, or undefined. */
export function familyRule(spec: Pick<WorkloadSpec, "instance">): (instanceType: string) => string | undefined {
  const { allow, deny } = spec.instance.families;
  const allowed = allow.length > 0 ? picomatch(allow) : undefined;
  const denied = deny.length > 0 ? picomatch(deny) : undefined;
  return (type) => (allowed && !allowed(type) ? "instance.families.allow" : denied?.(type) ? "instance.families.deny" : undefined);
}

/** Which per-replica demand an offer is too small for (the first that bites). */
function fitLimit(offer: InstanceOffer, spec: WorkloadSpec): string {
  const { cpu, memoryGiB, gpus } = spec.demand;
  if (wholeTimes(offer.vcpu, cpu) < 1) return "demand.cpu";
  if (wholeTimes(offer.memoryGiB, memoryGiB) < 1) return "demand.memoryGiB";
  if (gpus > 0 && wholeTimes(offer.gpus, gpus) < 1) return "demand.gpus";
  return "instance.maxReplicasPerInstance";
}
