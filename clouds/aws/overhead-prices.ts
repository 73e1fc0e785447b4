/**
 * What the workload component creates once per AWS region, at list price (us-east-1; the tables
 * are per region on the pricing pages and not openly licensed, so one rate serves every region:
 * regions priced higher are understated by up to about a third, e.g. NAT in ap-southeast-1 at
 * $0.059/h). Usage charges (NLCUs, NAT data processing) are left out: they scale with traffic,
 * not with the number of regions. Hand-curated from the pages below, 2026-09.
 *
 * Route 53 (global, one price everywhere) also prices the DNS health check of every region of a
 * plan with `traffic.dns`, on any cloud: monthly list prices, per hour over 730 hours. The free
 * allowance for AWS endpoints ("up to 50 health checks for AWS endpoints free") is left out: the
 * pricing page does not say whether it is per account or permanent, and other health checks of the
 * account use it too. Queries ($0.40 per million) scale with traffic and are left out.
 */
import type { DnsHealthCheckNeeds, OverheadFacts, OverheadItem, OverheadNeeds } from "../../core/clouds/adapter";
import { HOURS_PER_MONTH } from "../../core/util/units";

/** $/hour. */
const NLB = 0.0225; // https://aws.amazon.com/elasticloadbalancing/pricing/ (Network Load Balancer hour)
const NAT_GATEWAY = 0.045; // https://aws.amazon.com/vpc/pricing/ ("$0.045 per hour")
const PUBLIC_IPV4 = 0.005; // https://aws.amazon.com/vpc/pricing/ (public IPv4 address, since 2024-02-01, in use or idle)
/** An internet-facing NLB has one public address per subnet (zone) it serves; the component gives it two. */
const NLB_PUBLIC_ADDRESSES = 2;

/** Route 53 health checks, $/month, https://aws.amazon.com/route53/pricing/ (read 2026-09-20). */
const ROUTE53_HEALTH_CHECK = {
  /** "$0.50 per health check per month" (endpoint on AWS), "$0.75 per health check per month" (non-AWS endpoint). */
  basic: { aws: 0.5, other: 0.75 },
  /**
   * "$1.00 per optional health check feature per month" (AWS endpoint), "$2.00 ..." (non-AWS
   * endpoint). The optional features include HTTPS and the fast (10-second) interval.
   */
  feature: { aws: 1, other: 2 },
} as const;

export const awsOverheads: OverheadFacts = {
  asOf: "2026-09-20",
  pricingPages: ["https://aws.amazon.com/elasticloadbalancing/pricing/", "https://aws.amazon.com/vpc/pricing/", "https://aws.amazon.com/route53/pricing/"],
  leftOut: "NLCU-hours, NAT gateway data processing ($0.045/GB), Route 53 queries ($0.40 per million) and its free health checks for AWS endpoints",
  itemsFor(_region: string, needs: OverheadNeeds): OverheadItem[] {
    const items: OverheadItem[] = [];
    if (needs.loadBalancer) items.push({ item: "load-balancer", hourlyUsd: NLB });
    if (needs.publicLoadBalancer) items.push({ item: "load-balancer-public-ipv4", hourlyUsd: NLB_PUBLIC_ADDRESSES * PUBLIC_IPV4 });
    if (needs.nat) items.push({ item: "nat-gateway", hourlyUsd: NAT_GATEWAY }, { item: "nat-public-ipv4", hourlyUsd: PUBLIC_IPV4 });
    return items;
  },
  dnsHealthCheckItems(endpointCloud: string, needs: DnsHealthCheckNeeds): OverheadItem[] {
    const on = endpointCloud === "aws" ? "aws" : "other";
    const monthly = (usd: number) => usd / HOURS_PER_MONTH;
    const items: OverheadItem[] = [{ item: "dns-health-check", hourlyUsd: monthly(ROUTE53_HEALTH_CHECK.basic[on]) }];
    if (needs.https) items.push({ item: "dns-health-check-https", hourlyUsd: monthly(ROUTE53_HEALTH_CHECK.feature[on]) });
    if (needs.fastInterval) items.push({ item: "dns-health-check-fast-interval", hourlyUsd: monthly(ROUTE53_HEALTH_CHECK.feature[on]) });
    return items;
  },
};
