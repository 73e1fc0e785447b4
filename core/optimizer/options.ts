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

/** `allowedRegion`: the residency rules (core/spec/residency.ts), when the spec has some. */
export function placementOptions(
  spec: WorkloadSpec,
  offers: readonly InstanceOffer[],
  allowedRegion?: (provider: string, region: string) => boolean,
): { options: PlacementOption[]; exclusions: Exclusions; offersConsidered: number; byProvider: Map<string, ProviderOffers> } {
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
    options.push({ offer, lifecycle: "on-demand", fit, hourlyUsd: discountedPrice(offer.onDemandHourlyUsd, discount) });
    if (allowSpot && offer.spotHourlyUsd !== null) {
      options.push({ offer, lifecycle: "spot", fit, hourlyUsd: discountedPrice(offer.spotHourlyUsd, discount) });
    }
  }
  return { options, exclusions, offersConsidered, byProvider };
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
