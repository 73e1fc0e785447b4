/**
 * The AWS regional load balancer for `traffic` (DESIGN.md "Traffic"): one network load balancer
 * per region, one TCP target group the region's auto scaling groups register their instances in,
 * probing `traffic.healthCheck`, and one TCP listener on `traffic.port` forwarding to it. The
 * groups attach through `targetGroupArns` with ELB health checks (clouds/aws/workload-emitter.ts),
 * so an instance that fails the check is replaced.
 *
 * Rules followed (researched in /tmp/research/aws-rules.md, sections 12-14):
 * - The load balancer type defaults to "application" and the scheme to internet-facing, so both are
 *   always set: `loadBalancerType: "network"`, `internal: !traffic.public`.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
 * - A load balancer name is at most 32 alphanumerics and hyphens, neither starting nor ending with
 *   a hyphen, and never starting with "internal-"; Pulumi does not cap the auto-name of an
 *   `aws.lb.LoadBalancer` at 32, and a target group's auto-name fails for logical names over 24
 *   characters, so both get an explicit name from `loadBalancerName` (same page; CreateTargetGroup).
 * - The target group: protocol TCP, target type instance (the groups register instances), the
 *   target port, the VPC. Its health check protocol is always set (the provider would send HTTP
 *   otherwise), the path only for HTTP(S) (the provider refuses a path on TCP), the port as a
 *   string, interval 10 or 30 (5-300 accepted), thresholds 2-10.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
 * - The listener: protocol TCP is always set (for a network load balancer the provider sends none),
 *   port `traffic.port`; the target group port may differ (`targetPort`).
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
 *
 * The load balancer has no security group (one can never be added later to an NLB made without):
 * the instances' security group is the filter. Instance targets of a TCP target group see the
 * clients' addresses (client IP preservation is on by default for them) and the health checks come
 * from the load balancer's private addresses in the VPC, so the emitter admits the target port
 * from `ingressCidrs` and the VPC's ranges, and the health-check port from the VPC's ranges.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#target-security-groups
 *
 * Replacement: a physical name is unique per region, so a replaced load balancer (scheme or
 * subnets changed) is deleted before its successor is created (`deleteBeforeReplace`); the target
 * group's name carries the target port, its one identity that forces a replacement in practice, so
 * a new one is created next to the old one and the listener and groups move over.
 *
 * Names (kit/workload/names.ts): the load balancer, target group and listener are all the region
 * part "lb" (web-aws-us-east-1-lb); their AWS names are `loadBalancerName` of it (the target
 * group's with the target port).
 */
import * as pulumi from "@pulumi/pulumi";
import * as lb from "@pulumi/aws/lb";
import { createHash } from "node:crypto";
import type { Traffic } from "../../core/spec/traffic";
import type { TagInputs } from "../../kit/workload/tags";

/** An ELB name: at most 32 characters (CreateLoadBalancer, CreateTargetGroup). */
export const MAX_LB_NAME = 32;

/**
 * Healthy threshold of the target group (not in `traffic`, which sets only the unhealthy one):
 * three consecutive passes, the provider's default, within the documented 2-10.
 */
export const HEALTHY_THRESHOLD = 3;

/**
 * Health-check grace period of the groups, in seconds: how long a new instance may boot, run its
 * user data and start listening before a failing load balancer check gets it replaced. 300 s, the
 * provider's default: with the slowest probing (interval 30 s, 3 passes) an instance still has
 * 210 s to boot before its first probe must pass. A workload that boots slower fails its checks
 * after the grace period and is replaced, so this bounds boot time.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html
 */
export const HEALTH_CHECK_GRACE_SECONDS = 300;

/**
 * A deterministic ELB name for a logical name (already lower-case letters, digits and '-', see
 * kit/workload/names.ts), with `suffix` appended: at most 32 characters, no hyphen at either end,
 * never starting with "internal-" (prefixed "lb-" then). Longer names keep a readable head and end
 * in 8 hex characters of a hash of the full name.
 */
export function loadBalancerName(logical: string, suffix?: string): string {
  let name = [logical, suffix].filter((p) => p !== undefined && p !== "").join("-").replace(/^-+|-+$/g, "");
  if (name.startsWith("internal-")) name = `lb-${name}`;
  if (name.length <= MAX_LB_NAME) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_LB_NAME - 9).replace(/-+$/, "")}-${hash}`;
}

export interface RegionalLoadBalancerArgs {
  /** The region part name, e.g. web-aws-us-east-1-lb. */
  logicalName: string;
  traffic: Traffic;
  vpcId: pulumi.Input<string>;
  /** One subnet per zone: private for an internal load balancer, public for an internet-facing one. */
  subnetIds: pulumi.Input<string>[];
  tags: TagInputs;
  opts: pulumi.CustomResourceOptions;
}

export interface RegionalLoadBalancer {
  loadBalancer: lb.LoadBalancer;
  targetGroup: lb.TargetGroup;
  listener: lb.Listener;
}

/** The target group's health check for `traffic.healthCheck` (AWS spelling). */
/** Seconds a target group health probe may take: half the shortest interval traffic allows (10 s). */
const HEALTH_CHECK_TIMEOUT_SECONDS = 5;

export function targetGroupHealthCheck(t: Traffic): lb.TargetGroupArgs["healthCheck"] {
  const hc = t.healthCheck;
  return {
    enabled: true,
    protocol: hc.protocol.toUpperCase(),
    port: String(hc.port),
    ...(hc.protocol === "tcp" ? {} : { path: hc.path ?? "/" }),
    interval: hc.intervalSeconds,
    // Explicit and below the interval (2-120 s is the documented range; the defaults are 6 s for
    // HTTP and 10 s for TCP/HTTPS, which equals a 10 s interval): a probe ends before the next.
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
    timeout: HEALTH_CHECK_TIMEOUT_SECONDS,
    healthyThreshold: HEALTHY_THRESHOLD,
    unhealthyThreshold: hc.unhealthyThreshold,
  };
}

export function regionalLoadBalancer(a: RegionalLoadBalancerArgs): RegionalLoadBalancer {
  const { traffic: t, logicalName, tags, opts } = a;
  const loadBalancer = new lb.LoadBalancer(logicalName, {
    name: loadBalancerName(logicalName),
    loadBalancerType: "network",
    internal: !t.public,
    subnets: a.subnetIds,
    tags,
  }, { ...opts, deleteBeforeReplace: true });
  const targetGroup = new lb.TargetGroup(logicalName, {
    // The name carries the port and the VPC: a change of either replaces the group, created before
    // the old one is deleted, and two groups may not share a name in a region (DuplicateTargetGroupName,
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html).
    name: pulumi.output(a.vpcId).apply((vpc) => loadBalancerName(logicalName, `${t.targetPort}-${createHash("sha256").update(vpc).digest("hex").slice(0, 4)}`)),
    port: t.targetPort,
    protocol: "TCP",
    targetType: "instance",
    vpcId: a.vpcId,
    healthCheck: targetGroupHealthCheck(t),
    tags,
  }, opts);
  const listener = new lb.Listener(logicalName, {
    loadBalancerArn: loadBalancer.arn,
    port: t.port,
    protocol: "TCP",
    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
    tags,
  }, opts);
  return { loadBalancer, targetGroup, listener };
}
