/**
 * Azure workload emitter. Per region: a resource group (unless one is given), a user-assigned
 * managed identity (holding no role: least privilege), a network security group allowing inbound
 * traffic only on the declared ports from the declared CIDRs, and, where no subnet is given, a
 * private virtual network whose subnet reaches the internet through a NAT gateway with one
 * Standard static public IP (unless `egress: "none"`): Flexible scale sets get no default outbound
 * access, so without it instances could not install a package. That NAT address is the only public
 * address the emitter creates. Per group: a VM scale set in Flexible orchestration with the planned
 * size and count (spot priority with a priority mix that keeps the planned on-demand instances as
 * its regular base), no public IP unless asked, the user data as cloud-init custom data, and an
 * autoscale setting on average CPU.
 *
 * Names (kit/workload/names.ts): the NAT gateway and its public IP are the region part `nat`
 * (`web-azure-eastus-nat`), as on AWS, leaving the region name free for the load balancer
 * addresses that come with traffic.
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
import type { EmittedGroup, WorkloadEmitter } from "../../kit/workload/emitter";
import type { WorkloadGroup } from "../../kit/workload/groups";
import { base64, byRegion, inputString, providerResource } from "../../kit/workload/inputs";
import { defineWorkloadEmitter, providerPackage, type RegionContext } from "../../kit/workload/define-emitter";
import { groupName, regionPartName, slug } from "../../kit/workload/names";
import { privateRanges } from "../../kit/workload/network";
import { cpuThresholds } from "../../kit/workload/scaling";
import { azureTagProblems } from "./tags";

export interface AzureWorkloadArgs {
  /** Explicit providers, one per region the workload may be placed in. */
  providers?: { [region: string]: Provider };
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
  check: (s, { spec, common }) => (spec.providers.azure ? [...sshKeyProblems(s), ...rootVolumeProblems(common.rootVolumeGiB)] : []),
  defaultProvider: (_s, name, region, parent) => new Provider(name, { location: region }, { parent }),
  emitRegion,
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

function emitRegion(s: AzureSettings, r: RegionContext): EmittedGroup[] {
  const { workload, common, tags, opts, name } = r;
  const location = r.region;
  const resourceGroupName = s.resourceGroupName ?? new resources.ResourceGroup(name, { location, tags }, opts).name;
  const identity = new managedidentity.UserAssignedIdentity(name, { resourceGroupName, location, tags }, opts);
  const nsg = new network.NetworkSecurityGroup(name, {
    resourceGroupName,
    location,
    securityRules: common.ports.map((p, i) => ({
      name: `allow-${p.protocol}-${p.port}`,
      priority: 100 + i,
      direction: network.SecurityRuleDirection.Inbound,
      access: network.SecurityRuleAccess.Allow,
      protocol: p.protocol === "udp" ? network.SecurityRuleProtocol.Udp : network.SecurityRuleProtocol.Tcp,
      sourcePortRange: "*",
      sourceAddressPrefixes: common.ingressCidrs,
      destinationPortRange: String(p.port),
      destinationAddressPrefix: "*",
    })),
    tags,
  }, opts);
  const subnetId = s.subnetIds?.[r.region]
    ?? privateSubnet(name, resourceGroupName, location, nsg.id, s.egress === "nat" ? natGateway(r, resourceGroupName).id : undefined, tags, opts);

  return r.groups.map((g) => {
    const scaleSet = new compute.VirtualMachineScaleSet(groupName(workload, g), {
      resourceGroupName,
      location,
      orchestrationMode: compute.OrchestrationMode.Flexible,
      platformFaultDomainCount: 1,
      sku: { name: g.instanceType, tier: "Standard", capacity: g.minSize },
      identity: { type: compute.ResourceIdentityType.UserAssigned, userAssignedIdentities: [identity.id] },
      ...spotSettings(g),
      virtualMachineProfile: {
        ...spotProfile(g),
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
              publicIPAddressConfiguration: common.assignPublicIp ? { name: "public-ip", deleteOption: "Delete" } : undefined,
            }],
          }],
        },
      },
      tags,
    }, { ...opts, ignoreChanges: CAPACITY_OWNED_BY_AUTOSCALE });
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
 * The region's outbound path: a Standard NAT gateway with one Standard static IPv4 public IP.
 * A NAT gateway takes only Standard public IPs, and Standard public IPs are always static:
 * https://learn.microsoft.com/en-us/azure/nat-gateway/nat-overview
 * https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses
 * NAT gateway is Azure's recommended explicit outbound method; Flexible scale sets have no default
 * outbound access: https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/default-outbound-access
 * Both are regional ("no zone", the default), so they serve instances in any zone of the region.
 */
function natGateway(r: RegionContext, resourceGroupName: pulumi.Input<string>): network.NatGateway {
  const { tags, opts } = r;
  const name = regionPartName(r.workload, "azure", r.region, "nat");
  const address = new network.PublicIPAddress(name, {
    resourceGroupName,
    location: r.region,
    sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
    publicIPAllocationMethod: network.IPAllocationMethod.Static,
    publicIPAddressVersion: network.IPVersion.IPv4,
    tags,
  }, opts);
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
  tags: Record<string, string>,
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
