/**
 * What the workload component creates once per GCP region, at list price. Cloud NAT is billed
 * $0.0014 per VM-hour using it, capped at $0.044/h from 32 VMs: a per-region fixed cost is taken at
 * that cap (exact from 32 VMs, an upper bound below). Health checks have no charge of their own on
 * the pricing pages; data processed ($0.008/GiB LB, $0.045/GiB NAT) is left out. Hand-curated, 2026-09.
 */
import type { OverheadFacts, OverheadItem, OverheadNeeds } from "../../core/clouds/adapter";

/** $/hour. */
const FORWARDING_RULES = 0.025; // https://cloud.google.com/load-balancing/pricing ("First 5 forwarding rules | $0.025 | Per Hour", passthrough NLBs included)
const CLOUD_NAT_CAP = 0.044; // https://cloud.google.com/nat/pricing ("More than 32 VM instances | $0.044")
const NAT_IP = 0.005; // https://cloud.google.com/nat/pricing (external IP used by a NAT gateway, per hour)

export const gcpOverheads: OverheadFacts = {
  asOf: "2026-09-20",
  pricingPages: ["https://cloud.google.com/load-balancing/pricing", "https://cloud.google.com/nat/pricing"],
  leftOut: "load balancer and Cloud NAT data processing; Cloud NAT taken at its 32-VM cap",
  itemsFor(_region: string, needs: OverheadNeeds): OverheadItem[] {
    const items: OverheadItem[] = [];
    if (needs.loadBalancer) items.push({ item: "load-balancer", hourlyUsd: FORWARDING_RULES });
    if (needs.nat) items.push({ item: "nat-gateway", hourlyUsd: CLOUD_NAT_CAP }, { item: "nat-ip", hourlyUsd: NAT_IP });
    return items;
  },
};
