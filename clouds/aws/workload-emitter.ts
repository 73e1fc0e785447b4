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
 * Instances get no instance profile: they hold no AWS permissions unless the user adds them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as autoscaling from "@pulumi/aws/autoscaling";
import { Provider } from "@pulumi/aws/provider";
import { z } from "zod";
import type { Arch } from "../../core/catalog/offer";
import type { EmittedGroup, WorkloadEmitter } from "../../kit/workload/emitter";
import { base64, byRegion, inputString, providerResource } from "../../kit/workload/inputs";
import { defineWorkloadEmitter, providerPackage, singleImageProblems, type RegionContext } from "../../kit/workload/define-emitter";
import type { WorkloadGroup } from "../../kit/workload/groups";
import { groupName, regionPartName } from "../../kit/workload/names";
import { AwsEgress, privateNetwork } from "./network";
import { awsTagProblems } from "./tags";

export interface AwsNetworkArgs {
  vpcId: pulumi.Input<string>;
  /** Subnets the groups launch into (spread them over zones). */
  subnetIds: pulumi.Input<string>[];
}

export interface AwsWorkloadArgs {
  /** Explicit providers, one per region the workload may be placed in. */
  providers?: { [region: string]: Provider };
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

const networkSchema = z.strictObject({ vpcId: inputString, subnetIds: z.array(inputString).min(1) });
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
  check: (s, { spec }) => singleImageProblems(s.amis !== undefined, spec, "aws.amis"),
  defaultProvider: (_s, name, region, parent) => new Provider(name, { region }, { parent }),
  emitRegion,
  providerPackage: providerPackage("aws", require("@pulumi/aws/package.json").version, Provider),
});

function emitRegion(s: AwsSettings, r: RegionContext): EmittedGroup[] {
  const { workload, common, tags, opts, name } = r;
  const network = s.networks?.[r.region] ?? privateNetwork({ workload, region: r.region, tags, opts }, s.egress);

  const securityGroup = new ec2.SecurityGroup(name, {
    vpcId: network.vpcId,
    description: `${workload}: instances of the multicloud workload`,
    ingress: common.ports.map((p) => ({ protocol: p.protocol, fromPort: p.port, toPort: p.port, cidrBlocks: common.ingressCidrs })),
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

  return r.groups.map((g) => {
    const template = templates.get(g.arch)!;
    const group = new autoscaling.Group(groupName(workload, g), {
      vpcZoneIdentifiers: network.subnetIds,
      minSize: g.minSize,
      maxSize: g.maxSize,
      capacityRebalance: g.spot > 0,
      mixedInstancesPolicy: {
        instancesDistribution: {
          onDemandBaseCapacity: g.onDemandBase,
          onDemandPercentageAboveBaseCapacity: onDemandPercentAboveBase(g),
          spotAllocationStrategy: "price-capacity-optimized",
        },
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: template.id, version: template.latestVersion.apply((v) => String(v)) },
          overrides: [{ instanceType: g.instanceType }],
        },
      },
      instanceRefresh: ROLLING,
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

/**
 * The share of capacity above the on-demand base that is on-demand, in percent: the plan's
 * on-demand share of the group, so that scale-out keeps the plan's mix instead of going all spot
 * (or all on-demand). Rounded up: the spot share above the base (100 minus this) then never exceeds
 * the plan's spot share, so scale-out never leans harder on spot than the plan accepted.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html
 */
export function onDemandPercentAboveBase(g: Pick<WorkloadGroup, "onDemand" | "spot">): number {
  const total = g.onDemand + g.spot;
  return total === 0 ? 100 : Math.ceil((100 * g.onDemand) / total);
}
