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
 *
 * With `traffic`, per region: a regional passthrough Network Load Balancer, i.e. a regional health
 * check (from traffic.healthCheck), a regional backend service (INTERNAL, or EXTERNAL when
 * traffic.public; TCP; every managed instance group of the region as a backend through its
 * `instanceGroup`, balancing mode CONNECTION) and a forwarding rule of the same scheme on
 * traffic.port (internal: in the region's network and subnetwork). Every group autoheals on the same
 * health check. Two more firewall rules on the workload's network tag: the health-check port from
 * Google's health-check probe ranges, and traffic.port from the declared ingressCidrs (a passthrough
 * balancer keeps the client's address; none when no CIDR is declared). Nothing else is opened. The
 * region's endpoint is the forwarding rule's address on traffic.port.
 *
 * A passthrough balancer delivers packets with their destination port unchanged: it cannot map
 * traffic.port to traffic.targetPort, so on GCP the instances must listen on traffic.port, and a
 * spec whose targetPort differs is refused (in `check`) rather than deployed to a balancer that
 * would send clients to a port nothing listens on.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import { Provider } from "@pulumi/gcp/provider";
import { z } from "zod";
import type { SpecProblem } from "../../core/spec/issues";
import type { WorkloadSpec } from "../../core/spec/schema";
import type { HealthCheck, Traffic } from "../../core/spec/traffic";
import type { EmittedGroup, Port, WorkloadEmitter } from "../../kit/workload/emitter";
import type { WorkloadGroup } from "../../core/plan/groups";
import { byRegion, inputString, mapInput, providerResource } from "../../kit/workload/inputs";
import { defineWorkloadEmitter, providerPackage, singleImageProblems, type RegionContext, type RegionResult } from "../../kit/workload/define-emitter";
import { groupName, regionPartName, slug } from "../../kit/workload/names";
import { privateRanges } from "../../kit/workload/network";
import { gcpLabelKey, gcpLabelProblems, gcpLabelValue } from "./tags";
import { capacityPolicy } from "./alerts";
import type { TagInputs } from "../../kit/workload/tags";

export interface GcpNetworkArgs {
  network: pulumi.Input<string>;
  subnetwork: pulumi.Input<string>;
}

export interface GcpWorkloadArgs {
  /**
   * Explicit providers, one per region the workload may be placed in: a provider resource, or an
   * Output of one (its value must be known at preview: the region's resources are registered with it).
   */
  providers?: { [region: string]: pulumi.Input<Provider> };
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
  check: (s, { spec }) => [...singleImageProblems(s.image !== undefined, spec, "gcp.image"), ...passthroughPortProblems(spec)],
  // An explicit provider does not read the stack's gcp:project config by itself: pass it on.
  defaultProvider: (s, name, region, parent) => new Provider(name, { region, project: s.project ?? new pulumi.Config("gcp").get("project") }, { parent }),
  emitRegion,
  providerPackage: providerPackage("gcp", require("@pulumi/gcp/package.json").version, Provider),
  servesTraffic: true,
});

/**
 * "Load-balanced packets are received by backend VMs with the packet's source and destination IP
 * addresses, protocol, and, if the protocol is port-based, the source and destination ports
 * unchanged" (https://cloud.google.com/load-balancing/docs/passthrough-network-load-balancer): a
 * passthrough balancer cannot send traffic.port to a different traffic.targetPort.
 */
function passthroughPortProblems(spec: WorkloadSpec): SpecProblem[] {
  const t = spec.traffic;
  if (!spec.providers.gcp || !t || t.targetPort === undefined || t.targetPort === t.port) return [];
  return [{
    path: ["traffic", "targetPort"],
    message:
      `is ${t.targetPort} but traffic.port is ${t.port}: GCP's passthrough load balancer cannot map one port to another, ` +
      `so on GCP the instances must listen on traffic.port: listen on ${t.port} and set targetPort to ${t.port} (or remove it), or leave gcp out of providers`,
  }];
}

function emitRegion(s: GcpSettings, r: RegionContext): RegionResult {
  const { workload, common, opts, name } = r;
  // A value given as an Output is normalised once known, and stays secret if it was.
  const labels = Object.fromEntries(Object.entries(r.tags).map(([k, v]) => [gcpLabelKey(k), mapInput(v, gcpLabelValue)]));
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

  // With traffic: the region's health check, used by the balancer and every group's autohealing.
  const part = (p: string) => regionPartName(workload, "gcp", r.region, p);
  const healthCheck = r.traffic ? regionHealthCheck(part("hc"), r.region, r.traffic.healthCheck, opts) : undefined;
  const migs: compute.RegionInstanceGroupManager[] = [];
  const groups = r.groups.map((g): EmittedGroup => {
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
      ...(healthCheck ? { autoHealingPolicies: { healthCheck: healthCheck.id, initialDelaySec: AUTOHEAL_INITIAL_DELAY_SEC } } : {}),
    }, opts);
    migs.push(group);
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
  if (!r.traffic || !healthCheck) return { groups };

  const endpoint = passthroughBalancer(part("lb"), r.region, r.traffic, healthCheck, migs, network, labels, opts);
  capacityPolicy({ logicalName: part("alert"), planned: r.groups.reduce((n, g) => n + g.minSize, 0), groups: migs, traffic: r.traffic, subject: `${workload} in ${r.region}`, labels, opts });
  // Clients inside a network the component created reach an internal balancer from its range (a
  // custom VPC denies all ingress by default); a given network's clients come from ingressCidrs.
  const ownRange = s.networks?.[r.region] ? [] : [privateRanges("gcp", r.region).network];
  trafficFirewalls(part, network.network, r.traffic, r.traffic.public ? common.ingressCidrs : [...new Set([...common.ingressCidrs, ...ownRange])], targetTag, opts);
  return { groups, endpoint };
}

/**
 * Autohealing waits this long after an instance starts before acting on its health: boot plus
 * cloud-init (packages from the user data) before the service answers. The provider accepts
 * 0-3600 ("Between 0 and 3600", initial_delay_sec, hashicorp/terraform-provider-google
 * resource_compute_region_instance_group_manager.go).
 */
export const AUTOHEAL_INITIAL_DELAY_SEC = 300;

/**
 * A probe times out after 5 s (the API's default); the API requires it to be at most the interval
 * ("It is invalid for timeoutSec to have greater value than checkIntervalSec",
 * hashicorp/terraform-provider-google resource_compute_region_health_check.go), and the interval
 * is 10 or 30 s (core/spec/traffic.ts).
 */
const HEALTH_TIMEOUT_SEC = 5;
/** Consecutive successes before an instance is healthy again: the API's default. */
const HEALTHY_THRESHOLD = 2;

/**
 * Where Google's health-check probes come from: 35.191.0.0/16 and 130.211.0.0/22 ("Health check
 * ranges", https://cloud.google.com/load-balancing/docs/firewall-rules). External passthrough
 * balancers' probes may also come from 209.85.152.0/22 and 209.85.204.0/22: the "L3/4" ranges
 * Kubernetes' GCE cloud provider opens for internal and external passthrough balancers alike
 * (https://github.com/kubernetes/cloud-provider-gcp/blob/master/providers/gce/gce_loadbalancer.go,
 * L4LoadBalancerSrcRanges). Only the health-check port is opened to them.
 */
export const HEALTH_CHECK_SOURCE_RANGES = ["35.191.0.0/16", "130.211.0.0/22", "209.85.152.0/22", "209.85.204.0/22"] as const;

/** Exactly one of http/https/tcp (the API takes exactly one kind); the request path for http(s) only. */
function regionHealthCheck(name: string, region: string, hc: HealthCheck, opts: pulumi.CustomResourceOptions): compute.RegionHealthCheck {
  const http = { port: hc.port, requestPath: hc.path ?? "/" };
  const probe = hc.protocol === "tcp" ? { tcpHealthCheck: { port: hc.port } } : hc.protocol === "https" ? { httpsHealthCheck: http } : { httpHealthCheck: http };
  return new compute.RegionHealthCheck(name, {
    region,
    checkIntervalSec: hc.intervalSeconds,
    timeoutSec: Math.min(HEALTH_TIMEOUT_SEC, hc.intervalSeconds),
    healthyThreshold: HEALTHY_THRESHOLD,
    unhealthyThreshold: hc.unhealthyThreshold,
    ...probe,
  }, opts);
}

/**
 * The regional passthrough Network Load Balancer (https://cloud.google.com/load-balancing/docs/internal,
 * https://cloud.google.com/load-balancing/docs/network/networklb-backend-service). Backend service
 * and forwarding rule carry the same scheme (the forwarding rule's default is EXTERNAL, so it is
 * always set); backends are the groups' instance groups (`instanceGroup`, not the manager) in
 * balancing mode CONNECTION (the provider's default, UTILIZATION, is for proxies); no portName, which
 * an INTERNAL backend service must omit; one health check; up to five ports on the forwarding rule,
 * here one. An internal forwarding rule lives in the region's network and (custom-mode) subnetwork.
 */
function passthroughBalancer(
  name: string,
  region: string,
  traffic: Traffic,
  healthCheck: compute.RegionHealthCheck,
  migs: readonly compute.RegionInstanceGroupManager[],
  network: { network: pulumi.Input<string>; subnetwork: pulumi.Input<string> },
  labels: TagInputs,
  opts: pulumi.CustomResourceOptions,
): { address: pulumi.Output<string>; port: number } {
  const scheme = traffic.public ? "EXTERNAL" : "INTERNAL";
  const backendService = new compute.RegionBackendService(name, {
    region,
    loadBalancingScheme: scheme,
    protocol: "TCP",
    healthChecks: healthCheck.id,
    backends: migs.map((m) => ({ group: m.instanceGroup, balancingMode: "CONNECTION" })),
  }, opts);
  const forwardingRule = new compute.ForwardingRule(name, {
    region,
    loadBalancingScheme: scheme,
    ipProtocol: "TCP",
    ports: [String(traffic.port)],
    backendService: backendService.id,
    // Forwarding rules take labels (`gcloud compute forwarding-rules update --update-labels`,
    // https://cloud.google.com/sdk/gcloud/reference/compute/forwarding-rules/update): the
    // workload's labels, so a required-tags policy finds them on the load balancer too.
    labels,
    ...(traffic.public ? {} : { network: network.network, subnetwork: network.subnetwork }),
  }, opts);
  return { address: forwardingRule.ipAddress, port: traffic.port };
}

/**
 * Probes reach the instances on the health-check port from Google's probe ranges ("you must create
 * an ingress allow firewall rule that allows health check probes to reach your backend instances",
 * https://cloud.google.com/load-balancing/docs/firewall-rules); clients reach traffic.port from
 * the declared CIDRs, as a passthrough balancer keeps their source address, and, for an internal
 * balancer in a network the component created, from that network's range: a custom VPC has only
 * the implied deny-all ingress rule (https://cloud.google.com/firewall/docs/firewalls#default_firewall_rules;
 * the client rule of https://cloud.google.com/load-balancing/docs/internal/setting-up-internal).
 */
function trafficFirewalls(part: (p: string) => string, network: pulumi.Input<string>, traffic: Traffic, ingressCidrs: readonly string[], targetTag: string, opts: pulumi.CustomResourceOptions): void {
  new compute.Firewall(part("hc"), {
    network,
    direction: "INGRESS",
    allows: [{ protocol: "tcp", ports: [String(traffic.healthCheck.port)] }],
    sourceRanges: [...HEALTH_CHECK_SOURCE_RANGES],
    targetTags: [targetTag],
  }, opts);
  if (ingressCidrs.length === 0) return;
  new compute.Firewall(part("lb"), {
    network,
    direction: "INGRESS",
    allows: [{ protocol: "tcp", ports: [String(traffic.port)] }],
    sourceRanges: [...ingressCidrs],
    targetTags: [targetTag],
  }, opts);
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
