/**
 * DNS steering (DESIGN.md "Traffic", `traffic.dns`): one name answered by every region of the plan
 * in proportion to its planned replicas, each region dropped from the answers while its health
 * check fails. One cloud offers it (the `loadDnsEmitter` loader of kit/cloud.ts; Route 53 on AWS);
 * the component finds that cloud through the registry and hands it every region's endpoint, after
 * every cloud has emitted its load balancers.
 *
 * The weights are computed here, from the plan (pinned or computed), every time: never by hand, so
 * re-pinning a plan changes them. Pure: loads no Pulumi (the interfaces import its types only).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Traffic, TrafficDns } from "../../core/spec/traffic";

export { MAX_DNS_WEIGHT, dnsWeights, type RegionDnsWeight } from "../../core/plan/dns-weights";

/** One region's regional load balancer, as the DNS emitter sees it. */
export interface DnsEndpoint {
  /** The cloud that emitted the endpoint, as in plans. */
  provider: string;
  region: string;
  /** The load balancer's address: a DNS name (AWS network load balancer) or an IPv4 address (Azure, GCP). */
  address: pulumi.Output<string>;
  /** `traffic.port`: where the load balancer listens. */
  port: number;
  /** From `dnsWeights`. */
  weight: number;
}

/**
 * `traffic.dns` as the DNS emitter takes it: the zone id may be another resource's output (a zone
 * created in the same program); the core validated its presence only (core/spec/traffic.ts).
 */
export interface DnsSettings extends Omit<TrafficDns, "zoneId"> {
  zoneId: pulumi.Input<string>;
}

export interface DnsEmitInput {
  /** The workload (spec) name: prefix of every child resource name. */
  workload: string;
  parent: pulumi.Resource;
  /** The traffic settings, defaults applied, with `dns`. */
  traffic: Omit<Traffic, "dns"> & { dns: DnsSettings };
  /** One per region of the plan, sorted by provider, then region. */
  endpoints: DnsEndpoint[];
}

export interface DnsEmitResult {
  /** The steered name (`traffic.dns.name`). */
  dnsName: string;
  /** Regions whose record has a health check attached (`provider/region`). */
  healthChecked: string[];
  /** What the user must know (e.g. regions no health check can cover), logged by the component as warnings. */
  warnings: string[];
}

/** Registers the health checks and weighted records of `traffic.dns`, parented to the component. */
export interface DnsEmitter {
  /** The cloud whose DNS service steers (`aws`). */
  readonly cloud: string;
  emit(input: DnsEmitInput): DnsEmitResult;
}
