/**
 * The VPC the AWS emitter creates in a region where no network is given: two private subnets in
 * the region's first two zones (the groups launch there), and, unless egress is "none", the way
 * out to the internet: an internet gateway, one public subnet holding a NAT gateway with an
 * Elastic IP, a public route table (0.0.0.0/0 -> internet gateway) and a private one
 * (0.0.0.0/0 -> NAT gateway) for both private subnets. Instances never get a public address from
 * the network: the private subnets do not map public IPs, and instances go out through the NAT.
 *
 * Rules followed (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html): a public
 * NAT gateway sits in a public subnet (one routed to an internet gateway) and gets its Elastic IP
 * at creation; the private subnets route to the NAT gateway.
 *
 * One NAT gateway per region, in the first zone: it costs one Elastic IP per region (the default
 * quota is 5 per region) and one gateway's hourly charge; the price is that instances in the
 * second zone lose egress while the first zone is down (they keep serving; only outbound calls fail).
 *
 * With an internet-facing load balancer (`traffic.public`, clouds/aws/load-balancer.ts) the network
 * gets a second public subnet, public-1 (10.x.48.0/20, the /20 after the first public one), in the
 * second zone and on the public route table: an internet-facing NLB sits in public subnets, only
 * one per zone, and with cross-zone load balancing off (the NLB default) a node serves only the
 * targets of its own zone, so each zone the groups launch into needs one. Only the NAT gateway
 * lives in the first public subnet and only load balancer nodes in the second; neither maps public
 * IPs on launch. Without `traffic.public` nothing changes (no second public subnet).
 *
 * Names (kit/workload/names.ts): the VPC and the internet gateway take the region's name; the
 * parts take `${region name}-${part}`: subnet-0, subnet-1, public (subnet and its route table),
 * public-1 (second public subnet), private (route table), nat (Elastic IP and NAT gateway); an
 * association is named after its subnet.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { regionName, regionPartName } from "../../kit/workload/names";
import { privateRanges } from "../../kit/workload/network";
import type { TagInputs } from "../../kit/workload/tags";

/** Outbound internet access of a created network (an `as const` enum: the schema inferrer takes no unions). */
export const AwsEgress = {
  /** Internet gateway + NAT gateway: instances reach the internet, nothing reaches them. */
  Nat: "nat",
  /** No route out of the VPC. */
  None: "none",
} as const;
export type AwsEgress = (typeof AwsEgress)[keyof typeof AwsEgress];

export interface CreatedNetwork {
  vpcId: pulumi.Output<string>;
  /** The private subnets the groups launch into. */
  subnetIds: pulumi.Output<string>[];
  /** The VPC's range (known before anything exists). */
  cidrBlock: string;
  /** With `publicLoadBalancer`: one public subnet per zone of `subnetIds`, for an internet-facing load balancer. */
  publicSubnetIds?: pulumi.Output<string>[];
}

export interface NetworkOptions {
  /** Add public subnets for an internet-facing load balancer (needs egress "nat": its internet gateway). */
  publicLoadBalancer?: boolean;
}

interface NetworkContext {
  workload: string;
  region: string;
  tags: TagInputs;
  opts: pulumi.CustomResourceOptions;
}

/**
 * A VPC with two private subnets and, with egress "nat", a NAT gateway they route through (and, with
 * `publicLoadBalancer`, a public subnet in each of their zones).
 */
export function privateNetwork(c: NetworkContext, egress: AwsEgress, options: NetworkOptions = {}): CreatedNetwork {
  if (options.publicLoadBalancer && egress !== "nat") {
    // The emitter's check refuses this combination before anything is registered.
    throw new Error('an internet-facing load balancer needs the internet gateway of egress "nat"');
  }
  const ranges = awsRanges(c.region);
  const vpc = new ec2.Vpc(regionName(c.workload, "aws", c.region), { cidrBlock: ranges.network, enableDnsHostnames: true, enableDnsSupport: true, tags: c.tags }, c.opts);
  const zones = getAvailabilityZonesOutput({ state: "available" }, { parent: c.opts.parent, provider: c.opts.provider });
  const zone = (i: number) => zones.names.apply((names) => names[i % names.length]!);
  const subnets = ranges.subnets.map((cidrBlock, i) => subnet(c, `subnet-${i}`, vpc, cidrBlock, zone(i)));
  const publicSubnets = egress === "nat" ? natEgress(c, vpc, ranges, zone, subnets, options.publicLoadBalancer ?? false) : [];
  return {
    vpcId: vpc.id,
    subnetIds: subnets.map((s) => s.id),
    cidrBlock: ranges.network,
    ...(options.publicLoadBalancer ? { publicSubnetIds: publicSubnets.map((s) => s.id) } : {}),
  };
}

/** The region's ranges: the shared private ones, plus the public subnet for the NAT gateway. */
export function awsRanges(region: string): { network: string; subnets: [string, string]; public: string } {
  const ranges = privateRanges("aws", region);
  return { ...ranges, public: publicSubnetRange(ranges.network) };
}

/**
 * The public subnet: the /20 right after the two private /20s (10.x.32.0/20 of 10.x.0.0/16). It is
 * a /20 rather than the /24 a NAT gateway needs so that a later internet-facing load balancer
 * (8 free addresses per subnet) fits too, and it follows the private subnets so that further
 * private subnets can take the next /20s without renumbering anything.
 */
export function publicSubnetRange(network: string): string {
  const [a, b] = network.split(".");
  return `${a}.${b}.32.0/20`;
}

/**
 * The second public subnet (internet-facing load balancers only): the /20 after the first public
 * one, 10.x.48.0/20 of 10.x.0.0/16, clear of the private /20s and of the NAT gateway's subnet.
 */
export function secondPublicSubnetRange(network: string): string {
  const [a, b] = network.split(".");
  return `${a}.${b}.48.0/20`;
}

function subnet(c: NetworkContext, part: string, vpc: ec2.Vpc, cidrBlock: string, availabilityZone: pulumi.Input<string>): ec2.Subnet {
  return new ec2.Subnet(regionPartName(c.workload, "aws", c.region, part), {
    vpcId: vpc.id,
    cidrBlock,
    availabilityZone,
    // Also for the public subnet: only the NAT gateway lives there, and it brings its own address.
    mapPublicIpOnLaunch: false,
    tags: c.tags,
  }, c.opts);
}

/**
 * Internet gateway, public subnet + NAT gateway with an Elastic IP, and the two route tables; with
 * `publicLoadBalancer` a second public subnet in the second zone. Returns the public subnets.
 */
function natEgress(c: NetworkContext, vpc: ec2.Vpc, ranges: { network: string; public: string }, zone: (i: number) => pulumi.Input<string>, privateSubnets: ec2.Subnet[], publicLoadBalancer: boolean): ec2.Subnet[] {
  const part = (p: string) => regionPartName(c.workload, "aws", c.region, p);
  const gateway = new ec2.InternetGateway(regionName(c.workload, "aws", c.region), { vpcId: vpc.id, tags: c.tags }, c.opts);
  const publicSubnet = subnet(c, "public", vpc, ranges.public, zone(0));
  const publicRoutes = new ec2.RouteTable(part("public"), { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }], tags: c.tags }, c.opts);
  const publicAssociation = new ec2.RouteTableAssociation(part("public"), { routeTableId: publicRoutes.id, subnetId: publicSubnet.id }, c.opts);

  // The Elastic IP and the NAT gateway need the internet gateway attached first (provider docs:
  // "EIP may require IGW to exist prior to association"), and the NAT gateway's subnet routed to it.
  const address = new ec2.Eip(part("nat"), { domain: "vpc", tags: c.tags }, { ...c.opts, dependsOn: [gateway] });
  const nat = new ec2.NatGateway(part("nat"), {
    allocationId: address.allocationId,
    subnetId: publicSubnet.id,
    connectivityType: "public",
    tags: c.tags,
  }, { ...c.opts, dependsOn: [gateway, publicAssociation] });

  // natGatewayId, not gatewayId: the API takes either, but the wrong one is a perpetual diff.
  const privateRoutes = new ec2.RouteTable(part("private"), { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: c.tags }, c.opts);
  privateSubnets.forEach((s, i) => new ec2.RouteTableAssociation(part(`subnet-${i}`), { routeTableId: privateRoutes.id, subnetId: s.id }, c.opts));

  if (!publicLoadBalancer) return [publicSubnet];
  const second = subnet(c, "public-1", vpc, secondPublicSubnetRange(ranges.network), zone(1));
  new ec2.RouteTableAssociation(part("public-1"), { routeTableId: publicRoutes.id, subnetId: second.id }, c.opts);
  return [publicSubnet, second];
}
