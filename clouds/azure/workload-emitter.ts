/**
 * Azure workload emitter. Per region: a resource group (unless one is given), a user-assigned
 * managed identity (holding no role: least privilege), a network security group allowing inbound
 * traffic only on the declared ports from the declared CIDRs, and, where no subnet is given, a
 * private virtual network whose subnet reaches the internet through a NAT gateway with one
 * Standard static public IP (unless `egress: "none"`): Flexible scale sets get no default outbound
 * access, so without it instances could not install a package. Per group: a VM scale set in
 * Flexible orchestration with the planned size and count (spot priority with a priority mix that
 * keeps the planned on-demand instances as its regular base), no public IP unless asked, the user
 * data as cloud-init custom data, and an autoscale setting on average CPU.
 *
 * With `traffic` (DESIGN.md "Traffic"), per region also: one Standard Load Balancer in front of
 * every scale set there (internal, its frontend a private IP in the workload subnet; with
 * `traffic.public` a Standard static public IP), its backend pool joined by every scale set's NIC,
 * a health probe equal to the traffic health check and one TCP rule port -> targetPort; NSG rules
 * admitting targetPort from `ingressCidrs` and the health-check port from the `AzureLoadBalancer`
 * service tag (the probes); and on every scale set the Application Health extension probing the
 * same health check, automatic instance repairs and rolling upgrades. The region's endpoint is the
 * frontend's address and `traffic.port`. The NAT address and a public load balancer's address are
 * the only public addresses the emitter creates.
 *
 * Names (kit/workload/names.ts): the NAT gateway and its public IP are the region part `nat`
 * (`web-azure-eastus-nat`), as on AWS; the load balancer and its public IP are the region part
 * `lb` (`web-azure-eastus-lb`). The load balancer's Azure name is that name verbatim (not
 * auto-named): its rules reference its frontend, pool and probe by id, and those ids are built from
 * the name before the balancer exists.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { Provider } from "@pulumi/azure-native/provider";
import { z } from "zod";
import type { SpecProblem } from "../../core/spec/issues";
import { resolveTraffic, type HealthCheck, type Traffic } from "../../core/spec/traffic";
import type { WorkloadEmitter } from "../../kit/workload/emitter";
import type { WorkloadGroup } from "../../core/plan/groups";
import { base64, byRegion, inputString, providerResource } from "../../kit/workload/inputs";
import { defineWorkloadEmitter, providerPackage, type RegionContext, type RegionResult } from "../../kit/workload/define-emitter";
import { groupName, regionPartName, slug } from "../../kit/workload/names";
import { privateRanges } from "../../kit/workload/network";
import { cpuThresholds } from "../../kit/workload/scaling";
import { azureTagProblems } from "./tags";
import { capacityAlert } from "./alerts";
import type { TagInputs } from "../../kit/workload/tags";

export interface AzureWorkloadArgs {
  /**
   * Explicit providers, one per region the workload may be placed in: a provider resource, or an
   * Output of one (its value must be known at preview: the region's resources are registered with it).
   */
  providers?: { [region: string]: pulumi.Input<Provider> };
  /** An existing resource group for every region; default: one new group per region. */
  resourceGroupName?: pulumi.Input<string>;
  /** Existing subnet (resource id) per region; regions without one get a private virtual network. */
  subnetIds?: { [region: string]: pulumi.Input<string> };
  /** Admin user on the instances (default azureuser); password login is disabled. */
  adminUsername?: string;
  /** SSH public key of the admin user; required when Azure is a provider. */
  sshPublicKey?: pulumi.Input<string>;
  /**
   * Outbound internet access of the virtual networks the component creates: "nat" (default) adds
   * per region a NAT gateway with one Standard static public IP on the subnet; "none" leaves the
   * instances without any outbound internet access (Flexible scale sets have no default outbound
   * access). Regions given in `subnetIds` are never changed: their outbound path is yours.
   * (A plain string: the provider schema generator takes no union types; the settings schema checks it.)
   */
  egress?: string;
}

/**
 * User names Azure refuses for a Linux admin (the API's "Disallowed values", plus root, which Linux
 * reserves). https://learn.microsoft.com/en-us/javascript/api/@azure/arm-compute/virtualmachinescalesetosprofile
 */
export const DISALLOWED_ADMIN_USERNAMES: ReadonlySet<string> = new Set([
  "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a",
  "actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root",
  "server", "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5",
]);

/**
 * OS disk bounds. The Canonical Ubuntu image's OS disk is 30 GiB and Azure rejects an osDisk
 * smaller than the image's ("The specified disk size … is smaller than the size of the
 * corresponding disk in the VM image", Target osDisk.diskSizeGB; the size is the image version's
 * osDiskImage.sizeInGb, and Learn shows a Canonical scale set with diskSizeGb 30:
 * https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/tutorial-modify-scale-sets-cli).
 * An OS disk holds at most 4,095 GiB:
 * https://learn.microsoft.com/en-us/azure/virtual-machines/managed-disks-overview
 */
export const OS_DISK_MIN_GIB = 30;
export const OS_DISK_MAX_GIB = 4095;

const settingsSchema = z.strictObject({
  providers: byRegion(providerResource(Provider.isInstance, "azure-native")).optional(),
  resourceGroupName: inputString.optional(),
  subnetIds: byRegion(inputString).optional(),
  adminUsername: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "expected a Linux user name: lower-case letters, digits, _ and -, at most 32 characters")
    .refine((u) => !DISALLOWED_ADMIN_USERNAMES.has(u), "is reserved by Azure: choose another user name")
    .default("azureuser"),
  sshPublicKey: inputString.optional(),
  egress: z.enum(["nat", "none"]).default("nat"),
});
type AzureSettings = z.output<typeof settingsSchema>;

const GROUP_KIND = "azure-native:compute:VirtualMachineScaleSet";
const UBUNTU_SKU = { x86_64: "server", arm64: "server-arm64" } as const;

export const azureWorkloadEmitter: WorkloadEmitter = defineWorkloadEmitter({
  cloud: "azure",
  grouping: "mixed",
  settings: settingsSchema,
  networkKey: "subnetIds",
  tagProblems: azureTagProblems,
  check: (s, { spec, common }) =>
    spec.providers.azure ? [...sshKeyProblems(s), ...rootVolumeProblems(common.rootVolumeGiB), ...(spec.traffic ? azureTrafficProblems(resolveTraffic(spec.traffic)) : [])] : [],
  defaultProvider: (_s, name, region, parent) => new Provider(name, { location: region }, { parent }),
  emitRegion,
  servesTraffic: true,
  providerPackage: providerPackage("azure-native", require("@pulumi/azure-native/package.json").version, Provider),
});

function sshKeyProblems(s: AzureSettings): SpecProblem[] {
  return s.sshPublicKey === undefined
    ? [{ path: ["azure", "sshPublicKey"], message: "is required when azure is a provider: Azure Linux VMs need an admin SSH key (password login stays disabled)" }]
    : [];
}

/** The common root volume becomes the OS disk: it must hold the image and fit Azure's OS disk. */
function rootVolumeProblems(gib: number): SpecProblem[] {
  if (gib < OS_DISK_MIN_GIB) {
    return [{ path: ["rootVolumeGiB"], message: `is ${gib} GiB, smaller than Azure's Ubuntu image (${OS_DISK_MIN_GIB} GiB), which Azure rejects: use at least ${OS_DISK_MIN_GIB}` }];
  }
  if (gib > OS_DISK_MAX_GIB) {
    return [{ path: ["rootVolumeGiB"], message: `is ${gib} GiB, above Azure's OS disk maximum of ${OS_DISK_MAX_GIB} GiB` }];
  }
  return [];
}

/**
 * Ports an Azure HTTP(S) probe cannot target ("HTTP probes don't support probing on the following
 * ports due to security concerns: 19, 21, 25, 70, 110, 119, 143, 220, 993"):
 * https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-custom-probe-overview
 */
export const HTTP_PROBE_FORBIDDEN_PORTS: ReadonlySet<number> = new Set([19, 21, 25, 70, 110, 119, 143, 220, 993]);

/**
 * A load-balancing rule's frontendPort is 0-65534 ("Acceptable values are between 0 and 65534"):
 * https://learn.microsoft.com/en-us/dotnet/api/microsoft.azure.management.network.models.loadbalancingrule.frontendport
 */
export const LB_FRONTEND_PORT_MAX = 65534;

/** What the spec's traffic settings allow but Azure's load balancer does not. */
function azureTrafficProblems(t: Traffic): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (t.port > LB_FRONTEND_PORT_MAX) {
    problems.push({ path: ["traffic", "port"], message: `is ${t.port}: an Azure load balancer's frontend port is at most ${LB_FRONTEND_PORT_MAX}` });
  }
  const h = t.healthCheck;
  if (h.protocol !== "tcp" && HTTP_PROBE_FORBIDDEN_PORTS.has(h.port)) {
    problems.push({ path: ["traffic", "healthCheck", "port"], message: `is ${h.port}, a port Azure's load balancer never probes over ${h.protocol}: choose another port, or a tcp health check` });
  }
  return problems;
}

function emitRegion(s: AzureSettings, r: RegionContext): RegionResult {
  const { workload, common, tags, opts, name, traffic } = r;
  const location = r.region;
  const resourceGroupName = s.resourceGroupName ?? new resources.ResourceGroup(name, { location, tags }, opts).name;
  const identity = new managedidentity.UserAssignedIdentity(name, { resourceGroupName, location, tags }, opts);
  const nsg = new network.NetworkSecurityGroup(name, {
    resourceGroupName,
    location,
    securityRules: [...common.ports.map((p, i) => ({
      name: `allow-${p.protocol}-${p.port}`,
      priority: 100 + i,
      direction: network.SecurityRuleDirection.Inbound,
      access: network.SecurityRuleAccess.Allow,
      protocol: p.protocol === "udp" ? network.SecurityRuleProtocol.Udp : network.SecurityRuleProtocol.Tcp,
      sourcePortRange: "*",
      sourceAddressPrefixes: common.ingressCidrs,
      destinationPortRange: String(p.port),
      destinationAddressPrefix: "*",
    })), ...(traffic ? trafficSecurityRules(traffic, common.ingressCidrs) : [])],
    tags,
  }, opts);
  const subnetId = s.subnetIds?.[r.region]
    ?? privateSubnet(name, resourceGroupName, location, nsg.id, s.egress === "nat" ? natGateway(r, resourceGroupName).id : undefined, tags, opts);
  const balancer = traffic ? loadBalancer(r, traffic, resourceGroupName, subnetId, nsg.id) : undefined;
  if (balancer && traffic) {
    capacityAlert({ logicalName: regionPartName(workload, "azure", r.region, "alert"), planned: r.groups.reduce((n, g) => n + g.minSize, 0), loadBalancerId: balancer.resource.id, resourceGroupName, traffic, subject: `${workload} in ${r.region}`, tags, opts });
  }

  const groups = r.groups.map((g) => {
    const scaleSet = new compute.VirtualMachineScaleSet(groupName(workload, g), {
      resourceGroupName,
      location,
      orchestrationMode: compute.OrchestrationMode.Flexible,
      platformFaultDomainCount: 1,
      sku: { name: g.instanceType, tier: "Standard", capacity: g.minSize },
      identity: { type: compute.ResourceIdentityType.UserAssigned, userAssignedIdentities: [identity.id] },
      ...spotSettings(g),
      ...(traffic ? healingSettings(g) : {}),
      virtualMachineProfile: {
        ...spotProfile(g),
        ...(traffic ? { extensionProfile: { extensions: [healthExtension(traffic.healthCheck)] } } : {}),
        osProfile: {
          computerNamePrefix: slug(workload).slice(0, 15),
          adminUsername: s.adminUsername,
          customData: common.userData === undefined ? undefined : base64(common.userData),
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: { publicKeys: [{ path: `/home/${s.adminUsername}/.ssh/authorized_keys`, keyData: s.sshPublicKey }] },
          },
        },
        storageProfile: {
          imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: UBUNTU_SKU[g.arch], version: "latest" },
          osDisk: { createOption: "FromImage", diskSizeGB: common.rootVolumeGiB, deleteOption: "Delete", managedDisk: { storageAccountType: "StandardSSD_LRS" } },
        },
        networkProfile: {
          networkApiVersion: "2020-11-01",
          networkInterfaceConfigurations: [{
            name: "nic",
            primary: true,
            deleteOption: "Delete",
            networkSecurityGroup: { id: nsg.id },
            ipConfigurations: [{
              name: "ipconfig",
              primary: true,
              subnet: { id: subnetId },
              loadBalancerBackendAddressPools: balancer ? [{ id: balancer.poolId }] : undefined,
              // Standard: a Basic address cannot sit behind a Standard load balancer, and Basic is retired
              // (https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance).
              publicIPAddressConfiguration: common.assignPublicIp
                ? { name: "public-ip", deleteOption: "Delete", sku: { name: "Standard", tier: "Regional" } }
                : undefined,
            }],
          }],
        },
      },
      tags,
    }, { ...opts, ignoreChanges: CAPACITY_OWNED_BY_AUTOSCALE, ...(balancer ? { dependsOn: [balancer.resource] } : {}) });
    const thresholds = cpuThresholds(r.targetCpuUtilization);
    const cpuRule = (operator: "GreaterThan" | "LessThan", threshold: number, direction: "Increase" | "Decrease", window: string) => ({
      metricTrigger: {
        metricName: "Percentage CPU",
        metricResourceUri: scaleSet.id,
        operator,
        statistic: monitor.MetricStatisticType.Average,
        threshold,
        timeAggregation: monitor.TimeAggregationType.Average,
        timeGrain: "PT1M",
        timeWindow: window,
      },
      scaleAction: { direction, type: monitor.ScaleType.ChangeCount, value: "1", cooldown: window },
    });
    new monitor.AutoscaleSetting(groupName(workload, g), {
      resourceGroupName,
      location,
      enabled: true,
      targetResourceUri: scaleSet.id,
      profiles: [{
        name: "cpu",
        capacity: { minimum: String(g.minSize), maximum: String(g.maxSize), default: String(g.minSize) },
        rules: [
          cpuRule("GreaterThan", thresholds.scaleOutAbove, "Increase", "PT5M"),
          cpuRule("LessThan", thresholds.scaleInBelow, "Decrease", "PT10M"),
        ],
      }],
      tags,
    }, opts);
    return { group: g, kind: GROUP_KIND, id: scaleSet.id };
  });
  return balancer && traffic ? { groups, endpoint: { address: balancer.address, port: traffic.port } } : { groups };
}

/**
 * The autoscale setting owns the running capacity: the planned count is the size at creation only.
 * Pulumi then sends, for an ignored property, the value recorded in the stack's state instead of
 * the program's, and azure-native updates a scale set with a full PUT carrying it, so the state
 * must hold the live count. It does after a refresh: azure-native reads the inputs back from the
 * live scale set. Pulumi documents exactly this ("Run pulumi refresh (or pulumi up --refresh) …
 * Skipping the refresh step leaves stale values in the state, and Pulumi will continue to send
 * those stale values to the provider during subsequent updates"):
 * https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/
 * Without a refresh, an update of the scale set (a new tag, a new image) would shrink a set the
 * autoscaler grew back to the size recorded at creation.
 */
const CAPACITY_OWNED_BY_AUTOSCALE = ["sku.capacity"];

/** Spot groups: Spot priority for the set, with the planned on-demand instances as its regular base. */
function spotSettings(g: WorkloadGroup): Pick<compute.VirtualMachineScaleSetArgs, "priorityMixPolicy"> {
  if (g.spot === 0) return {};
  return { priorityMixPolicy: { baseRegularPriorityCount: g.onDemandBase, regularPriorityPercentageAboveBase: g.onDemandAboveBasePercent } };
}

function spotProfile(g: WorkloadGroup): { priority: string; evictionPolicy?: string; billingProfile?: { maxPrice: number } } {
  // maxPrice -1: pay up to the on-demand price, evicted only for capacity (like AWS and GCP spot).
  return g.spot === 0 ? { priority: "Regular" } : { priority: "Spot", evictionPolicy: "Delete", billingProfile: { maxPrice: -1 } };
}

/**
 * NSG rules for `traffic`. Behind a load balancer the NSG sees the client's address and the
 * backend port ("The source port and address range applied are from the originating computer, not
 * the load balancer. The destination port and address range are for the destination computer"), so
 * clients are admitted on targetPort from the declared CIDRs; the probes come from 168.63.129.16,
 * the `AzureLoadBalancer` service tag, on the health-check port:
 * https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview
 * https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-custom-probe-overview
 * Without ingressCidrs (an internal balancer) only the virtual network's own clients reach it,
 * through Azure's default AllowVNetInBound rule. Priorities 4000+ stay clear of the declared
 * ports' 100+ (priorities run 100-4096, unique per direction). The Application Health extension
 * probes from inside the instance and needs no rule:
 * https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension
 */
function trafficSecurityRules(t: Traffic, ingressCidrs: string[]) {
  const rule = (name: string, priority: number, port: number, source: { sourceAddressPrefix: string } | { sourceAddressPrefixes: string[] }) => ({
    name,
    priority,
    direction: network.SecurityRuleDirection.Inbound,
    access: network.SecurityRuleAccess.Allow,
    protocol: network.SecurityRuleProtocol.Tcp,
    sourcePortRange: "*",
    ...source,
    destinationPortRange: String(port),
    destinationAddressPrefix: "*",
  });
  return [
    ...(ingressCidrs.length > 0 ? [rule(`allow-lb-tcp-${t.targetPort}`, 4000, t.targetPort, { sourceAddressPrefixes: ingressCidrs })] : []),
    rule(`allow-lb-probe-tcp-${t.healthCheck.port}`, 4001, t.healthCheck.port, { sourceAddressPrefix: "AzureLoadBalancer" }),
  ];
}

/** Names of the load balancer's child objects (Azure takes them verbatim: 1-80, alphanumeric ends). */
const LB_PARTS = { frontend: "frontend", pool: "pool", probe: "health", rule: "traffic" } as const;

const PROBE_PROTOCOL = { http: network.ProbeProtocol.Http, https: network.ProbeProtocol.Https, tcp: network.ProbeProtocol.Tcp } as const;

interface RegionBalancer {
  resource: network.LoadBalancer;
  /** Id of the backend pool every scale set of the region joins. */
  poolId: pulumi.Output<string>;
  /** The frontend's private IP (internal) or its public IP's address. */
  address: pulumi.Output<string>;
}

/**
 * The region's Standard Load Balancer (Basic retired on 2025-09-30:
 * https://learn.microsoft.com/en-us/azure/load-balancer/skus), with its frontend, pool, probe and
 * rule inline: mixing inline pools with separate pool resources breaks
 * (https://github.com/pulumi/pulumi-azure-native/issues/3601).
 *
 * - Frontend: a private IP in the workload subnet, or with `public` a Standard static IPv4 public
 *   IP (a Standard LB takes Standard public IPs, always static):
 *   https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses
 * - Probe: the traffic health check. Protocol Tcp, Http or Https (Https on Standard only);
 *   requestPath required for Http(s) and not allowed for Tcp; intervalInSeconds at least 5 (the
 *   spec allows 10 or 30); probeThreshold the consecutive failures that take an instance out
 *   (numberOfProbes, the older field, set alike):
 *   https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-custom-probe-overview
 *   https://learn.microsoft.com/en-us/javascript/api/@azure/arm-network/probepropertiesformat
 * - Rule: Tcp, frontendPort `port` -> backendPort `targetPort` (a rule may map ports; frontendPort
 *   is 0-65534, backendPort 0-65535, 0 meaning HA ports, so the check refuses `port` 65535); never
 *   HA ports (port 0 / All), which exist only on internal balancers:
 *   https://learn.microsoft.com/en-us/dotnet/api/microsoft.azure.management.network.models.loadbalancingrule.frontendport
 *   https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-ha-ports-overview
 *   A public rule sets disableOutboundSnat: outbound stays with the NAT gateway (or none, with
 *   `egress: "none"`) rather than the balancer's address (azure-native LoadBalancingRuleArgs:
 *   "Configures SNAT for the VMs in the backend pool to use the publicIP address specified in the
 *   frontend of the load balancing rule").
 *
 * Sub-resource ids are built before the balancer exists (the ARM pattern
 * `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/loadBalancers/{name}/...`),
 * so the balancer has an explicit name. The subscription and resource group come from the NSG's id:
 * the NSG is this emitter's own, in the same resource group, and reading them from it needs no
 * lookup.
 */
function loadBalancer(r: RegionContext, t: Traffic, resourceGroupName: pulumi.Input<string>, subnetId: pulumi.Input<string>, nsgId: pulumi.Output<string>): RegionBalancer {
  const { tags, opts } = r;
  const name = regionPartName(r.workload, "azure", r.region, "lb");
  const scope = nsgId.apply((id) => id.split(/\/providers\//i)[0]!);
  const lbId = pulumi.interpolate`${scope}/providers/Microsoft.Network/loadBalancers/${name}`;
  const part = (kind: string, partName: string) => pulumi.interpolate`${lbId}/${kind}/${partName}`;
  const frontendId = part("frontendIPConfigurations", LB_PARTS.frontend);
  const poolId = part("backendAddressPools", LB_PARTS.pool);
  const probeId = part("probes", LB_PARTS.probe);

  const publicIp = t.public ? standardPublicIp(name, r, resourceGroupName) : undefined;
  const h = t.healthCheck;
  const resource = new network.LoadBalancer(name, {
    resourceGroupName,
    loadBalancerName: name,
    location: r.region,
    sku: { name: network.LoadBalancerSkuName.Standard, tier: network.LoadBalancerSkuTier.Regional },
    frontendIPConfigurations: [publicIp
      ? { name: LB_PARTS.frontend, publicIPAddress: { id: publicIp.id } }
      : { name: LB_PARTS.frontend, subnet: { id: subnetId }, privateIPAllocationMethod: network.IPAllocationMethod.Dynamic }],
    backendAddressPools: [{ name: LB_PARTS.pool }],
    probes: [{
      name: LB_PARTS.probe,
      protocol: PROBE_PROTOCOL[h.protocol],
      port: h.port,
      ...(h.protocol === "tcp" ? {} : { requestPath: h.path ?? "/" }),
      intervalInSeconds: h.intervalSeconds,
      probeThreshold: h.unhealthyThreshold,
      numberOfProbes: h.unhealthyThreshold,
    }],
    loadBalancingRules: [{
      name: LB_PARTS.rule,
      frontendIPConfiguration: { id: frontendId },
      backendAddressPool: { id: poolId },
      probe: { id: probeId },
      protocol: network.TransportProtocol.Tcp,
      frontendPort: t.port,
      backendPort: t.targetPort,
      ...(publicIp ? { disableOutboundSnat: true } : {}),
    }],
    tags,
  }, opts);
  const address = publicIp
    ? publicIp.ipAddress.apply((a) => a ?? "")
    : resource.frontendIPConfigurations.apply((f) => f?.[0]?.privateIPAddress ?? "");
  return { resource, poolId, address };
}

/**
 * Autohealing and rollouts of a scale set behind the region's balancer. Health comes from the
 * Application Health extension (healthExtension), not the balancer's probe: automatic repairs take
 * one of the two, never both, and on Flexible orchestration rolling upgrades require the extension
 * (the docs conflict on repairs from balancer probes on Flexible, so the extension is the safe
 * source for both):
 * https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-instance-repairs
 * https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-configure-rolling-upgrades
 *
 * - automaticRepairsPolicy: gracePeriod PT30M, within the documented PT10M-PT90M, leaving a new
 *   instance time to run its cloud-init before it is judged; repairAction Replace (the default,
 *   pinned: changing it later needs the policy disabled first).
 * - upgradePolicy Rolling, supported on Flexible since 2024-11-19 (GA; older Learn versions still
 *   say Uniform only): https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-upgrade-policy
 *   Batches of 20% with at most 20% unhealthy (the API's defaults), unhealthy instances first.
 *   Not done: MaxSurge (new instances before old ones go, so a rollout never dips below the plan)
 *   still needs the subscription feature MaxSurgeRollingUpgrade registered, which a component
 *   cannot assume: https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-maxsurge
 *   So a rollout takes up to one batch (20%) out of service at a time. Microsoft also suggests
 *   creating a set with Manual and switching to Rolling once health reports; this creates it Rolling.
 */
function healingSettings(g: WorkloadGroup): Pick<compute.VirtualMachineScaleSetArgs, "automaticRepairsPolicy" | "upgradePolicy"> {
  // One unhealthy instance must not block every rollout of a small set: the unhealthy limits are at
  // least one instance's share of the planned size (two instances: 50 %).
  const oneInstance = Math.ceil(100 / Math.max(1, g.minSize));
  const unhealthy = Math.min(100, Math.max(20, oneInstance));
  return {
    automaticRepairsPolicy: { enabled: true, gracePeriod: REPAIR_GRACE_PERIOD, repairAction: compute.RepairAction.Replace },
    upgradePolicy: {
      mode: compute.UpgradeMode.Rolling,
      rollingUpgradePolicy: {
        maxBatchInstancePercent: 20,
        maxUnhealthyInstancePercent: unhealthy,
        maxUnhealthyUpgradedInstancePercent: unhealthy,
        pauseTimeBetweenBatches: "PT0S",
        prioritizeUnhealthyInstances: true,
      },
    },
  };
}

export const REPAIR_GRACE_PERIOD = "PT30M";

/**
 * The Application Health extension probing the traffic health check from inside each instance:
 * protocol http/https/tcp, requestPath only for http(s), intervalInSeconds 5-60, numberOfProbes
 * 1-24 (the spec's 10/30 s and 2-10 fit):
 * https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension
 */
function healthExtension(h: HealthCheck) {
  return {
    name: "HealthExtension",
    publisher: "Microsoft.ManagedServices",
    type: "ApplicationHealthLinux",
    typeHandlerVersion: "2.0",
    autoUpgradeMinorVersion: true,
    settings: {
      protocol: h.protocol,
      port: h.port,
      ...(h.protocol === "tcp" ? {} : { requestPath: h.path ?? "/" }),
      intervalInSeconds: h.intervalSeconds,
      numberOfProbes: h.unhealthyThreshold,
    },
  };
}

/**
 * The region's outbound path: a Standard NAT gateway with one Standard static IPv4 public IP.
 * A NAT gateway takes only Standard public IPs, and Standard public IPs are always static:
 * https://learn.microsoft.com/en-us/azure/nat-gateway/nat-overview
 * https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses
 * NAT gateway is Azure's recommended explicit outbound method; Flexible scale sets have no default
 * outbound access: https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/default-outbound-access
 * Both are regional ("no zone", the default), so they serve instances in any zone of the region.
 */
/**
 * A Standard, static, regional IPv4 public address: the only kind a NAT gateway and a Standard
 * load balancer take. https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses#sku
 */
function standardPublicIp(name: string, r: RegionContext, resourceGroupName: pulumi.Input<string>): network.PublicIPAddress {
  return new network.PublicIPAddress(name, {
    resourceGroupName,
    location: r.region,
    sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
    publicIPAllocationMethod: network.IPAllocationMethod.Static,
    publicIPAddressVersion: network.IPVersion.IPv4,
    tags: r.tags,
  }, r.opts);
}

function natGateway(r: RegionContext, resourceGroupName: pulumi.Input<string>): network.NatGateway {
  const { tags, opts } = r;
  const name = regionPartName(r.workload, "azure", r.region, "nat");
  const address = standardPublicIp(name, r, resourceGroupName);
  return new network.NatGateway(name, {
    resourceGroupName,
    location: r.region,
    sku: { name: network.NatGatewaySkuName.Standard },
    publicIpAddresses: [{ id: address.id }],
    tags,
  }, opts);
}

/**
 * A private virtual network with one subnet behind the region's NSG (and its NAT gateway, when
 * there is egress); returns the subnet id. The NAT association is made on the subnet:
 * https://learn.microsoft.com/en-us/azure/nat-gateway/nat-overview
 */
function privateSubnet(
  name: string,
  resourceGroupName: pulumi.Input<string>,
  location: string,
  nsgId: pulumi.Input<string>,
  natGatewayId: pulumi.Input<string> | undefined,
  tags: TagInputs,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const ranges = privateRanges("azure", location);
  const vnet = new network.VirtualNetwork(name, {
    resourceGroupName,
    location,
    addressSpace: { addressPrefixes: [ranges.network] },
    subnets: [{
      name: "workload",
      addressPrefix: ranges.subnets[0],
      networkSecurityGroup: { id: nsgId },
      natGateway: natGatewayId === undefined ? undefined : { id: natGatewayId },
    }],
    tags,
  }, opts);
  return vnet.subnets.apply((subnets) => subnets?.[0]?.id ?? "");
}
