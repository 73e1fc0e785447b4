/**
 * What the workload component creates once per Azure region, at list price (Azure Retail Prices
 * meters; the Standard Load Balancer's base meter is global, NAT gateway and public IP rates as
 * seen for eastus/westeurope). Data processed by the load balancer ($0.005/GB) and the NAT gateway
 * ($0.045/GB) is left out: it scales with traffic. Hand-curated, 2026-09.
 */
import type { OverheadFacts, OverheadItem, OverheadNeeds } from "../../core/clouds/adapter";

/** $/hour. */
const STANDARD_LB = 0.025; // https://azure.microsoft.com/en-us/pricing/details/load-balancer/ (first 5 rules; the component uses one)
const NAT_GATEWAY = 0.045; // https://azure.microsoft.com/en-us/pricing/details/virtual-network/ (NAT gateway hour)
const STANDARD_PUBLIC_IP = 0.005; // https://azure.microsoft.com/en-us/pricing/details/ip-addresses/ (Standard static IPv4, regional)

export const azureOverheads: OverheadFacts = {
  asOf: "2026-09-20",
  pricingPages: [
    "https://azure.microsoft.com/en-us/pricing/details/load-balancer/",
    "https://azure.microsoft.com/en-us/pricing/details/virtual-network/",
    "https://azure.microsoft.com/en-us/pricing/details/ip-addresses/",
  ],
  leftOut: "load balancer and NAT gateway data processing",
  itemsFor(_region: string, needs: OverheadNeeds): OverheadItem[] {
    const items: OverheadItem[] = [];
    if (needs.loadBalancer) items.push({ item: "load-balancer", hourlyUsd: STANDARD_LB });
    if (needs.publicLoadBalancer) items.push({ item: "load-balancer-public-ip", hourlyUsd: STANDARD_PUBLIC_IP });
    if (needs.nat) items.push({ item: "nat-gateway", hourlyUsd: NAT_GATEWAY }, { item: "nat-public-ip", hourlyUsd: STANDARD_PUBLIC_IP });
    return items;
  },
};
