/**
 * The normalised catalog row: one instance type in one region of one provider, with its prices.
 *
 * Every price source (embedded snapshot, user CSV, live APIs, cache) produces these rows, and the
 * optimizer sees nothing else, so a new cloud or a new price source only has to produce them.
 * Units: vCPUs, GiB of memory, whole GPUs, US dollars per instance-hour (list price, before any
 * discount from the spec).
 */

export const ARCHES = ["x86_64", "arm64"] as const;
export type Arch = (typeof ARCHES)[number];

export const LIFECYCLES = ["on-demand", "spot"] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export interface InstanceOffer {
  provider: string;
  region: string;
  instanceType: string;
  vcpu: number;
  memoryGiB: number;
  gpus: number;
  /** Lower-case accelerator model (`a100`, `h100`, `t4` ...), null when the type has no GPU. */
  gpuType: string | null;
  arch: Arch;
  /** Burstable / shared-core type: excluded from plans unless the spec allows it. */
  burstable: boolean;
  onDemandHourlyUsd: number;
  /** Null when there is no spot offer for this type in this region. */
  spotHourlyUsd: number | null;
  /** True when the spot price is derived (e.g. on-demand x advertised savings), not observed. */
  spotEstimated: boolean;
}

/** Where one provider's prices came from, as recorded in `plan.prices`. */
export const PRICE_SOURCES = ["live", "cache", "snapshot", "file"] as const;
export type PriceSourceKind = (typeof PRICE_SOURCES)[number];

export interface PriceProvenance {
  source: PriceSourceKind;
  /** ISO date (YYYY-MM-DD, or YYYY-MM where the source only gives a month) of the oldest price used. */
  asOf: string;
}

/**
 * A set of offers plus their provenance. Offers are kept sorted by (provider, region,
 * instanceType) so that everything derived from a catalog is deterministic.
 */
export interface Catalog {
  readonly offers: readonly InstanceOffer[];
  /** Provenance per provider, optionally refined per region (the snapshot mixes source dates). */
  readonly provenance: Readonly<Record<string, CatalogProvenance>>;
}

export interface CatalogProvenance {
  source: PriceSourceKind;
  /** As-of date for regions not listed in `regionAsOf`. */
  asOf: string;
  regionAsOf?: Readonly<Record<string, string>>;
}

export function offerKey(o: Pick<InstanceOffer, "provider" | "region" | "instanceType">): string {
  return `${o.provider}/${o.region}/${o.instanceType}`;
}

export function compareOffers(a: InstanceOffer, b: InstanceOffer): number {
  return cmp(a.provider, b.provider) || cmp(a.region, b.region) || cmp(a.instanceType, b.instanceType);
}

/** Locale-independent string comparison (localeCompare would make output depend on the machine). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
