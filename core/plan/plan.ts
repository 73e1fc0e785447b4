/**
 * The plan: the reviewable artefact (DESIGN.md "Plan"). Built from a placement as a plain value;
 * `specHash` and `planHash` identify what it was computed for and what it decided.
 *
 * Only `solver.ms` depends on timing, and it is left out of every hash.
 */
import type { Catalog, Lifecycle, PriceSourceKind } from "../catalog/offer";
import type { WorkloadSpec } from "../spec/schema";
import { regionsByProvider } from "../catalog/query";
import { contentHash } from "../util/hash";
import { HOURS_PER_MONTH } from "../util/units";
import type { Placement } from "../optimizer/optimize";
import type { Explanation } from "../optimizer/explain";
import type { DemandDetails } from "../metrics/demand";
import { round } from "../util/round";
import { overheadNeeds } from "./overheads";
import type { OverheadNeeds } from "../clouds/adapter";

export interface PlanAllocation {
  provider: string;
  region: string;
  instanceType: string;
  lifecycle: Lifecycle;
  count: number;
  /** Replicas one instance can host (its fit). */
  replicasPerInstance: number;
  /** Replicas placed on this allocation (<= count x replicasPerInstance); shares are of these. */
  replicas: number;
  vcpu: number;
  memoryGiB: number;
  gpus: number;
  /**
   * The GPU model (`l4`, `a100` ...): null without GPUs, "unnamed" where the price source does not
   * name it. Derived from the instance type, so it is in no hash (pins made before it still match).
   * Optional only for plans pinned before it existed; every new plan sets it.
   */
  gpuType?: string | null;
  /** $/hour per instance, after discount. */
  hourlyUsd: number;
}

export interface Plan {
  workload: string;
  specHash: string;
  demand: {
    replicas: number;
    cpu: number;
    memoryGiB: number;
    gpus: number;
    source: "static" | "metrics";
    /** With source "metrics": the window, percentile, observed utilization and forecast behind `replicas`. */
    metrics?: DemandDetails;
  };
  /**
   * Per provider: where its prices came from and as of when. `stale: true` only when they are older
   * than PRICES_STALE_AFTER_DAYS (absent otherwise, so a plan on fresh prices keeps its bytes);
   * provenance is in no hash.
   */
  /** The compliance rules the plan was made under (only when the spec has some). */
  compliance?: { residency?: string[]; requiredTags?: string[] };
  prices: Record<string, PlanPrices>;
  allocations: PlanAllocation[];
  /**
   * Fixed monthly costs of the regions used (a load balancer, NAT), when the spec asks for them
   * (`traffic`); absent otherwise. Part of the totals and of the optimization.
   */
  overheads?: PlanOverhead[];
  totals: { replicas: number; vcpu: number; memoryGiB: number; hourlyUsd: number; monthlyUsd: number };
  /**
   * Why the plan is what it is (../optimizer/explain.ts): binding constraints and the cost without
   * each, and why each allowed provider is used or not. Informative only: in no hash. Absent on
   * plans pinned before it existed, on budgeted re-solves and on time-limited plans.
   */
  explain?: Explanation;
  solver: { status: "optimal" | "time-limit"; gap: number; ms: number };
}

export interface PlanPrices {
  source: PriceSourceKind;
  asOf: string;
  stale?: true;
}

/** Prices older than this many days are stale: a warning on stderr and `stale: true` in the plan. */
export const PRICES_STALE_AFTER_DAYS = 90;

/** Whether prices as of `asOf` (YYYY-MM-DD, or YYYY-MM: its first day) are older than PRICES_STALE_AFTER_DAYS at `now`. */
export function pricesStale(asOf: string, now: Date): boolean {
  const [y, m = 1, d = 1] = asOf.split("-").map(Number);
  if (y === undefined || !Number.isFinite(y)) return false;
  const ageDays = (now.getTime() - Date.UTC(y, m - 1, d)) / 86_400_000;
  return ageDays > PRICES_STALE_AFTER_DAYS;
}

export interface PlanOverhead {
  provider: string;
  region: string;
  item: string;
  monthlyUsd: number;
}

/**
 * The spec fields that decide a placement, in canonical form: `scaling` only shapes autoscalers, so
 * it is left out, and set-valued lists (regions, family globs) are sorted, so listing the same
 * regions in another order is the same spec (and keeps its pinned placement).
 */
export function placementSpec(spec: WorkloadSpec): Omit<WorkloadSpec, "scaling" | "traffic" | "tags"> & { traffic?: OverheadNeeds } {
  // Autoscaler and load balancer settings shape resources, not the placement: changing a health
  // check must not unpin a plan. What `traffic` adds to each region's fixed costs does change the
  // optimum (./overheads.ts), so that part, and only that, is in.
  // Compliance rules are in when they decide the placement (residency) and out when they only
  // shape resources (tags and the keys they must carry): requiring one more tag must not unpin
  // every plan and let a fleet move at the next deploy.
  const { scaling: _scaling, traffic: _traffic, tags: _tags, compliance, ...rest } = spec;
  // (A spec with `compliance: {}` keeps the hash it always had.)
  const { requiredTags, ...placing } = compliance ?? {};
  const keep = compliance !== undefined && (requiredTags === undefined || Object.keys(placing).length > 0);
  const needs = overheadNeeds(spec);
  const sorted = (list: readonly string[]) => [...list].sort();
  return {
    ...rest,
    ...(keep ? { compliance: placing } : {}),
    instance: { ...rest.instance, families: { allow: sorted(rest.instance.families.allow), deny: sorted(rest.instance.families.deny) } },
    providers: Object.fromEntries(
      Object.entries(rest.providers).map(([name, p]) => [name, p.regions ? { ...p, regions: sorted(p.regions) } : p]),
    ),
    ...(needs ? { traffic: needs } : {}),
  };
}

export function specHash(spec: WorkloadSpec): string {
  return contentHash("multicloud-spec", 1, placementSpec(spec));
}

/**
 * Hash of what a plan decided: demand and allocations (hence totals). Timing, price provenance
 * and the explanation are left out: re-pinning the same placement from a catalog file touched since, or from a fresher
 * cache, is not a change.
 */
export function planHash(plan: Plan): string {
  // `explain` says why, not what: it is derived from the same inputs and never part of the decision.
  const { solver: _solver, prices: _prices, explain: _explain, ...decided } = plan;
  // gpuType follows from the instance type: leaving it out keeps the hash of every plan pinned
  // before allocations named their GPU (and the workload tags derived from it) unchanged.
  const allocations = decided.allocations.map(({ gpuType: _gpuType, ...a }) => a);
  return contentHash("multicloud-plan", 1, { ...decided, allocations });
}

/** What a plan calls an offer's GPU: null without GPUs, "unnamed" where the source does not name it. */
export function allocationGpuType(offer: { gpus: number; gpuType: string | null }): string | null {
  return offer.gpus > 0 ? (offer.gpuType ?? UNNAMED_GPU) : null;
}

export const UNNAMED_GPU = "unnamed";

export function buildPlan(spec: WorkloadSpec, catalog: Catalog, placement: Placement, ms: number, now: Date = new Date()): Plan {
  const allocations: PlanAllocation[] = placement.allocations.map(({ option, count, replicas }) => ({
    provider: option.offer.provider,
    region: option.offer.region,
    instanceType: option.offer.instanceType,
    lifecycle: option.lifecycle,
    count,
    replicasPerInstance: option.fit,
    replicas,
    vcpu: option.offer.vcpu,
    memoryGiB: option.offer.memoryGiB,
    gpus: option.offer.gpus,
    gpuType: allocationGpuType(option.offer),
    hourlyUsd: unitPrice(option.hourlyUsd),
  }));
  const overheadHourly = placement.overheads.reduce((sum, o) => sum + o.hourlyUsd, 0);
  const hourly = allocations.reduce((sum, a) => sum + a.count * a.hourlyUsd, 0) + overheadHourly;
  const overheads = placement.overheads.map(({ provider, region, item, hourlyUsd }) => ({ provider, region, item, monthlyUsd: round(hourlyUsd * HOURS_PER_MONTH, 2) }));
  return {
    workload: spec.name,
    specHash: specHash(spec),
    demand: { replicas: spec.demand.replicas, cpu: spec.demand.cpu, memoryGiB: spec.demand.memoryGiB, gpus: spec.demand.gpus, source: "static" },
    ...(spec.compliance ? { compliance: spec.compliance } : {}),
    prices: priceProvenance(spec, catalog, now),
    allocations,
    // Only when there are some: a plan without overheads is byte-identical to one made before them.
    ...(overheads.length > 0 ? { overheads } : {}),
    totals: {
      replicas: allocations.reduce((sum, a) => sum + a.replicas, 0),
      vcpu: allocations.reduce((sum, a) => sum + a.count * a.vcpu, 0),
      memoryGiB: round(allocations.reduce((sum, a) => sum + a.count * a.memoryGiB, 0), 3),
      hourlyUsd: round(hourly, 6),
      monthlyUsd: round(hourly * HOURS_PER_MONTH, 2),
    },
    ...(placement.explain ? { explain: placement.explain } : {}),
    solver: { status: placement.status, gap: placement.gap, ms: Math.round(ms) },
  };
}

/**
 * Per provider in the spec: where its prices came from and how old they are. The as-of date is the
 * oldest among the regions the spec allows, so a plan never looks fresher than its oldest price.
 * Marked `stale` (only then: other plans keep their exact bytes) when older than 90 days at `now`.
 */
function priceProvenance(spec: WorkloadSpec, catalog: Catalog, now: Date): Plan["prices"] {
  const out: Plan["prices"] = {};
  const known = regionsByProvider(catalog);
  for (const provider of Object.keys(spec.providers).sort()) {
    const p = catalog.provenance[provider];
    if (!p) continue;
    const regions = spec.providers[provider]!.regions ?? [...(known.get(provider) ?? [])];
    const dates = regions.map((r) => p.regionAsOf?.[r] ?? p.asOf);
    const asOf = dates.length > 0 ? dates.sort()[0]! : p.asOf;
    out[provider] = { source: p.source, asOf, ...(pricesStale(asOf, now) ? { stale: true as const } : {}) };
  }
  return out;
}

/** A per-instance $/hour as a plan records it (8 decimals: every source's precision). */
export function unitPrice(usdPerHour: number): number {
  return round(usdPerHour, 8);
}

