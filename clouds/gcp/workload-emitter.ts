/**
 * GCP workload emitter. Per region: where no network is given, a custom-mode VPC network with one
 * private subnetwork (Private Google Access on) and, unless `egress: "none"`, a Cloud Router with a
 * Cloud NAT gateway so that instances without public IPs still reach package mirrors and APIs; a
 * firewall rule admitting only the declared ports from the declared CIDRs to the workload's
 * instances (none when no port is declared). Per group: an instance template (shielded VM, OS
 * Login, no external IP unless asked, no service account, the user data as `user-data` metadata
 * for cloud-init, labels normalised to GCP rules) and a regional managed instance group with a
 * regional autoscaler on CPU. A managed instance group is all spot or none, so spot and on-demand
 * instances of a type are separate groups.
 *
 * A new template (image, user data, labels) rolls out proactively with surge: the group adds new
 * instances before it removes old ones (maxUnavailable 0), so it never drops below the plan while
 * it replaces every instance. Replace, not refresh, as cloud-init reads `user-data` at first boot
 * only; the price is that a new plan (its hash is a label) also replaces the running instances.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import { Provider } from "@pulumi/gcp/provider";
import { z } from "zod";
import type { EmittedGroup, Port, WorkloadEmitter } from "../../kit/workload/emitter";
import type { WorkloadGroup } from "../../kit/workload/groups";
import { byRegion, inputString, providerResource } from "../../kit/workload/inputs";
import { defineWorkloadEmitter, providerPackage, singleImageProblems, type RegionContext } from "../../kit/workload/define-emitter";
import { groupName, slug } from "../../kit/workload/names";
import { privateRanges } from "../../kit/workload/network";
import { gcpLabelProblems, gcpLabels } from "./tags";

export interface GcpNetworkArgs {
  network: pulumi.Input<string>;
  subnetwork: pulumi.Input<string>;
}

export interface GcpWorkloadArgs {
  /** Explicit providers, one per region the workload may be placed in. */
  providers?: { [region: string]: Provider };
  /** Project for the default providers (default: the gcp:project config). */
  project?: string;
  /** Existing network and subnetwork per region; regions without one get a private network. */
  networks?: { [region: string]: GcpNetworkArgs };
  /** Boot image; default: the Ubuntu 24.04 LTS image family for the instances' architecture. */
  image?: string;
  /**
   * Outbound internet access of the networks the component creates: "nat" (default) adds a Cloud
   * Router and a Cloud NAT gateway per region, "none" adds nothing. Networks you give keep their
   * own egress. (A plain string: the provider schema generator takes no union types; the settings
   * schema checks the value.)
   */
  egress?: string;
}

const settingsSchema = z.strictObject({
  providers: byRegion(providerResource(Provider.isInstance, "gcp")).optional(),
  project: z.string().min(1).optional(),
  networks: byRegion(z.strictObject({ network: inputString, subnetwork: inputString })).optional(),
  image: z.string().min(1).optional(),
  egress: z.enum(["nat", "none"]).default("nat"),
});
type GcpSettings = z.output<typeof settingsSchema>;

const GROUP_KIND = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";
const UBUNTU_FAMILY = { x86_64: "ubuntu-2404-lts-amd64", arm64: "ubuntu-2404-lts-arm64" } as const;

/**
 * Zones a regional managed instance group spreads over when none are pinned: three ("By default, a
 * regional MIG distributes managed instances evenly across three zones",
 * https://cloud.google.com/compute/docs/instance-groups/regional-migs#selectingzones). Which three
 * the API picks cannot be looked up, so the count is a constant rather than a getZones invoke, and
 * zones are not pinned with distributionPolicyZones (that field replaces the group when changed).
 */
const MIG_ZONES = 3;

export const gcpWorkloadEmitter: WorkloadEmitter = defineWorkloadEmitter({
  cloud: "gcp",
  grouping: "separate",
  settings: settingsSchema,
  networkKey: "networks",
  tagProblems: gcpLabelProblems,
  check: (s, { spec }) => singleImageProblems(s.image !== undefined, spec, "gcp.image"),
  // An explicit provider does not read the stack's gcp:project config by itself: pass it on.
  defaultProvider: (s, name, region, parent) => new Provider(name, { region, project: s.project ?? new pulumi.Config("gcp").get("project") }, { parent }),
  emitRegion,
  providerPackage: providerPackage("gcp", require("@pulumi/gcp/package.json").version, Provider),
});

function emitRegion(s: GcpSettings, r: RegionContext): EmittedGroup[] {
  const { workload, common, opts, name } = r;
  const labels = gcpLabels(r.tags);
  // Network tag selecting the workload's instances in the firewall rule.
  const targetTag = `multicloud-${slug(workload)}`;
  const network = s.networks?.[r.region] ?? privateNetwork(name, r.region, s.egress, opts);

  if (common.ports.length > 0) {
    new compute.Firewall(name, {
      network: network.network,
      direction: "INGRESS",
      allows: firewallAllows(common.ports),
      sourceRanges: common.ingressCidrs,
      targetTags: [targetTag],
    }, opts);
  }

  return r.groups.map((g) => {
    const gname = groupName(workload, g);
    const template = new compute.InstanceTemplate(gname, {
      machineType: g.instanceType,
      disks: [{ boot: true, autoDelete: true, sourceImage: s.image ?? `projects/ubuntu-os-cloud/global/images/family/${UBUNTU_FAMILY[g.arch]}`, diskSizeGb: common.rootVolumeGiB, diskType: "pd-balanced" }],
      networkInterfaces: [{ network: network.network, subnetwork: network.subnetwork, accessConfigs: common.assignPublicIp ? [{}] : [] }],
      metadata: {
        "enable-oslogin": "TRUE",
        "block-project-ssh-keys": "TRUE",
        ...(common.userData === undefined ? {} : { "user-data": common.userData }),
      },
      shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
      scheduling: scheduling(g),
      labels,
      tags: [targetTag],
    }, opts);
    const group = new compute.RegionInstanceGroupManager(gname, {
      region: r.region,
      baseInstanceName: gname.slice(0, 50).replace(/-+$/, ""),
      versions: [{ name: "primary", instanceTemplate: template.selfLinkUnique }],
      updatePolicy: rollingUpdate(),
    }, opts);
    new compute.RegionAutoscaler(gname, {
      region: r.region,
      target: group.id,
      autoscalingPolicy: {
        minReplicas: g.minSize,
        maxReplicas: g.maxSize,
        cpuUtilization: { target: r.targetCpuUtilization / 100 },
        cooldownPeriod: 90,
      },
    }, opts);
    return { group: g, kind: GROUP_KIND, id: group.selfLink };
  });
}

/**
 * Proactive rolling replacement with surge. Both knobs are always sent (the provider sends an unset
 * one as fixed 0, and 0 for both is rejected: "At least one of either maxSurge or maxUnavailable must
 * be greater than 0", https://cloud.google.com/python/docs/reference/compute/0.7.0/google.cloud.compute_v1.types.InstanceGroupManagerUpdatePolicy).
 * A regional group's fixed value must be 0 or at least its zone count (API error quoted in
 * https://github.com/terraform-google-modules/terraform-example-foundation/pull/427), hence a surge
 * of MIG_ZONES and no unavailability; surge needs SUBSTITUTE (RECREATE requires maxSurge 0).
 */
function rollingUpdate() {
  return { type: "PROACTIVE", minimalAction: "REPLACE", maxSurgeFixed: MIG_ZONES, maxUnavailableFixed: 0, replacementMethod: "SUBSTITUTE" };
}

/** Spot instances are deleted on preemption (the group recreates them); GPUs cannot live-migrate. */
function scheduling(g: WorkloadGroup) {
  if (g.lifecycle === "spot") {
    return { provisioningModel: "SPOT", preemptible: true, automaticRestart: false, onHostMaintenance: "TERMINATE", instanceTerminationAction: "DELETE" };
  }
  return { provisioningModel: "STANDARD", preemptible: false, automaticRestart: true, onHostMaintenance: g.gpus > 0 ? "TERMINATE" : "MIGRATE" };
}

/** One allow block per protocol, ports in declaration order. */
function firewallAllows(ports: readonly Port[]): { protocol: string; ports: string[] }[] {
  const byProtocol = new Map<string, string[]>();
  for (const p of ports) byProtocol.set(p.protocol, [...(byProtocol.get(p.protocol) ?? []), String(p.port)]);
  return [...byProtocol].map(([protocol, list]) => ({ protocol, ports: list }));
}

type Egress = GcpSettings["egress"];

function privateNetwork(name: string, region: string, egress: Egress, opts: pulumi.CustomResourceOptions): { network: pulumi.Output<string>; subnetwork: pulumi.Output<string> } {
  const net = new compute.Network(name, { autoCreateSubnetworks: false, routingMode: "REGIONAL" }, opts);
  const subnet = new compute.Subnetwork(name, {
    region,
    network: net.id,
    ipCidrRange: privateRanges("gcp", region).subnets[0],
    privateIpGoogleAccess: true,
  }, opts);
  if (egress === "nat") natGateway(name, region, net.id, opts);
  return { network: net.id, subnetwork: subnet.id };
}

/**
 * Outbound access for instances without public IPs: a Cloud NAT gateway lives on a Cloud Router of
 * the same region and network (https://cloud.google.com/nat/docs/overview). Google allocates the NAT
 * addresses (AUTO_ONLY), and every range of the network's subnets is translated, so a subnet added
 * later needs no change here. The router has no BGP: it serves NAT only.
 */
function natGateway(name: string, region: string, network: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): void {
  const router = new compute.Router(name, { region, network }, opts);
  new compute.RouterNat(name, {
    region,
    router: router.name,
    natIpAllocateOption: "AUTO_ONLY",
    sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
  }, opts);
}
