/**
 * AWS workload emitter. Per region: a security group (ingress only on the declared ports from the
 * declared CIDRs) and one launch template per architecture (IMDSv2 required, encrypted gp3 root
 * volume, no public IP unless asked, the user data, Ubuntu 24.04 LTS for the architecture unless
 * an AMI is given). Per group: an auto scaling group whose mixed instances policy keeps the planned
 * on-demand instances as its on-demand base and runs the rest on spot (capacity rebalancing on),
 * and a target-tracking policy on average CPU. Where no network is given, a VPC with two private
 * subnets in two zones (no internet gateway).
 *
 * Instances get no instance profile: they hold no AWS permissions unless the user adds them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as autoscaling from "@pulumi/aws/autoscaling";
import { Provider } from "@pulumi/aws/provider";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { z } from "zod";
import type { Arch } from "../../core/catalog/offer";
import type { EmittedGroup, WorkloadEmitter } from "../../kit/workload/emitter";
import { base64, byRegion, inputString, providerResource } from "../../kit/workload/inputs";
import { defineWorkloadEmitter, providerPackage, singleImageProblems, type RegionContext } from "../../kit/workload/define-emitter";
import { groupName, regionName, regionPartName } from "../../kit/workload/names";
import { privateRanges } from "../../kit/workload/network";
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
}

const networkSchema = z.strictObject({ vpcId: inputString, subnetIds: z.array(inputString).min(1) });
const settingsSchema = z.strictObject({
  providers: byRegion(providerResource(Provider.isInstance, "aws")).optional(),
  networks: byRegion(networkSchema).optional(),
  amis: byRegion(inputString).optional(),
});
type AwsSettings = z.output<typeof settingsSchema>;

const CANONICAL = "099720109477";
const UBUNTU = { x86_64: "amd64", arm64: "arm64" } as const;
const GROUP_KIND = "aws:autoscaling/group:Group";

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
  const network = s.networks?.[r.region] ?? privateNetwork(workload, r.region, tags, opts);

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
          launchTemplateSpecification: { launchTemplateId: templates.get(g.arch)!.id, version: "$Latest" },
          overrides: [{ instanceType: g.instanceType }],
        },
      },
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

/** The latest Canonical Ubuntu 24.04 LTS AMI for an architecture in the provider's region. */
/** The given AMI, or the latest Ubuntu 24.04 LTS for the architecture, with its root device name. */
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

/** A VPC with two private subnets in the region's first two zones; no internet gateway. */
function privateNetwork(workload: string, region: string, tags: Record<string, string>, opts: pulumi.CustomResourceOptions): z.output<typeof networkSchema> {
  const ranges = privateRanges("aws", region);
  const vpc = new ec2.Vpc(regionName(workload, "aws", region), { cidrBlock: ranges.network, enableDnsHostnames: true, enableDnsSupport: true, tags }, opts);
  const zones = getAvailabilityZonesOutput({ state: "available" }, { parent: opts.parent, provider: opts.provider });
  const subnets = ranges.subnets.map((cidrBlock, i) =>
    new ec2.Subnet(regionPartName(workload, "aws", region, `subnet-${i}`), {
      vpcId: vpc.id,
      cidrBlock,
      availabilityZone: zones.names.apply((names) => names[i % names.length]!),
      mapPublicIpOnLaunch: false,
      tags,
    }, opts),
  );
  return { vpcId: vpc.id, subnetIds: subnets.map((s) => s.id) };
}
