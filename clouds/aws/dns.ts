/**
 * `traffic.dns` on Route 53 (DESIGN.md "Traffic"): for every region of the plan, on any cloud, one
 * weighted record of `traffic.dns.name` in the given hosted zone, its weight the plan's replicas
 * there (kit/workload/dns.ts), and, when the load balancers are internet-facing, one Route 53
 * health check of the region's load balancer attached to it; a region whose check fails is no
 * longer answered and the others carry its traffic. Rules, each with its documentation:
 *
 * - Every record of a weighted group has the same name and the same type, one value each, and a
 *   set identifier unique in the group:
 *   https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html ("When
 *   creating a group of weighted ... resource record sets, specify the same value for all of the
 *   resource record sets in the group"; "You can only specify one ResourceRecord per weighted
 *   resource record set"). An AWS network load balancer has a DNS name and the Azure and GCP
 *   load balancers IPv4 addresses, so CNAME for one and A for the others would be two types. Both
 *   are type A instead: an alias A record to the load balancer ("ELB load balancer: Select A —
 *   IPv4 address", https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-weighted-alias.html,
 *   "Select the same value for all of the records in the group of weighted records") and plain A
 *   records of the IPv4 addresses.
 * - An alias record has no TTL; the non-alias records of the group share one (`traffic.dns.ttl`):
 *   ResourceRecordSet.TTL, same page ("All of the resource record sets in a group of weighted
 *   resource record sets must have the same value for TTL").
 * - An alias to a load balancer needs the load balancer's canonical hosted zone: the provider's
 *   `aws.lb.getHostedZoneId` (type `network`, the region's), from the ELB endpoints table
 *   https://docs.aws.amazon.com/general/latest/gr/elb.html#elb_region. With `evaluateTargetHealth`
 *   the record also "inherits the health of the referenced ... ELB load balancer"
 *   (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html).
 * - Health checks: type HTTP, HTTPS or TCP (immutable), request interval 10 or 30 s (immutable),
 *   failure threshold 1-10, resource path HTTP(S) only, at most 255 characters, port 1-65535:
 *   https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html. By DNS
 *   name for the AWS load balancer (its own name, never the record's: "specify the domain name of
 *   the server ... not the name of the resource record sets"), by IP address for the others.
 * - Route 53 health checkers are on the internet: "Route 53 can't check the health of endpoints
 *   for which the IP address is in local, private, non-routable, or multicast ranges" (same page);
 *   "Route 53 health checkers are outside the VPC"
 *   (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-private-hosted-zones.html).
 *   The documented way for private endpoints is a health check on a CloudWatch alarm; Azure and GCP
 *   load balancers have no CloudWatch metric, and for AWS the alias's target health already does
 *   it. So with internal load balancers (a private zone) no health check is created: AWS records
 *   still follow their load balancer's target health; Azure and GCP records are answered whatever
 *   their health (a warning says so).
 *
 * Route 53 is global: its resources use one provider, `${workload}-dns`, in us-east-1.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { HealthCheck, Record } from "@pulumi/aws/route53";
import { getHostedZoneIdOutput } from "@pulumi/aws/lb";
import type { DnsEmitter, DnsEmitInput, DnsEmitResult, DnsEndpoint } from "../../kit/workload/dns";
import { regionPartName } from "../../kit/workload/names";

const CLOUD = "aws";
/** Route 53 is a global service; its API is in us-east-1. */
const ROUTE53_REGION = "us-east-1";
/** AWS's recommended TTL for the non-alias members of a weighted group that has ELB alias members (ResourceRecordSet.TTL). */
const ELB_ALIAS_GROUP_TTL = 60;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The set identifier of a region's record (unique in the group, 1-128 characters). */
export function setIdentifier(provider: string, region: string): string {
  return `${provider}-${region}`;
}

function emit(input: DnsEmitInput): DnsEmitResult {
  const { workload, parent, traffic, endpoints } = input;
  const dns = traffic.dns;
  const provider = new Provider(`${workload}-dns`, { region: ROUTE53_REGION }, { parent });
  const opts: pulumi.CustomResourceOptions = { parent, provider };
  const checked = traffic.public;
  const healthChecked: string[] = [];
  for (const e of endpoints) {
    const name = regionPartName(workload, e.provider, e.region, "dns");
    const isLoadBalancerName = e.provider === CLOUD;
    const check = checked ? healthCheck(name, e, isLoadBalancerName, input, opts) : undefined;
    if (check) healthChecked.push(`${e.provider}/${e.region}`);
    new Record(name, {
      zoneId: dns.zoneId,
      name: dns.name,
      type: "A",
      setIdentifier: setIdentifier(e.provider, e.region),
      weightedRoutingPolicies: [{ weight: e.weight }],
      ...(check ? { healthCheckId: check.id } : {}),
      ...(isLoadBalancerName
        ? {
            aliases: [{
              name: e.address,
              zoneId: getHostedZoneIdOutput({ loadBalancerType: "network", region: e.region }, { parent, provider }).id,
              evaluateTargetHealth: true,
            }],
          }
        : { records: [ipv4(e)], ttl: dns.ttl }),
    }, opts);
  }

  const warnings: string[] = [];
  const others = endpoints.filter((e) => e.provider !== CLOUD).map((e) => `${e.provider}/${e.region}`);
  if (!checked && endpoints.length > 0) {
    warnings.push(
      `${workload}: traffic.dns: the load balancers are internal, and Route 53 health checkers cannot reach private addresses, so no health check is created` +
        (endpoints.some((e) => e.provider === CLOUD) ? "; AWS regions' records still follow their load balancer's target health (alias, evaluateTargetHealth)" : "") +
        (others.length > 0 ? `; ${others.join(", ")} stay in the answers whatever their health (a health check on a private endpoint needs a CloudWatch alarm, which their load balancers do not have)` : "") +
        ". https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-private-hosted-zones.html",
    );
  }
  if (dns.ttl !== ELB_ALIAS_GROUP_TTL && others.length > 0 && others.length < endpoints.length) {
    warnings.push(`${workload}: traffic.dns.ttl: AWS recommends ${ELB_ALIAS_GROUP_TTL} seconds for the non-alias records of a weighted group that also has load balancer aliases, got ${dns.ttl}. https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html`);
  }
  return { dnsName: dns.name, healthChecked, warnings };
}

function healthCheck(name: string, e: DnsEndpoint, byName: boolean, input: DnsEmitInput, opts: pulumi.CustomResourceOptions): HealthCheck {
  const { healthCheck: hc, targetPort } = input.traffic;
  // Route 53 can only reach the load balancer's port, which forwards to targetPort: the workload's
  // own check (protocol and path) applies there only when it probes targetPort; otherwise a TCP
  // connect on the port, or every check would fail and Route 53 would answer all records (fail open,
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html).
  const sameTarget = hc.port === targetPort;
  return new HealthCheck(name, {
    type: sameTarget ? hc.protocol.toUpperCase() : "TCP",
    ...(byName ? { fqdn: e.address } : { ipAddress: ipv4(e) }),
    port: e.port,
    ...(sameTarget && hc.path !== undefined ? { resourcePath: hc.path } : {}),
    requestInterval: hc.intervalSeconds,
    failureThreshold: hc.unhealthyThreshold,
    tags: { Name: name },
  }, opts);
}

/** The endpoint's address, which must be an IPv4 address to sit in an A record (checked when known). */
function ipv4(e: DnsEndpoint): pulumi.Output<string> {
  return e.address.apply((address) => {
    if (!IPV4.test(address)) {
      throw new Error(`traffic.dns: the ${e.provider}/${e.region} load balancer's address ${JSON.stringify(address)} is not an IPv4 address, so it cannot join the A records of the name`);
    }
    return address;
  });
}

export const awsDnsEmitter: DnsEmitter = { cloud: CLOUD, emit };
