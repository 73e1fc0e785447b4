/**
 * GCP workload emitter. Per region: where no network is given, a custom-mode VPC network with one
 * private subnetwork (Private Google Access on); a firewall rule admitting only the declared ports
 * from the declared CIDRs to the workload's instances (none when no port is declared). Per group:
 * an instance template (shielded VM, OS Login, no external IP unless asked, no service account,
 * the user data as `user-data` metadata for cloud-init, labels normalised to GCP rules) and a
 * regional managed instance group with a regional autoscaler on CPU. A managed instance group is
 * all spot or none, so spot and on-demand instances of a type are separate groups.
 *
 * Template changes reach new instances only (update policy OPPORTUNISTIC), as on AWS and Azure: a
 * re-tagged plan never recreates running instances.
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
}

const settingsSchema = z.strictObject({
  providers: byRegion(providerResource(Provider.isInstance, "gcp")).optional(),
  project: z.string().min(1).optional(),
  networks: byRegion(z.strictObject({ network: inputString, subnetwork: inputString })).optional(),
  image: z.string().min(1).optional(),
});
type GcpSettings = z.output<typeof settingsSchema>;

const GROUP_KIND = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";
const UBUNTU_FAMILY = { x86_64: "ubuntu-2404-lts-amd64", arm64: "ubuntu-2404-lts-arm64" } as const;

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
  const network = s.networks?.[r.region] ?? privateNetwork(name, r.region, opts);

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
      updatePolicy: { type: "OPPORTUNISTIC", minimalAction: "REPLACE" },
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

function privateNetwork(name: string, region: string, opts: pulumi.CustomResourceOptions): { network: pulumi.Output<string>; subnetwork: pulumi.Output<string> } {
  const net = new compute.Network(name, { autoCreateSubnetworks: false, routingMode: "REGIONAL" }, opts);
  const subnet = new compute.Subnetwork(name, {
    region,
    network: net.id,
    ipCidrRange: privateRanges("gcp", region).subnets[0],
    privateIpGoogleAccess: true,
  }, opts);
  return { network: net.id, subnetwork: subnet.id };
}
