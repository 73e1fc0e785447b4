/**
 * AWS workload emitter. Per region: a security group (ingress only on the declared ports from the
 * declared CIDRs) and one launch template per architecture (IMDSv2 required, encrypted gp3 root
 * volume, no public IP unless asked, the user data, Ubuntu 24.04 LTS for the architecture unless
 * an AMI is given). Per group: an auto scaling group and a target-tracking policy on average CPU.
 * The group's mixed instances policy keeps the planned on-demand instances as its on-demand base
 * and keeps the plan's on-demand share above it (capacity rebalancing on when it runs spot); it
 * follows the launch template's latest version and rolls every change (image, user data) out by
 * instance refresh without dropping below the planned capacity. Where no network is given, a VPC
 * with two private subnets in two zones that reach the internet through a NAT gateway
 * (clouds/aws/network.ts), unless `egress: "none"`.
 *
 * With `traffic` (DESIGN.md "Traffic"), per region one network load balancer, target group and
 * listener (clouds/aws/load-balancer.ts): internal, in the groups' subnets, by default;
 * internet-facing with `traffic.public`, in public subnets (a created network then gets a public
 * subnet in each of its two zones; a given network must name its `publicSubnetIds`). Every group
 * of the region registers in the target group (`targetGroupArns`) and uses its health check
 * (`healthCheckType: "ELB"`, grace period HEALTH_CHECK_GRACE_SECONDS), so an instance failing it
 * is replaced, and an instance refresh counts only instances that pass it. The security group then
 * also admits the target port from `ingressCidrs` and the VPC's ranges (clients' addresses are
 * preserved; the load balancer's own addresses are in the VPC) and the health-check port from the
 * VPC's ranges, nothing else. The region's endpoint is the load balancer's DNS name on
 * `traffic.port`. Refused before anything is registered: `traffic.public` with a given network
 * without `publicSubnetIds`, or with `egress: "none"` on a created one (no internet gateway).
 *
 * Instances get no instance profile: they hold no AWS permissions unless the user adds them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as autoscaling from "@pulumi/aws/autoscaling";
import { Provider } from "@pulumi/aws/provider";
import { z } from "zod";
import type { Arch } from "../../core/catalog/offer";
import type { WorkloadEmitter } from "../../kit/workload/emitter";
import { base64, byRegion, inputString, providerResource } from "../../kit/workload/inputs";
import { defineWorkloadEmitter, providerPackage, singleImageProblems, type RegionContext, type RegionResult } from "../../kit/workload/define-emitter";
import { groupName, regionPartName } from "../../kit/workload/names";
import type { SpecProblem } from "../../core/spec/issues";
import type { WorkloadSpec } from "../../core/spec/schema";
import type { Traffic } from "../../core/spec/traffic";
import type { CommonSettings } from "../../kit/workload/emitter";
import { AwsEgress, privateNetwork } from "./network";
import { HEALTH_CHECK_GRACE_SECONDS, regionalLoadBalancer } from "./load-balancer";
import { awsTagProblems } from "./tags";
import { capacityAlarm } from "./alerts";

export interface AwsNetworkArgs {
  vpcId: pulumi.Input<string>;
  /** Subnets the groups launch into (spread them over zones); an internal load balancer uses them too. */
  subnetIds: pulumi.Input<string>[];
  /**
   * Public subnets (routed to an internet gateway), one per zone of `subnetIds`: where an
   * internet-facing load balancer (`traffic.public`) sits. Required then; unused otherwise.
   */
  publicSubnetIds?: pulumi.Input<string>[];
}

export interface AwsWorkloadArgs {
  /**
   * Explicit providers, one per region the workload may be placed in: a provider resource, or an
   * Output of one (its value must be known at preview: the region's resources are registered with it).
   */
  providers?: { [region: string]: pulumi.Input<Provider> };
  /** Existing networks per region; regions without one get a private VPC. */
  networks?: { [region: string]: AwsNetworkArgs };
  /** AMI per region; default: the latest Ubuntu 24.04 LTS for the instances' architecture. */
  amis?: { [region: string]: pulumi.Input<string> };
  /**
   * Outbound internet access of the networks the component creates (regions without a given
   * network): "nat" (default) adds an internet gateway, a public subnet with a NAT gateway and its
   * Elastic IP, and routes the private subnets through it; "none" leaves them without internet.
   * Instances get no public IP either way. Given networks are used as they are.
   */
  egress?: AwsEgress;
}

const networkSchema = z.strictObject({ vpcId: inputString, subnetIds: z.array(inputString).min(1), publicSubnetIds: z.array(inputString).min(1).optional() });
const settingsSchema = z.strictObject({
  providers: byRegion(providerResource(Provider.isInstance, "aws")).optional(),
  networks: byRegion(networkSchema).optional(),
  amis: byRegion(inputString).optional(),
  egress: z.enum([AwsEgress.Nat, AwsEgress.None]).default(AwsEgress.Nat),
});
type AwsSettings = z.output<typeof settingsSchema>;

const CANONICAL = "099720109477";
const UBUNTU = { x86_64: "amd64", arm64: "arm64" } as const;
const GROUP_KIND = "aws:autoscaling/group:Group";

/**
 * Instance refresh on every launch template or mixed instances policy change: rolling, with at
 * least 100% of the desired capacity healthy and at most 200%, so new instances come up (and pass
 * their health checks) before old ones go. Max - min must be at most 100.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 * A refresh starts only when the template reference changes, hence `latestVersion`, never
 * "$Latest" (provider docs, autoscaling.Group instanceRefresh.triggers).
 */
const ROLLING = { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } } as const;

export const awsWorkloadEmitter: WorkloadEmitter = defineWorkloadEmitter({
  cloud: "aws",
  grouping: "mixed",
  settings: settingsSchema,
  networkKey: "networks",
  tagProblems: awsTagProblems,
  check: (s, { spec }) => [...singleImageProblems(s.amis !== undefined, spec, "aws.amis"), ...publicTrafficProblems(s, spec)],
  defaultProvider: (_s, name, region, parent) => new Provider(name, { region }, { parent }),
  emitRegion,
  providerPackage: providerPackage("aws", require("@pulumi/aws/package.json").version, Provider),
  servesTraffic: true,
});

/**
 * An internet-facing load balancer needs public subnets (routed to an internet gateway), one per
 * zone the groups use. A created network with egress "nat" has its internet gateway and gets them;
 * one with egress "none" has no internet gateway, and a given network's public subnets cannot be
 * guessed: both are refused rather than deployed with a load balancer nobody can reach.
 */
function publicTrafficProblems(s: AwsSettings, spec: WorkloadSpec): SpecProblem[] {
  const aws = spec.providers.aws;
  if (!spec.traffic?.public || !aws) return [];
  const problems: SpecProblem[] = [];
  for (const [region, network] of Object.entries(s.networks ?? {})) {
    if (network.publicSubnetIds === undefined && (aws.regions === undefined || aws.regions.includes(region))) {
      problems.push({
        path: ["aws", "networks", region, "publicSubnetIds"],
        message: "is required when traffic.public is true: an internet-facing load balancer sits in public subnets (routed to an internet gateway), one per zone of subnetIds",
      });
    }
  }
  const created = aws.regions === undefined || aws.regions.some((r) => s.networks?.[r] === undefined);
  if (s.egress === AwsEgress.None && created) {
    problems.push({
      path: ["aws", "egress"],
      message: 'is "none", which creates no internet gateway, but traffic.public asks for internet-facing load balancers: set egress to "nat", or give every AWS region a network with publicSubnetIds',
    });
  }
  return problems;
}

function emitRegion(s: AwsSettings, r: RegionContext): RegionResult {
  const { workload, common, tags, opts, name, traffic } = r;
  const given = s.networks?.[r.region];
  const created = given ? undefined : privateNetwork({ workload, region: r.region, tags, opts }, s.egress, { publicLoadBalancer: traffic?.public ?? false });
  const network = (given ?? created)!;

  // The VPC's ranges, where the load balancer's health checks come from: known for a created
  // network, looked up (primary and secondary ranges) for a given one.
  const vpcCidrs: pulumi.Input<string[]> | undefined = !traffic
    ? undefined
    : created
      ? [created.cidrBlock]
      : ec2.getVpcOutput({ id: given!.vpcId }, { parent: r.parent, provider: r.provider }).apply((v) => [...new Set([v.cidrBlock, ...(v.cidrBlockAssociations ?? []).filter((a) => a.state === "associated").map((a) => a.cidrBlock)])]);

  const securityGroup = new ec2.SecurityGroup(name, {
    vpcId: network.vpcId,
    description: `${workload}: instances of the multicloud workload`,
    ingress: traffic && vpcCidrs ? pulumi.output(vpcCidrs).apply((cidrs) => ingressRules(common, traffic, cidrs)) : ingressRules(common),
    // An explicit egress rule: an inline-managed group otherwise drops AWS's default one.
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    tags,
  }, opts);

  const templates = new Map<Arch, ec2.LaunchTemplate>();
  for (const arch of [...new Set(r.groups.map((g) => g.arch))].sort()) {
    const image = machineImage(s.amis?.[r.region], arch, { parent: r.parent, provider: r.provider });
    templates.set(arch, new ec2.LaunchTemplate(regionPartName(workload, "aws", r.region, arch), {
      imageId: image.id,
      userData: common.userData === undefined ? undefined : base64(common.userData),
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{
        // The image's own root device (Ubuntu /dev/sda1, Amazon Linux /dev/xvda): a mapping for any
        // other name would add a second volume and leave the root unencrypted.
        deviceName: image.rootDeviceName,
        ebs: { encrypted: "true", volumeType: "gp3", volumeSize: common.rootVolumeGiB, deleteOnTermination: "true" },
      }],
      networkInterfaces: [{
        associatePublicIpAddress: String(common.assignPublicIp),
        securityGroups: [securityGroup.id],
        deleteOnTermination: "true",
      }],
      tagSpecifications: ["volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
      updateDefaultVersion: true,
      tags,
    }, opts));
  }

  const balancer = traffic
    ? regionalLoadBalancer({
        logicalName: regionPartName(workload, "aws", r.region, "lb"),
        traffic,
        vpcId: network.vpcId,
        subnetIds: traffic.public ? (created?.publicSubnetIds ?? given!.publicSubnetIds!) : network.subnetIds,
        tags,
        opts,
      })
    : undefined;

  if (balancer && traffic) {
    capacityAlarm({ logicalName: regionPartName(workload, "aws", r.region, "alert"), planned: r.groups.reduce((n, g) => n + g.minSize, 0), ...balancer, traffic, subject: `${workload} in ${r.region}`, tags, opts });
  }

  const groups = r.groups.map((g) => {
    const template = templates.get(g.arch)!;
    const group = new autoscaling.Group(groupName(workload, g), {
      vpcZoneIdentifiers: network.subnetIds,
      minSize: g.minSize,
      maxSize: g.maxSize,
      capacityRebalance: g.spot > 0,
      mixedInstancesPolicy: {
        instancesDistribution: {
          onDemandBaseCapacity: g.onDemandBase,
          onDemandPercentageAboveBaseCapacity: g.onDemandAboveBasePercent,
          spotAllocationStrategy: "price-capacity-optimized",
        },
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: template.id, version: template.latestVersion.apply((v) => String(v)) },
          overrides: [{ instanceType: g.instanceType }],
        },
      },
      instanceRefresh: ROLLING,
      ...(balancer
        ? { targetGroupArns: [balancer.targetGroup.arn], healthCheckType: "ELB", healthCheckGracePeriod: HEALTH_CHECK_GRACE_SECONDS }
        : {}),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    }, opts);
    new autoscaling.Policy(groupName(workload, g), {
      autoscalingGroupName: group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: r.targetCpuUtilization,
      },
    }, opts);
    return { group: g, kind: GROUP_KIND, id: group.name };
  });
  return { groups, ...(balancer && traffic ? { endpoint: { address: balancer.loadBalancer.dnsName, port: traffic.port } } : {}) };
}

interface IngressRule {
  protocol: string;
  fromPort: number;
  toPort: number;
  cidrBlocks: string[];
}

/**
 * The security group's ingress: each declared port from `ingressCidrs`; with `traffic`, also the
 * target port from `ingressCidrs` and the VPC's ranges, and the health-check port from the VPC's
 * ranges, each as one TCP rule for what the declared rules do not already admit (a duplicate
 * rule would be refused).
 */
export function ingressRules(common: Pick<CommonSettings, "ports" | "ingressCidrs">, traffic?: Traffic, vpcCidrs: string[] = []): IngressRule[] {
  const rules: IngressRule[] = common.ports.map((p) => ({ protocol: p.protocol, fromPort: p.port, toPort: p.port, cidrBlocks: common.ingressCidrs }));
  if (!traffic) return rules;
  const wanted = new Map<number, string[]>();
  const want = (port: number, cidrs: string[]) => wanted.set(port, [...new Set([...(wanted.get(port) ?? []), ...cidrs])]);
  want(traffic.targetPort, [...common.ingressCidrs, ...vpcCidrs]);
  want(traffic.healthCheck.port, vpcCidrs);
  for (const [port, cidrs] of wanted) {
    const admitted = new Set(rules.filter((x) => x.protocol === "tcp" && x.fromPort === port && x.toPort === port).flatMap((x) => x.cidrBlocks));
    const missing = cidrs.filter((c) => !admitted.has(c));
    if (missing.length > 0) rules.push({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: missing });
  }
  return rules;
}

/**
 * The given AMI, or the latest Ubuntu 24.04 LTS for the architecture, with its root device name.
 * Not pinned: `mostRecent` picks up Canonical's new releases (security fixes) at the next
 * `pulumi up`, and a new image id makes a new launch template version, which the groups now roll
 * out by instance refresh without dropping below the plan. Users who want a fixed image give `amis`.
 */
function machineImage(ami: pulumi.Input<string> | undefined, arch: Arch, opts: pulumi.InvokeOutputOptions): { id: pulumi.Output<string>; rootDeviceName: pulumi.Output<string> } {
  const found =
    ami !== undefined
      ? ec2.getAmiOutput({ mostRecent: true, filters: [{ name: "image-id", values: [ami] }] }, opts)
      : ec2.getAmiOutput({
          owners: [CANONICAL],
          mostRecent: true,
          filters: [
            { name: "name", values: [`ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${UBUNTU[arch]}-server-*`] },
            { name: "architecture", values: [arch] },
          ],
        }, opts);
  return { id: found.id, rootDeviceName: found.rootDeviceName };
}

