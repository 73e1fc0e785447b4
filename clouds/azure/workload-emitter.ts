/**
 * Azure workload emitter. Per region: a resource group (unless one is given), a user-assigned
 * managed identity (holding no role: least privilege), a network security group allowing inbound
 * traffic only on the declared ports from the declared CIDRs, and, where no subnet is given, a
 * private virtual network. Per group: a VM scale set in Flexible orchestration with the planned
 * size and count (spot priority with a priority mix that keeps the planned on-demand instances as
 * its regular base), no public IP unless asked, the user data as cloud-init custom data, and an
 * autoscale setting on average CPU.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { Provider } from "@pulumi/azure-native/provider";
import { z } from "zod";
import type { EmittedGroup, WorkloadEmitter } from "../../kit/workload/emitter";
import type { WorkloadGroup } from "../../kit/workload/groups";
import { base64, byRegion, inputString, providerResource } from "../../kit/workload/inputs";
import { defineWorkloadEmitter, providerPackage, type RegionContext } from "../../kit/workload/define-emitter";
import { groupName, slug } from "../../kit/workload/names";
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
}

const settingsSchema = z.strictObject({
  providers: byRegion(providerResource(Provider.isInstance, "azure-native")).optional(),
  resourceGroupName: inputString.optional(),
  subnetIds: byRegion(inputString).optional(),
  adminUsername: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "expected a Linux user name: lower-case letters, digits, _ and -, at most 32 characters")
    .refine((u) => !["root", "admin", "administrator", "user", "guest"].includes(u), "is reserved by Azure: choose another user name")
    .default("azureuser"),
  sshPublicKey: inputString.optional(),
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
  check: (s, { spec }) =>
    spec.providers.azure && s.sshPublicKey === undefined
      ? [{ path: ["azure", "sshPublicKey"], message: "is required when azure is a provider: Azure Linux VMs need an admin SSH key (password login stays disabled)" }]
      : [],
  defaultProvider: (_s, name, region, parent) => new Provider(name, { location: region }, { parent }),
  emitRegion,
  providerPackage: providerPackage("azure-native", require("@pulumi/azure-native/package.json").version, Provider),
});

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
  const subnetId = s.subnetIds?.[r.region] ?? privateSubnet(name, resourceGroupName, location, nsg.id, tags, opts);

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
      // The autoscale setting owns the running capacity: an update (a new plan tag, say) must not
      // reset a scaled-out set to its planned minimum.
    }, { ...opts, ignoreChanges: ["sku.capacity"] });
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

/** Spot groups: Spot priority for the set, with the planned on-demand instances as its regular base. */
function spotSettings(g: WorkloadGroup): Pick<compute.VirtualMachineScaleSetArgs, "priorityMixPolicy"> {
  if (g.spot === 0) return {};
  return { priorityMixPolicy: { baseRegularPriorityCount: g.onDemandBase, regularPriorityPercentageAboveBase: g.onDemandAboveBasePercent } };
}

function spotProfile(g: WorkloadGroup): { priority: string; evictionPolicy?: string; billingProfile?: { maxPrice: number } } {
  // maxPrice -1: pay up to the on-demand price, evicted only for capacity (like AWS and GCP spot).
  return g.spot === 0 ? { priority: "Regular" } : { priority: "Spot", evictionPolicy: "Delete", billingProfile: { maxPrice: -1 } };
}

/** A private virtual network with one subnet behind the region's NSG; returns the subnet id. */
function privateSubnet(
  name: string,
  resourceGroupName: pulumi.Input<string>,
  location: string,
  nsgId: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const ranges = privateRanges("azure", location);
  const vnet = new network.VirtualNetwork(name, {
    resourceGroupName,
    location,
    addressSpace: { addressPrefixes: [ranges.network] },
    subnets: [{ name: "workload", addressPrefix: ranges.subnets[0], networkSecurityGroup: { id: nsgId } }],
    tags,
  }, opts);
  return vnet.subnets.apply((subnets) => subnets?.[0]?.id ?? "");
}
