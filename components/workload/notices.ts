/**
 * What the component tells the user about its placement during preview and up: the plan table,
 * and warnings when the placement is not pinned or its prices are from the embedded snapshot or
 * older than 30 days. Pure (the clock is passed in), so the texts are pinned by tests.
 */
import type { Plan } from "../../core/plan/plan";
import { renderPlan } from "../../core/plan/format";
import type { PlacementSource } from "./args";

export const STALE_PRICE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface PlacementNotices {
  info: string;
  warnings: string[];
}

export interface NoticeContext {
  plan: Plan;
  source: PlacementSource;
  /** Why a pinned placement was not used (the spec changed), when there was one. */
  staleReason?: string;
  /** Stack config file, e.g. Pulumi.dev.yaml. */
  stackConfig: string;
  now: Date;
}

export function placementNotices(c: NoticeContext): PlacementNotices {
  const w = c.plan.workload;
  const source = c.source === "pinned" ? `pinned placement (${c.stackConfig})` : "computed placement (not pinned)";
  const info = `${w}: ${source}\n${renderPlan(c.plan, "table", c.now).trimEnd()}`;
  const warnings: string[] = [];
  if (c.source === "computed") {
    const pin = `Pin it with \`multicloud plan SPEC --stack-config ${c.stackConfig} --write\` (SPEC: a file holding this workload's spec)`;
    warnings.push(
      c.staleReason
        ? `${w}: ${c.staleReason}; a new placement was computed from current prices and is not pinned. ${pin}.`
        : `${w}: the placement is not pinned: it was computed from current prices and can change on the next deploy. ${pin}.`,
    );
  }
  for (const [provider, { source: priceSource, asOf }] of Object.entries(c.plan.prices)) {
    const days = ageInDays(asOf, c.now);
    const parts: string[] = [];
    if (priceSource === "snapshot") parts.push("come from the embedded price snapshot, not live price APIs");
    if (days > STALE_PRICE_DAYS) parts.push(`are ${days} days old (as of ${asOf})`);
    if (parts.length === 0) continue;
    const check =
      c.source === "pinned"
        ? `; check the placement against current prices with \`multicloud drift --stack-config ${c.stackConfig}\``
        : "; pass a current `catalog` file to plan on your own prices";
    warnings.push(`${w}: ${provider} prices ${parts.join(" and ")}${check}.`);
  }
  return { info, warnings };
}

/** Whole days from an as-of date (YYYY-MM-DD, or YYYY-MM read as its first day) to `now`. */
export function ageInDays(asOf: string, now: Date): number {
  const [y = 1970, m = 1, d = 1] = asOf.split("-").map(Number);
  return Math.max(0, Math.floor((now.getTime() - Date.UTC(y, m - 1, d)) / DAY_MS));
}

/** Logged for each region where the component creates the network itself. */
export function createdNetworkNotice(workload: string, cloud: string, region: string, range: string, networkArg: string): string {
  return `${workload}: no network given for ${cloud}/${region}: creating a private network (${range}; outbound internet through NAT unless ${cloud}.egress is "none", no public address on instances). Give ${networkArg}["${region}"] to use your own.`;
}

/**
 * Route 53's health checkers probe each public endpoint from AWS's own ranges, and every cloud's
 * passthrough load balancer keeps their address: unless `ingressCidrs` admits them, every check
 * fails and Route 53, finding no healthy record, answers with all of them (no failover).
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-router-firewall-rules.html
 */
export function dnsReachabilityNotice(workload: string, port: number, ingressCidrs: readonly string[]): string | undefined {
  if (ingressCidrs.includes("0.0.0.0/0")) return undefined;
  return (
    `${workload}: traffic.dns: Route 53 health checkers must reach port ${port} of every regional load balancer; ` +
    `ingressCidrs does not admit the internet, so add the ROUTE53_HEALTHCHECKS ranges of https://ip-ranges.amazonaws.com/ip-ranges.json to ingressCidrs, or every health check fails and no region is ever taken out`
  );
}
