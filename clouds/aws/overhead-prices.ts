/**
 * What the workload component creates once per AWS region, at list price (us-east-1; the tables
 * are per region on the pricing pages and not openly licensed, so one rate serves every region:
 * regions priced higher are understated by up to about a third, e.g. NAT in ap-southeast-1 at
 * $0.059/h). Usage charges (NLCUs, NAT data processing) are left out: they scale with traffic,
 * not with the number of regions. Hand-curated from the pages below, 2026-09.
 */
import type { OverheadFacts, OverheadItem, OverheadNeeds } from "../../core/clouds/adapter";

/** $/hour. */
const NLB = 0.0225; // https://aws.amazon.com/elasticloadbalancing/pricing/ (Network Load Balancer hour)
const NAT_GATEWAY = 0.045; // https://aws.amazon.com/vpc/pricing/ ("$0.045 per hour")
const PUBLIC_IPV4 = 0.005; // https://aws.amazon.com/vpc/pricing/ (public IPv4 address, since 2024-02-01, in use or idle)
/** An internet-facing NLB has one public address per subnet (zone) it serves; the component gives it two. */
const NLB_PUBLIC_ADDRESSES = 2;

export const awsOverheads: OverheadFacts = {
  asOf: "2026-09-20",
  pricingPages: ["https://aws.amazon.com/elasticloadbalancing/pricing/", "https://aws.amazon.com/vpc/pricing/"],
  leftOut: "NLCU-hours and NAT gateway data processing ($0.045/GB)",
  itemsFor(_region: string, needs: OverheadNeeds): OverheadItem[] {
    const items: OverheadItem[] = [];
    if (needs.loadBalancer) items.push({ item: "load-balancer", hourlyUsd: NLB });
    if (needs.publicLoadBalancer) items.push({ item: "load-balancer-public-ipv4", hourlyUsd: NLB_PUBLIC_ADDRESSES * PUBLIC_IPV4 });
    if (needs.nat) items.push({ item: "nat-gateway", hourlyUsd: NAT_GATEWAY }, { item: "nat-public-ipv4", hourlyUsd: PUBLIC_IPV4 });
    return items;
  },
};
