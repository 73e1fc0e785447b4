/**
 * The one contract every cloud implements for planning (SkyPilot's `Cloud` is the model). A cloud
 * is one folder, `clouds/<name>/`, whose `index.ts` exports one value of this type; the core only
 * ever reaches a cloud through such a value, handed to it in a `CloudSet` (./cloud-set.ts), and
 * never imports `clouds/`. So adding a fourth cloud is one folder plus one line in the registry
 * (`clouds/registry.ts`).
 *
 * Everything here is planning facts and Pulumi-free: loading an adapter must not load a cloud SDK
 * or Pulumi (live sources and builders require theirs when called). The resource emitters that
 * realise a plan are loaded on demand through the `Cloud` type of the emitter kit (kit/cloud.ts),
 * which extends this one.
 *
 * Adapters are stateless: caches live elsewhere.
 */
import type { z } from "zod";
import type { InstanceOffer } from "../catalog/offer";
import type { LivePriceSource } from "../prices/source";
import type { MetricsSource } from "../metrics/source";
import type { RegionTable, StorageFacts } from "../backup/types";
import type { SpecProblem } from "../spec/issues";
import type { SnapshotCitation } from "./citation";

export type { SnapshotCitation } from "./citation";

export interface CloudAdapter {
  /** Key used in specs, catalogs and plans (`aws`): lower-case letters and digits. */
  readonly name: string;
  /** Human name for messages (`AWS`). */
  readonly displayName: string;
  /**
   * Whether one instance group of this cloud holds both lifecycles (`mixed`: an AWS ASG mixed
   * instances policy, an Azure priority mix) or one group per lifecycle (`separate`: GCP MIGs).
   * Group sizes, and so the autoscaling range, follow from it (core/plan/groups.ts).
   */
  readonly grouping: "mixed" | "separate";
  /** True for burstable / shared-core types (DESIGN.md lists the rule per cloud). */
  isBurstable(instanceType: string): boolean;
  /** Every region of the cloud and where it is (geography, country): mapped once, here. */
  readonly regions: RegionTable;
  /** The cloud's object storage and transfer service, as the backup planner sees them. */
  readonly storage: StorageFacts;
  /**
   * Fields a backup source on this cloud may set besides provider, region and prefix (`bucket`, or
   * `storageAccount` and `container`): this cloud's piece of the backup spec's `source` schema.
   */
  readonly backupSourceFields: z.ZodRawShape;
  /** The cloud's rules on resource tags (key and value lengths, characters, reserved prefixes). */
  tagProblems(tags: Readonly<Record<string, string>>): SpecProblem[];
  /**
   * The key a tag is carried under on this cloud, when its rules rewrite keys (GCP lower-cases
   * label keys and replaces other characters); absent: every key as given. Required tags
   * (core/spec/required-tags.ts) and the policy pack use it.
   */
  carriedTagKey?(key: string): string;
  /** Builds this cloud's part of the embedded snapshot from ../shared/pricing-sources. */
  buildSnapshot(sourcesDir: string): SnapshotBuild;
  /** Live list prices (optional capability; core/prices/source.ts states the contract). */
  readonly livePrices?: LivePriceSource;
  /** Fleet utilization for `demand.fromMetrics` (optional capability; core/metrics/source.ts). */
  readonly metrics?: MetricsSource;
  /**
   * What the component creates once per region used, priced (load balancer, NAT): the fixed costs
   * the optimizer weighs against a region's savings when the spec has `traffic`. A cloud without
   * them adds none.
   */
  readonly overheads?: OverheadFacts;
}

/** What a spec asks the component to create once in every region it uses. */
export interface OverheadNeeds {
  /** A regional load balancer (and its health check): the spec has `traffic`. */
  loadBalancer: boolean;
  /** The load balancer is internet-facing (`traffic.public`): a public address too. */
  publicLoadBalancer: boolean;
  /** Outbound internet through NAT in the networks the component creates (the default). */
  nat: boolean;
  /**
   * A DNS health check of the region's load balancer (`traffic.dns` with internet-facing load
   * balancers), priced by the cloud that steers DNS (`OverheadFacts.dnsHealthCheckItems`); absent: none.
   */
  dnsHealthCheck?: DnsHealthCheckNeeds;
}

/** The priced options of a DNS health check. */
export interface DnsHealthCheckNeeds {
  /** Probes over HTTPS. */
  https: boolean;
  /** Probes every 10 seconds (the fast interval) rather than 30. */
  fastInterval: boolean;
}

/** One fixed cost of a region, at list price. */
export interface OverheadItem {
  /** `load-balancer`, `nat-gateway`, `public-ip` ...: what the component creates. */
  item: string;
  hourlyUsd: number;
}

/** A cloud's fixed per-region costs: hand-curated list prices, dated, with their pages. */
export interface OverheadFacts {
  asOf: string;
  pricingPages: readonly string[];
  /** Usage-priced parts left out of the hourly figures (processed GB, LCUs), said in plans' notes. */
  leftOut: string;
  /** The items, with hourly list prices, that `needs` creates in `region`. */
  itemsFor(region: string, needs: OverheadNeeds): OverheadItem[];
  /**
   * Only the cloud that steers `traffic.dns`: the items of one health check of a load balancer on
   * `endpointCloud` (any cloud; the price may depend on whether it is this one).
   */
  dnsHealthCheckItems?(endpointCloud: string, needs: DnsHealthCheckNeeds): OverheadItem[];
}

/** One cloud's contribution to the embedded snapshot, as produced by `buildSnapshot`. */
export interface SnapshotBuild {
  rows: InstanceOffer[];
  /** As-of date of the prices used for regions not in `regionAsOf` (YYYY-MM-DD or YYYY-MM). */
  asOf: string;
  /** Regions whose prices are of another date than `asOf`. */
  regionAsOf: Record<string, string>;
  /** Files used, with licence and date, for the attribution file. */
  sources: SnapshotCitation[];
  /** What the builder did to the raw data (dropped rows, outliers, estimates), for the attribution file. */
  notes: string[];
}
