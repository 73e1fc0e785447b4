/**
 * Azure conformance: a small matrix of plans placing instances on Azure (on-demand only, a spot and
 * on-demand priority mix, two regions, arm64, a GPU offer, a given subnet, no egress, and `traffic`
 * variants: internal http, public tcp in two regions, https on a given subnet), each run
 * through MultiCloudWorkload under Pulumi's mocks; every registered azure-native resource is then
 * held to Azure's documented rules. One rule = one named object with the page it comes from, so a
 * failure says which rule broke, on which resource, and where to read why. Rules come from
 * /tmp/research/azure-rules.md (Microsoft Learn pages, or the REST text azure-native copies into
 * its .d.ts files where marked); nothing here is guessed.
 */
import { deployWorkload } from "../components/deploy";
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import type { InstanceOffer } from "../../core/catalog/offer";
import type { Plan } from "../../core";
import { offer } from "../helpers/catalog";
import { catalogFile, setupPulumi, type Recorded } from "../components/harness";
import { SSH_KEY, webArgs } from "../components/scenario";
import { resolveTraffic, trafficSchema, type Traffic } from "../../core/spec/traffic";

// ---------------------------------------------------------------------------------------------
// The matrix

interface Scenario {
  name: string;
  args: MultiCloudWorkloadArgs;
}

const D4S = (region: string, spot: number | null = null): InstanceOffer =>
  offer({ provider: "azure", region, instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.192, spotHourlyUsd: spot });

/** An Azure-only workload: 12 replicas of 2 vCPU / 8 GiB, eastus unless said otherwise. */
function azureArgs(overrides: Partial<MultiCloudWorkloadArgs>, offers: InstanceOffer[], regions = ["eastus"]): MultiCloudWorkloadArgs {
  return webArgs({
    demand: { replicas: 12, cpu: 2, memoryGiB: 8 },
    providers: { azure: { regions } },
    constraints: {},
    catalog: catalogFile(offers),
    ...overrides,
  });
}

const SUBNET_ID = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/shared/subnets/apps";

const SCENARIOS: Scenario[] = [
  { name: "on-demand only", args: azureArgs({}, [D4S("eastus")]) },
  { name: "spot and on-demand (priority mix)", args: azureArgs({ constraints: { maxSpotShare: 0.5 } }, [D4S("eastus", 0.05)]) },
  {
    name: "two regions",
    args: azureArgs({ constraints: { quotas: { "azure/eastus": { vcpu: 16 }, "azure/westus2": { vcpu: 16 } } } }, [D4S("eastus"), D4S("westus2")], ["eastus", "westus2"]),
  },
  {
    name: "arm64",
    args: azureArgs({ instance: { arch: "arm64" } }, [
      offer({ provider: "azure", region: "eastus", instanceType: "Standard_D4ps_v5", vcpu: 4, memoryGiB: 16, arch: "arm64", onDemandHourlyUsd: 0.154 }),
    ]),
  },
  {
    name: "GPU",
    args: azureArgs({ demand: { replicas: 2, cpu: 4, memoryGiB: 16, gpus: 1 }, instance: { gpuType: "t4" } }, [
      offer({ provider: "azure", region: "eastus", instanceType: "Standard_NC4as_T4_v3", vcpu: 4, memoryGiB: 28, gpus: 1, gpuType: "t4", onDemandHourlyUsd: 0.526 }),
    ]),
  },
  { name: "given subnet", args: azureArgs({ azure: { sshPublicKey: SSH_KEY, subnetIds: { eastus: SUBNET_ID } } }, [D4S("eastus")]) },
  { name: "egress none", args: azureArgs({ azure: { sshPublicKey: SSH_KEY, egress: "none" } }, [D4S("eastus")]) },
  {
    name: "traffic: internal, http health check, spot mix",
    args: azureArgs({ constraints: { maxSpotShare: 0.5 }, traffic: { port: 443, targetPort: 8443, healthCheck: { path: "/healthz" } } }, [D4S("eastus", 0.05)]),
  },
  {
    name: "traffic: public, tcp, two regions",
    args: azureArgs(
      { constraints: { quotas: { "azure/eastus": { vcpu: 16 }, "azure/westus2": { vcpu: 16 } } }, traffic: { port: 443, public: true, healthCheck: { intervalSeconds: 30, unhealthyThreshold: 2 } } },
      [D4S("eastus"), D4S("westus2")],
      ["eastus", "westus2"],
    ),
  },
  {
    name: "traffic: https health check on its own port, given subnet, no egress",
    args: azureArgs(
      { azure: { sshPublicKey: SSH_KEY, subnetIds: { eastus: SUBNET_ID }, egress: "none" }, traffic: { port: 80, targetPort: 8080, protocol: "http", healthCheck: { protocol: "https", path: "/ready", port: 9443 } } },
      [D4S("eastus")],
    ),
  },
];

interface Run {
  scenario: Scenario;
  plan: Plan;
  resources: Recorded[];
}

const runs = new Map<string, Run>();

beforeAll(async () => {
  for (const scenario of SCENARIOS) {
    const h = await setupPulumi({ stack: "dev" });
    const { plan } = await deployWorkload(h, scenario.args);
    runs.set(scenario.name, { scenario, plan, resources: [...h.resources] });
  }
}, 120_000);

function run(name: string): Run {
  return runs.get(name)!;
}

function azureResources(r: Run): Recorded[] {
  return r.resources.filter((x) => x.type.startsWith("azure-native:"));
}

function ofType(r: Run, type: string): Recorded[] {
  return r.resources.filter((x) => x.type === `azure-native:${type}`);
}

// ---------------------------------------------------------------------------------------------
// Small helpers the rules share

/** ISO 8601 duration (PnD, PTnHnMnS) in seconds; NaN when not one. */
function seconds(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!m || duration === "P" || duration.endsWith("T")) return Number.NaN;
  const [, d = "0", h = "0", min = "0", s = "0"] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s);
}

interface Cidr {
  start: number;
  prefix: number;
  size: number;
}

function cidr(text: string): Cidr | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const start = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (start % size !== 0) return undefined; // host bits set: not a network address
  return { start, prefix, size };
}

const within = (inner: Cidr, outer: Cidr) => inner.start >= outer.start && inner.start + inner.size <= outer.start + outer.size;
const overlaps = (a: Cidr, b: Cidr) => a.start < b.start + b.size && b.start < a.start + a.size;

/** A port spec of an NSG rule: a port, a range a-b, or "*", within 0-65535. */
function validPortRange(text: string): boolean {
  if (text === "*") return true;
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return lo <= hi && hi <= 65535;
}

/** Pulumi's auto-name suffix ("-" and 7 random characters) on a logical name. */
const AUTONAME_SUFFIX = 8;

// ---------------------------------------------------------------------------------------------
// The rules

interface Context {
  args: MultiCloudWorkloadArgs;
  resources: Recorded[];
}

interface Rule {
  name: string;
  url: string;
  /** Resource types (after `azure-native:`) the rule applies to; absent = every azure-native resource. */
  types?: string[];
  /** A problem, or undefined when the resource complies. */
  check(resource: Recorded, context: Context): string | undefined;
}

const NAME_RULES_URL = "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules";

/** A physical-name rule for auto-named resources: the logical name plus Pulumi's suffix must comply. */
function nameRule(name: string, types: string[], max: number, pattern: RegExp, min = 1): Rule {
  return {
    name,
    url: NAME_RULES_URL,
    types,
    check: (r) => {
      const physical = `${r.name}-abcdefg`; // the shape Pulumi's auto-name gives it
      if (physical.length > max || r.name.length < min) return `name ${r.name} (+${AUTONAME_SUFFIX} auto-name characters) is outside ${min}-${max} characters`;
      return pattern.test(physical) ? undefined : `name ${r.name} breaks the character rule ${pattern}`;
    },
  };
}

/** Names of child objects Azure takes verbatim (subnets, security rules): 1-80, alphanumeric start, alphanumeric or _ end. */
const NETWORK_CHILD_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;

const HOST_NAME_FORBIDDEN = /[~!@#$%^&*()=+_[\]{}\\|;:.'",<>/?\s]/;

const DISALLOWED_ADMIN = [
  "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm",
  "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
  "support_388945a0", "sys", "test2", "test3", "user4", "user5",
];

function vmProfile(r: Recorded): any {
  return r.inputs.virtualMachineProfile ?? {};
}

function ipConfigurations(r: Recorded): any[] {
  return (vmProfile(r).networkProfile?.networkInterfaceConfigurations ?? []).flatMap((n: any) => n.ipConfigurations ?? []);
}

function profiles(r: Recorded): any[] {
  return r.inputs.profiles ?? [];
}

function scaleRules(r: Recorded): any[] {
  return profiles(r).flatMap((p) => p.rules ?? []);
}

/** The run's traffic settings, defaults applied; undefined without traffic. */
function trafficOf(args: MultiCloudWorkloadArgs): Traffic | undefined {
  return args.traffic === undefined ? undefined : resolveTraffic(trafficSchema.parse(args.traffic));
}

function healthExtensions(r: Recorded): any[] {
  return (vmProfile(r).extensionProfile?.extensions ?? []).filter((e: any) => e.publisher === "Microsoft.ManagedServices" && /^ApplicationHealth(Linux|Windows)$/.test(e.type));
}

/** A load balancer is internal when no frontend has a public IP. */
function isInternal(lb: Recorded): boolean {
  return (lb.inputs.frontendIPConfigurations ?? []).every((f: any) => f.publicIPAddress === undefined);
}

const inRange = (n: unknown, lo: number, hi: number) => Number.isInteger(n) && (n as number) >= lo && (n as number) <= hi;

const PROBES_URL = "https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-custom-probe-overview";
const REPAIRS_URL = "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-instance-repairs";
const HEALTH_EXTENSION_URL = "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension";

const RULES: Rule[] = [
  // Names
  {
    name: "logical names fit MAX_NAME (55), so Pulumi's 8-character suffix keeps every name within 64",
    url: NAME_RULES_URL,
    check: (r) => (r.name.length <= 55 ? undefined : `logical name ${r.name} is ${r.name.length} characters`),
  },
  {
    name: "no # in a resource name",
    url: NAME_RULES_URL,
    check: (r) => (r.name.includes("#") ? `name ${r.name} contains #` : undefined),
  },
  nameRule("resource group names: 1-90 of letters, digits, _ - . ( ), not ending in .", ["resources:ResourceGroup"], 90, /^[\w.()-]*[\w()-]$/),
  nameRule("virtual network names: 2-64 alphanumerics, _ . -", ["network:VirtualNetwork"], 64, /^[A-Za-z0-9][\w.-]*[A-Za-z0-9_]$/, 2),
  // natGateways has no row on the page; it is held only to the generic rules above (research §3, UNCONFIRMED).
  nameRule("NSG and public IP names: 1-80 alphanumerics, _ . -, alphanumeric start, alphanumeric or _ end", ["network:NetworkSecurityGroup", "network:PublicIPAddress"], 80, NETWORK_CHILD_NAME),
  nameRule("user-assigned identity names: 3-128 alphanumerics, - _, alphanumeric start", ["managedidentity:UserAssignedIdentity"], 128, /^[A-Za-z0-9][\w-]*$/, 3),
  nameRule("autoscale setting names: 1-260, none of : < > + / & % \\ ? |, not ending in space or .", ["monitor:AutoscaleSetting"], 260, /^[^:<>+/&%\\?|]*[^:<>+/&%\\?|. ]$/),
  {
    name: "Linux scale set names: 1-64 host-name characters, no _ at the start, no . or - at the end",
    url: NAME_RULES_URL,
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      const physical = `${r.name}-abcdefg`;
      if (physical.length > 64) return `name ${r.name} (+ auto-name) is over 64 characters`;
      if (HOST_NAME_FORBIDDEN.test(physical) || /[.-]$/.test(physical)) return `name ${r.name} breaks the host-name character rule`;
      return undefined;
    },
  },
  {
    name: "computerNamePrefix is 1-15 host-name characters",
    url: "https://learn.microsoft.com/en-us/javascript/api/@azure/arm-compute/virtualmachinescalesetosprofile",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      const prefix: string = vmProfile(r).osProfile?.computerNamePrefix ?? "";
      return prefix.length >= 1 && prefix.length <= 15 && !HOST_NAME_FORBIDDEN.test(prefix) && !prefix.startsWith("_") ? undefined : `computerNamePrefix "${prefix}"`;
    },
  },
  {
    name: "subnet names: 1-80 alphanumerics, _ . -, alphanumeric start, alphanumeric or _ end",
    url: NAME_RULES_URL,
    types: ["network:VirtualNetwork"],
    check: (r) => (r.inputs.subnets ?? []).map((s: any) => s.name as string).filter((n: string) => !NETWORK_CHILD_NAME.test(n)).map((n: string) => `subnet name ${n}`)[0],
  },
  {
    name: "security rule names: at most 80, word character start, word character or _ end",
    url: "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
    types: ["network:NetworkSecurityGroup"],
    check: (r) => (r.inputs.securityRules ?? []).map((s: any) => s.name as string).filter((n: string) => !/^\w(?:[\w.-]{0,78}\w)?$/.test(n)).map((n: string) => `rule name ${n}`)[0],
  },

  // Tags
  {
    name: "at most 50 tags; names at most 512 characters without < > % & \\ ? /, values at most 256",
    url: "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources",
    check: (r) => {
      const tags: Record<string, string> = r.inputs.tags ?? {};
      const keys = Object.keys(tags);
      if (keys.length > 50) return `${keys.length} tags`;
      const bad = keys.find((k) => k.length > 512 || /[<>%&\\?/]/.test(k) || String(tags[k]).length > 256);
      return bad === undefined ? undefined : `tag ${bad}`;
    },
  },
  {
    name: "autoscale settings: at most 15 tags, keys at most 128 characters (REST text in azure-native monitor/autoscaleSetting.d.ts)",
    url: "https://learn.microsoft.com/en-us/rest/api/monitor/autoscale-settings/create-or-update",
    types: ["monitor:AutoscaleSetting"],
    check: (r) => {
      const keys = Object.keys(r.inputs.tags ?? {});
      return keys.length <= 15 && keys.every((k) => k.length <= 128) ? undefined : `${keys.length} tags`;
    },
  },

  // Scale sets: Flexible orchestration
  {
    name: "Flexible: platformFaultDomainCount is 1 (max spreading) or 2-3 when regional, 1 when zonal",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-manage-fault-domains",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      if (r.inputs.orchestrationMode !== "Flexible") return "not Flexible";
      const fd = r.inputs.platformFaultDomainCount;
      const zonal = (r.inputs.zones ?? []).length > 0;
      return (zonal ? fd === 1 : [1, 2, 3].includes(fd)) ? undefined : `platformFaultDomainCount ${fd}`;
    },
  },
  {
    name: "Flexible: networkApiVersion 2020-11-01 or 2022-11-01, so the NICs come from networkInterfaceConfigurations",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => (["2020-11-01", "2022-11-01"].includes(vmProfile(r).networkProfile?.networkApiVersion) ? undefined : "networkApiVersion"),
  },
  {
    name: "Flexible: no overprovisioning and no single placement group",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => (r.inputs.overprovision === true || r.inputs.singlePlacementGroup === true ? "overprovision or singlePlacementGroup" : undefined),
  },
  {
    name: "Flexible: at most 1000 instances (autoscale maximum)",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => (r.inputs.sku?.capacity >= 0 && r.inputs.sku?.capacity <= 1000 ? undefined : `capacity ${r.inputs.sku?.capacity}`),
  },
  {
    name: "Flexible: system-assigned identity unsupported (user-assigned only)",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => (String(r.inputs.identity?.type ?? "None").includes("SystemAssigned") ? "system-assigned identity" : undefined),
  },

  // Spot
  {
    name: "priorityMixPolicy only with Flexible and Spot priority; base >= 0, percentage above base 0-100",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/spot-priority-mix",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      const mix = r.inputs.priorityMixPolicy;
      if (mix === undefined) return undefined;
      if (r.inputs.orchestrationMode !== "Flexible" || vmProfile(r).priority !== "Spot") return "priority mix without Flexible + Spot";
      const base = mix.baseRegularPriorityCount;
      const pct = mix.regularPriorityPercentageAboveBase;
      return Number.isInteger(base) && base >= 0 && pct >= 0 && pct <= 100 ? undefined : `priorityMixPolicy ${JSON.stringify(mix)}`;
    },
  },
  {
    name: "Spot: evictionPolicy Deallocate or Delete (Delete with autoscale); maxPrice -1 or a USD price with at most 5 decimals",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/use-spot",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      const p = vmProfile(r);
      if (p.priority !== "Spot") return undefined;
      if (p.evictionPolicy !== "Delete") return `evictionPolicy ${p.evictionPolicy}: Microsoft recommends Delete with autoscale`;
      const max = p.billingProfile?.maxPrice ?? -1;
      return max === -1 || (max > 0 && Math.round(max * 1e5) === max * 1e5) ? undefined : `maxPrice ${max}`;
    },
  },
  {
    name: "Spot: no B-series sizes",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/use-spot",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => (vmProfile(r).priority === "Spot" && /^Standard_B\d/.test(r.inputs.sku?.name) ? `Spot ${r.inputs.sku.name}` : undefined),
  },

  // OS profile and disk
  {
    name: "Linux admin username: 1-64 characters, not one of Azure's disallowed values",
    url: "https://learn.microsoft.com/en-us/javascript/api/@azure/arm-compute/virtualmachinescalesetosprofile",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      const u: string = vmProfile(r).osProfile?.adminUsername ?? "";
      return u.length >= 1 && u.length <= 64 && !DISALLOWED_ADMIN.includes(u) ? undefined : `adminUsername "${u}"`;
    },
  },
  {
    name: "OS disk of at least the Ubuntu image's 30 GiB and at most 4,095 GiB",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machines/managed-disks-overview",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      const gib = vmProfile(r).storageProfile?.osDisk?.diskSizeGB;
      return gib >= 30 && gib <= 4095 ? undefined : `diskSizeGB ${gib}`;
    },
  },
  {
    name: "no public IP on instances unless assignPublicIp asks for one",
    url: "https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/default-outbound-access",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r, { args }) => (!args.assignPublicIp && ipConfigurations(r).some((c) => c.publicIPAddressConfiguration !== undefined) ? "instance public IP" : undefined),
  },

  // Autoscale
  {
    name: "autoscale capacity: integers with 0 <= minimum <= default <= maximum <= 1000",
    url: "https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-understanding-settings",
    types: ["monitor:AutoscaleSetting"],
    check: (r) => {
      for (const p of profiles(r)) {
        const c = p.capacity ?? {};
        const int = (v: unknown) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : Number.NaN);
        const [min, def, max] = [int(c.minimum), int(c.default), int(c.maximum)] as const;
        if (!(min <= def && def <= max && max <= 1000)) return `capacity ${JSON.stringify(c)}`;
      }
      return undefined;
    },
  },
  {
    name: "autoscale: at most 20 profiles, at most 10 rules per profile",
    url: "https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-understanding-settings",
    types: ["monitor:AutoscaleSetting"],
    check: (r) => (profiles(r).length <= 20 && profiles(r).every((p) => (p.rules ?? []).length <= 10) ? undefined : "too many profiles or rules"),
  },
  {
    name: "autoscale rules: timeGrain PT1M-PT12H, timeWindow PT5M-PT12H, cooldown PT1M-P7D, value >= 1 (REST text in azure-native monitor types)",
    url: "https://learn.microsoft.com/en-us/rest/api/monitor/autoscale-settings/create-or-update",
    types: ["monitor:AutoscaleSetting"],
    check: (r) => {
      for (const rule of scaleRules(r)) {
        const grain = seconds(rule.metricTrigger?.timeGrain ?? "");
        const window = seconds(rule.metricTrigger?.timeWindow ?? "");
        const cooldown = seconds(rule.scaleAction?.cooldown ?? "");
        if (!(grain >= 60 && grain <= 12 * 3600)) return `timeGrain ${rule.metricTrigger?.timeGrain}`;
        if (!(window >= 300 && window <= 12 * 3600)) return `timeWindow ${rule.metricTrigger?.timeWindow}`;
        if (!(cooldown >= 60 && cooldown <= 7 * 86400)) return `cooldown ${rule.scaleAction?.cooldown}`;
        if (!(Number(rule.scaleAction?.value) >= 1)) return `value ${rule.scaleAction?.value}`;
      }
      return undefined;
    },
  },
  {
    name: "one autoscale setting per target resource",
    url: "https://learn.microsoft.com/en-us/azure/azure-monitor/autoscale/autoscale-understanding-settings",
    types: ["monitor:AutoscaleSetting"],
    check: (r, { resources }) =>
      resources.filter((x) => x.type === "azure-native:monitor:AutoscaleSetting" && x.inputs.targetResourceUri === r.inputs.targetResourceUri).length === 1
        ? undefined
        : `several settings target ${r.inputs.targetResourceUri}`,
  },

  // Network security group
  {
    name: "NSG rules: priority 100-4096, unique per direction; ports 0-65535, a range or *",
    url: "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
    types: ["network:NetworkSecurityGroup"],
    check: (r) => {
      const rules: any[] = r.inputs.securityRules ?? [];
      const seen = new Set<string>();
      for (const rule of rules) {
        if (!(Number.isInteger(rule.priority) && rule.priority >= 100 && rule.priority <= 4096)) return `priority ${rule.priority}`;
        const key = `${rule.direction}/${rule.priority}`;
        if (seen.has(key)) return `duplicate priority ${key}`;
        seen.add(key);
        const ports: string[] = [rule.destinationPortRange, rule.sourcePortRange, ...(rule.destinationPortRanges ?? []), ...(rule.sourcePortRanges ?? [])].filter((p) => p !== undefined);
        const bad = ports.find((p) => !validPortRange(String(p)));
        if (bad !== undefined) return `port range ${bad}`;
      }
      return undefined;
    },
  },

  // Virtual network
  {
    name: "VNet address space: valid CIDRs outside 224.0.0.0/4, 255.255.255.255/32, 127.0.0.0/8, 169.254.0.0/16, 168.63.129.16/32",
    url: "https://learn.microsoft.com/en-us/azure/virtual-network/virtual-networks-faq",
    types: ["network:VirtualNetwork"],
    check: (r) => {
      const reserved = ["224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"].map((c) => cidr(c)!);
      for (const text of r.inputs.addressSpace?.addressPrefixes ?? []) {
        const c = cidr(text);
        if (!c) return `address space ${text}`;
        if (reserved.some((x) => overlaps(c, x))) return `address space ${text} overlaps a reserved range`;
      }
      return undefined;
    },
  },
  {
    name: "subnets: valid CIDRs from /29 to /2, inside the VNet, not overlapping",
    url: "https://learn.microsoft.com/en-us/azure/virtual-network/virtual-networks-faq",
    types: ["network:VirtualNetwork"],
    check: (r) => {
      const space = (r.inputs.addressSpace?.addressPrefixes ?? []).map((t: string) => cidr(t)).filter(Boolean) as Cidr[];
      const subnets: Cidr[] = [];
      for (const s of r.inputs.subnets ?? []) {
        const c = cidr(s.addressPrefix);
        if (!c || c.prefix > 29 || c.prefix < 2) return `subnet ${s.name} ${s.addressPrefix}`;
        if (!space.some((v) => within(c, v))) return `subnet ${s.name} ${s.addressPrefix} outside the VNet`;
        if (subnets.some((o) => overlaps(o, c))) return `subnet ${s.name} overlaps another`;
        subnets.push(c);
      }
      return undefined;
    },
  },

  // NAT gateway and public IPs
  {
    name: "NAT gateway: Standard SKU, with Standard static public IPs (at most 16)",
    url: "https://learn.microsoft.com/en-us/azure/nat-gateway/nat-overview",
    types: ["network:NatGateway"],
    check: (r, { resources }) => {
      if (r.inputs.sku?.name !== "Standard") return `sku ${r.inputs.sku?.name}`;
      const ids: string[] = (r.inputs.publicIpAddresses ?? []).map((p: any) => p.id);
      if (ids.length < 1 || ids.length > 16) return `${ids.length} public IPs`;
      for (const id of ids) {
        const ip = resources.find((x) => x.type === "azure-native:network:PublicIPAddress" && `${x.name}_id` === id);
        if (!ip) return `public IP ${id} not found`;
        if (ip.inputs.sku?.name !== "Standard" || ip.inputs.publicIPAllocationMethod !== "Static") return `public IP ${ip.name} is not Standard/Static`;
        if (ip.inputs.publicIPAddressVersion === "IPv6") return `public IP ${ip.name} is IPv6`;
      }
      return undefined;
    },
  },
  {
    name: "the only public IPs are NAT gateway addresses and, with traffic.public, load balancer frontends",
    url: "https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses",
    types: ["network:PublicIPAddress"],
    check: (r, { args, resources }) => {
      const id = `${r.name}_id`;
      if (resources.some((x) => x.type === "azure-native:network:NatGateway" && (x.inputs.publicIpAddresses ?? []).some((p: any) => p.id === id))) return undefined;
      const frontend = resources.some((x) => x.type === "azure-native:network:LoadBalancer" && (x.inputs.frontendIPConfigurations ?? []).some((f: any) => f.publicIPAddress?.id === id));
      if (frontend && trafficOf(args)?.public) return undefined;
      return frontend ? `public IP ${r.name} fronts a load balancer without traffic.public` : `public IP ${r.name} serves no NAT gateway and no public load balancer`;
    },
  },

  // Load balancer (traffic)
  {
    name: "load balancer names: 1-80 alphanumerics, _ . -, alphanumeric start, alphanumeric or _ end; the explicit name is the logical name (names are identity)",
    url: NAME_RULES_URL,
    types: ["network:LoadBalancer"],
    check: (r) => {
      const physical: string = r.inputs.loadBalancerName ?? "";
      if (physical !== r.name) return `loadBalancerName ${physical} differs from the logical name ${r.name}`;
      return physical.length <= 80 && NETWORK_CHILD_NAME.test(physical) ? undefined : `loadBalancerName ${physical}`;
    },
  },
  {
    name: "load balancer: SKU Standard (Basic retired 2025-09-30); a public frontend takes a Standard static public IP",
    url: "https://learn.microsoft.com/en-us/azure/load-balancer/skus",
    types: ["network:LoadBalancer"],
    check: (r, { resources }) => {
      if (r.inputs.sku?.name !== "Standard") return `sku ${r.inputs.sku?.name}`;
      for (const f of r.inputs.frontendIPConfigurations ?? []) {
        if (f.publicIPAddress === undefined) continue;
        const ip = resources.find((x) => x.type === "azure-native:network:PublicIPAddress" && `${x.name}_id` === f.publicIPAddress.id);
        if (!ip) return `frontend ${f.name}: public IP ${f.publicIPAddress.id} not found`;
        if (ip.inputs.sku?.name !== "Standard" || ip.inputs.publicIPAllocationMethod !== "Static") return `frontend ${f.name}: public IP ${ip.name} is not Standard/Static`;
        if (ip.inputs.location !== r.inputs.location) return `frontend ${f.name}: public IP in ${ip.inputs.location}`;
      }
      return undefined;
    },
  },
  {
    name: "load balancer frontends: a private IP in a subnet, or a public IP, never both",
    url: "https://learn.microsoft.com/en-us/azure/load-balancer/skus",
    types: ["network:LoadBalancer"],
    check: (r) => {
      const fes: any[] = r.inputs.frontendIPConfigurations ?? [];
      if (fes.length === 0) return "no frontend";
      const bad = fes.find((f) => (f.subnet === undefined) === (f.publicIPAddress === undefined));
      return bad === undefined ? undefined : `frontend ${bad.name}`;
    },
  },
  {
    name: "probes: protocol Tcp, Http or Https; requestPath required for Http(s) and not allowed for Tcp; port 1-65535; intervalInSeconds >= 5",
    url: "https://learn.microsoft.com/en-us/javascript/api/@azure/arm-network/probepropertiesformat",
    types: ["network:LoadBalancer"],
    check: (r) => {
      for (const p of r.inputs.probes ?? []) {
        if (!["Tcp", "Http", "Https"].includes(p.protocol)) return `probe ${p.name}: protocol ${p.protocol}`;
        if ((p.protocol === "Tcp") !== (p.requestPath === undefined)) return `probe ${p.name}: requestPath ${p.requestPath} with ${p.protocol}`;
        if (p.requestPath !== undefined && !String(p.requestPath).startsWith("/")) return `probe ${p.name}: requestPath ${p.requestPath}`;
        if (!inRange(p.port, 1, 65535)) return `probe ${p.name}: port ${p.port}`;
        if (!(Number.isInteger(p.intervalInSeconds) && p.intervalInSeconds >= 5)) return `probe ${p.name}: intervalInSeconds ${p.intervalInSeconds}`;
      }
      return undefined;
    },
  },
  {
    name: "HTTP(S) probes never target ports 19, 21, 25, 70, 110, 119, 143, 220, 993",
    url: PROBES_URL,
    types: ["network:LoadBalancer"],
    check: (r) => {
      const bad = (r.inputs.probes ?? []).find((p: any) => p.protocol !== "Tcp" && [19, 21, 25, 70, 110, 119, 143, 220, 993].includes(p.port));
      return bad === undefined ? undefined : `probe ${bad.name} on port ${bad.port}`;
    },
  },
  {
    name: "load-balancing rules: protocol Tcp, Udp or All; frontendPort 0-65534, unique in the balancer; backendPort 0-65535; references to this balancer's own frontend, pool and probe",
    url: "https://learn.microsoft.com/en-us/dotnet/api/microsoft.azure.management.network.models.loadbalancingrule.frontendport",
    types: ["network:LoadBalancer"],
    check: (r) => {
      const seen = new Set<string>();
      const own = (ref: any, kind: string, names: string[]) =>
        ref?.id !== undefined && names.some((n) => String(ref.id).endsWith(`/loadBalancers/${r.inputs.loadBalancerName}/${kind}/${n}`));
      for (const rule of r.inputs.loadBalancingRules ?? []) {
        if (!["Tcp", "Udp", "All"].includes(rule.protocol)) return `rule ${rule.name}: protocol ${rule.protocol}`;
        if (!inRange(rule.frontendPort, 0, 65534)) return `rule ${rule.name}: frontendPort ${rule.frontendPort}`;
        if (!inRange(rule.backendPort, 0, 65535)) return `rule ${rule.name}: backendPort ${rule.backendPort}`;
        const key = `${rule.protocol}/${rule.frontendPort}`;
        if (seen.has(key)) return `rule ${rule.name}: frontendPort ${rule.frontendPort} used twice`;
        seen.add(key);
        if (!own(rule.frontendIPConfiguration, "frontendIPConfigurations", (r.inputs.frontendIPConfigurations ?? []).map((f: any) => f.name))) return `rule ${rule.name}: frontend ${rule.frontendIPConfiguration?.id}`;
        if (!own(rule.backendAddressPool, "backendAddressPools", (r.inputs.backendAddressPools ?? []).map((p: any) => p.name))) return `rule ${rule.name}: pool ${rule.backendAddressPool?.id}`;
        if (!own(rule.probe, "probes", (r.inputs.probes ?? []).map((p: any) => p.name))) return `rule ${rule.name}: probe ${rule.probe?.id}`;
      }
      return undefined;
    },
  },
  {
    name: "HA ports (frontendPort 0, backendPort 0, protocol All) only on an internal Standard load balancer",
    url: "https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-ha-ports-overview",
    types: ["network:LoadBalancer"],
    check: (r) => {
      const ha = (r.inputs.loadBalancingRules ?? []).find((x: any) => x.frontendPort === 0 || x.backendPort === 0 || x.protocol === "All");
      if (ha === undefined) return undefined;
      const complete = ha.frontendPort === 0 && ha.backendPort === 0 && ha.protocol === "All";
      return complete && isInternal(r) ? undefined : `rule ${ha.name}: HA ports ${complete ? "on a public balancer" : "half-configured"}`;
    },
  },
  {
    name: "with traffic: one load balancer per region, and every scale set there joins its backend pool",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/tutorial-modify-scale-sets-cli",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r, { args, resources }) => {
      const pools: string[] = ipConfigurations(r).flatMap((c) => (c.loadBalancerBackendAddressPools ?? []).map((p: any) => String(p.id)));
      if (!trafficOf(args)) return pools.length === 0 ? undefined : "joins a pool without traffic";
      const lbs = resources.filter((x) => x.type === "azure-native:network:LoadBalancer" && x.inputs.location === r.inputs.location);
      if (lbs.length !== 1) return `${lbs.length} load balancers in ${r.inputs.location}`;
      const pool = `/loadBalancers/${lbs[0]!.inputs.loadBalancerName}/backendAddressPools/${lbs[0]!.inputs.backendAddressPools?.[0]?.name}`;
      const configs = ipConfigurations(r);
      return configs.length > 0 && configs.every((c) => (c.loadBalancerBackendAddressPools ?? []).some((p: any) => String(p.id).endsWith(pool))) ? undefined : `pools ${pools.join(", ")}`;
    },
  },

  // Autohealing and rollouts (traffic)
  {
    name: "automatic repairs: gracePeriod PT10M-PT90M, repairAction Replace, Reimage or Restart",
    url: REPAIRS_URL,
    types: ["compute:VirtualMachineScaleSet"],
    check: (r, { args }) => {
      const policy = r.inputs.automaticRepairsPolicy;
      if (policy === undefined) return trafficOf(args) ? "traffic without automatic repairs" : undefined;
      const grace = seconds(policy.gracePeriod ?? "PT10M");
      if (!(grace >= 600 && grace <= 5400)) return `gracePeriod ${policy.gracePeriod}`;
      return ["Replace", "Reimage", "Restart", undefined].includes(policy.repairAction) ? undefined : `repairAction ${policy.repairAction}`;
    },
  },
  {
    name: "automatic repairs monitor health through the Application Health extension or a load balancer probe, exactly one",
    url: REPAIRS_URL,
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      if (r.inputs.automaticRepairsPolicy?.enabled !== true) return undefined;
      const sources = healthExtensions(r).length + (vmProfile(r).networkProfile?.healthProbe === undefined ? 0 : 1);
      return sources === 1 ? undefined : `${sources} health sources`;
    },
  },
  {
    name: "Flexible: a rolling upgrade policy needs the Application Health extension; batch and unhealthy percentages 0-100",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-configure-rolling-upgrades",
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      const policy = r.inputs.upgradePolicy;
      if (policy?.mode !== "Rolling") return undefined;
      if (r.inputs.orchestrationMode === "Flexible" && healthExtensions(r).length !== 1) return "Rolling on Flexible without the Application Health extension";
      const p = policy.rollingUpgradePolicy ?? {};
      const pcts = [p.maxBatchInstancePercent, p.maxUnhealthyInstancePercent, p.maxUnhealthyUpgradedInstancePercent].filter((v) => v !== undefined);
      if (!pcts.every((v) => inRange(v, 0, 100))) return `rollingUpgradePolicy ${JSON.stringify(p)}`;
      if (p.rollbackFailedInstancesOnPolicyBreach !== undefined && r.inputs.orchestrationMode === "Flexible") return "rollbackFailedInstancesOnPolicyBreach is Uniform only";
      return p.pauseTimeBetweenBatches === undefined || !Number.isNaN(seconds(p.pauseTimeBetweenBatches)) ? undefined : `pauseTimeBetweenBatches ${p.pauseTimeBetweenBatches}`;
    },
  },
  {
    name: "Application Health extension: protocol http, https or tcp; requestPath only (and always) for http(s); intervalInSeconds 5-60; numberOfProbes 1-24",
    url: HEALTH_EXTENSION_URL,
    types: ["compute:VirtualMachineScaleSet"],
    check: (r) => {
      for (const e of healthExtensions(r)) {
        const st = e.settings ?? {};
        if (!["http", "https", "tcp"].includes(st.protocol)) return `protocol ${st.protocol}`;
        if ((st.protocol === "tcp") !== (st.requestPath === undefined)) return `requestPath ${st.requestPath} with ${st.protocol}`;
        if (st.protocol === "tcp" && !inRange(st.port, 1, 65535)) return `tcp without a port (${st.port})`;
        if (st.port !== undefined && !inRange(st.port, 1, 65535)) return `port ${st.port}`;
        if (st.intervalInSeconds !== undefined && !inRange(st.intervalInSeconds, 5, 60)) return `intervalInSeconds ${st.intervalInSeconds}`;
        if (st.numberOfProbes !== undefined && !inRange(st.numberOfProbes, 1, 24)) return `numberOfProbes ${st.numberOfProbes}`;
        if (e.typeHandlerVersion !== "2.0") return `typeHandlerVersion ${e.typeHandlerVersion}`;
      }
      return undefined;
    },
  },
  {
    name: "with traffic: the NSG admits the probes (AzureLoadBalancer tag) on the health-check port, and targetPort from ingressCidrs only",
    url: "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
    types: ["network:NetworkSecurityGroup"],
    check: (r, { args }) => {
      const t = trafficOf(args);
      const rules: any[] = r.inputs.securityRules ?? [];
      const fromLb = rules.filter((x) => x.sourceAddressPrefix === "AzureLoadBalancer");
      if (!t) return fromLb.length === 0 ? undefined : "AzureLoadBalancer rule without traffic";
      if (!fromLb.some((x) => x.access === "Allow" && x.direction === "Inbound" && x.destinationPortRange === String(t.healthCheck.port))) return `no AzureLoadBalancer rule for port ${t.healthCheck.port}`;
      const cidrs = (args.ingressCidrs ?? []) as string[];
      const target = rules.filter((x) => x.destinationPortRange === String(t.targetPort) && x.sourceAddressPrefix !== "AzureLoadBalancer");
      const stray = target.find((x) => !(x.sourceAddressPrefixes ?? [x.sourceAddressPrefix]).every((c: string) => cidrs.includes(c)));
      return stray === undefined ? undefined : `rule ${stray.name} admits port ${t.targetPort} from outside ingressCidrs`;
    },
  },
  {
    name: "a subnet takes at most one NAT gateway, from its own region",
    url: "https://learn.microsoft.com/en-us/azure/nat-gateway/nat-overview",
    types: ["network:VirtualNetwork"],
    check: (r, { resources }) => {
      for (const s of r.inputs.subnets ?? []) {
        if (s.natGateway === undefined) continue;
        const nat = resources.find((x) => x.type === "azure-native:network:NatGateway" && `${x.name}_id` === s.natGateway.id);
        if (!nat) return `subnet ${s.name}: NAT gateway ${s.natGateway.id} not found`;
        if (nat.inputs.location !== r.inputs.location) return `subnet ${s.name}: NAT gateway in ${nat.inputs.location}`;
      }
      return undefined;
    },
  },
  {
    name: "Flexible scale sets in a network the component creates have explicit outbound access (a NAT gateway) unless egress is none",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes",
    types: ["network:VirtualNetwork"],
    check: (r, { args }) => {
      const none = (args.azure as { egress?: string } | undefined)?.egress === "none";
      const missing = (r.inputs.subnets ?? []).filter((s: any) => (s.natGateway === undefined) !== none);
      return missing.length === 0 ? undefined : `subnet ${missing[0].name}: ${none ? "a NAT gateway despite egress none" : "no NAT gateway"}`;
    },
  },
];

/** Every problem of a run: `rule: type name: problem`. */
function problems(r: Run): string[] {
  const context: Context = { args: r.scenario.args, resources: r.resources };
  return azureResources(r).flatMap((res) =>
    RULES.filter((rule) => rule.types === undefined || rule.types.includes(res.type.slice("azure-native:".length)))
      .map((rule) => [rule, rule.check(res, context)] as const)
      .filter(([, problem]) => problem !== undefined)
      .map(([rule, problem]) => `${rule.name} (${rule.url}): ${res.type} ${res.name}: ${problem}`),
  );
}

// ---------------------------------------------------------------------------------------------
// Tests

describe("Azure conformance matrix", () => {
  it("places every scenario on Azure as intended (the matrix's premise)", () => {
    const planned = (name: string, lifecycle: string) => run(name).plan.allocations.filter((a) => a.provider === "azure" && a.lifecycle === lifecycle).reduce((n, a) => n + a.count, 0);
    expect(planned("on-demand only", "spot")).toBe(0);
    expect(planned("spot and on-demand (priority mix)", "spot")).toBeGreaterThan(0);
    expect(planned("spot and on-demand (priority mix)", "on-demand")).toBeGreaterThan(0);
    expect(ofType(run("two regions"), "compute:VirtualMachineScaleSet").map((v) => v.inputs.location).sort()).toEqual(["eastus", "westus2"]);
    const arm = ofType(run("arm64"), "compute:VirtualMachineScaleSet")[0]!;
    expect(arm.inputs.sku.name).toBe("Standard_D4ps_v5");
    expect(vmProfile(arm).storageProfile.imageReference.sku).toBe("server-arm64");
    expect(ofType(run("GPU"), "compute:VirtualMachineScaleSet")[0]!.inputs.sku.name).toBe("Standard_NC4as_T4_v3");
    // The traffic variants: one load balancer per region, internal or public as asked.
    const lbs = (name: string) => ofType(run(name), "network:LoadBalancer").map((lb) => [lb.inputs.location, isInternal(lb)]).sort();
    expect(lbs("traffic: internal, http health check, spot mix")).toEqual([["eastus", true]]);
    expect(lbs("traffic: public, tcp, two regions")).toEqual([["eastus", false], ["westus2", false]]);
    expect(lbs("traffic: https health check on its own port, given subnet, no egress")).toEqual([["eastus", true]]);
    expect(lbs("on-demand only")).toEqual([]);
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: every azure-native resource meets every documented rule`, () => {
      const r = run(scenario.name);
      expect(azureResources(r).length).toBeGreaterThan(0);
      expect(problems(r)).toEqual([]);
    });
  }

  it("exercises every rule on at least one resource of the matrix", () => {
    const applied = new Set<string>();
    for (const r of runs.values()) {
      for (const res of azureResources(r)) {
        for (const rule of RULES) if (rule.types === undefined || rule.types.includes(res.type.slice("azure-native:".length))) applied.add(rule.name);
      }
    }
    expect(RULES.map((r) => r.name).filter((n) => !applied.has(n))).toEqual([]);
  });

  it("spot priority mix: Spot set with the planned on-demand instances as its regular base", () => {
    const r = run("spot and on-demand (priority mix)");
    const vmss = ofType(r, "compute:VirtualMachineScaleSet")[0]!;
    const onDemand = r.plan.allocations.filter((a) => a.lifecycle === "on-demand").reduce((n, a) => n + a.count, 0);
    expect(vmProfile(vmss)).toMatchObject({ priority: "Spot", evictionPolicy: "Delete", billingProfile: { maxPrice: -1 } });
    const spot = r.plan.allocations.filter((a) => a.lifecycle === "spot").reduce((n, a) => n + a.count, 0);
    // Above the base, the plan's on-demand share rounded up (core/plan/groups.ts; test/scaling-range.test.ts).
    expect(vmss.inputs.priorityMixPolicy).toEqual({ baseRegularPriorityCount: onDemand, regularPriorityPercentageAboveBase: Math.ceil((100 * onDemand) / (onDemand + spot)) });
    expect(ofType(run("on-demand only"), "compute:VirtualMachineScaleSet")[0]!.inputs.priorityMixPolicy).toBeUndefined();
  });
});

describe("Azure egress", () => {
  it("gives a created network a Standard NAT gateway with one Standard static public IP per region, associated with the subnet", () => {
    const r = run("two regions");
    for (const region of ["eastus", "westus2"]) {
      const nat = r.resources.find((x) => x.type === "azure-native:network:NatGateway" && x.name === `web-azure-${region}-nat`);
      const ip = r.resources.find((x) => x.type === "azure-native:network:PublicIPAddress" && x.name === `web-azure-${region}-nat`);
      expect(nat?.inputs).toMatchObject({ location: region, sku: { name: "Standard" }, publicIpAddresses: [{ id: `web-azure-${region}-nat_id` }] });
      expect(ip?.inputs).toMatchObject({ location: region, sku: { name: "Standard" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" });
      const vnet = r.resources.find((x) => x.type === "azure-native:network:VirtualNetwork" && x.name === `web-azure-${region}`)!;
      expect(vnet.inputs.subnets[0].natGateway).toEqual({ id: `web-azure-${region}-nat_id` });
    }
  });

  it("adds no NAT gateway and no public IP with egress none", () => {
    const r = run("egress none");
    expect(ofType(r, "network:NatGateway")).toEqual([]);
    expect(ofType(r, "network:PublicIPAddress")).toEqual([]);
    expect(ofType(r, "network:VirtualNetwork")[0]!.inputs.subnets[0].natGateway).toBeUndefined();
  });

  it("leaves a given subnet alone: no network, no NAT gateway, the instances in that subnet", () => {
    const r = run("given subnet");
    expect(ofType(r, "network:VirtualNetwork")).toEqual([]);
    expect(ofType(r, "network:NatGateway")).toEqual([]);
    expect(ipConfigurations(ofType(r, "compute:VirtualMachineScaleSet")[0]!)[0].subnet).toEqual({ id: SUBNET_ID });
  });
});

describe("Azure settings checks", () => {
  /** The component's failure message under `pulumi preview`, or "no failure". */
  async function failure(args: MultiCloudWorkloadArgs): Promise<string> {
    await setupPulumi({ preview: true });
    const w = new MultiCloudWorkload("web", args);
    return w.ready().then(() => "no failure", (err: Error) => err.message);
  }

  it("refuses a root volume smaller than the Ubuntu image's 30 GiB (the old code passed 10 to Azure)", async () => {
    // https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/tutorial-modify-scale-sets-cli (Canonical osDisk 30 GiB)
    const message = await failure(azureArgs({ rootVolumeGiB: 10 }, [D4S("eastus")]));
    expect(message).toContain("rootVolumeGiB: is 10 GiB, smaller than Azure's Ubuntu image (30 GiB)");
  });

  it("refuses a root volume above Azure's 4,095 GiB OS disk maximum", async () => {
    // https://learn.microsoft.com/en-us/azure/virtual-machines/managed-disks-overview
    const message = await failure(azureArgs({ rootVolumeGiB: 4096 }, [D4S("eastus")]));
    expect(message).toContain("rootVolumeGiB: is 4096 GiB, above Azure's OS disk maximum of 4095 GiB");
  });

  it("accepts 30 GiB, the default", async () => {
    expect(await failure(azureArgs({ rootVolumeGiB: 30 }, [D4S("eastus")]))).toBe("no failure");
  });

  it("refuses every disallowed admin user name Azure lists (the old code knew 5 of them)", async () => {
    // https://learn.microsoft.com/en-us/javascript/api/@azure/arm-compute/virtualmachinescalesetosprofile
    for (const name of ["support", "backup", "owner", "test2"]) {
      const message = await failure(azureArgs({ azure: { sshPublicKey: SSH_KEY, adminUsername: name } }, [D4S("eastus")]));
      expect(message, name).toContain("azure.adminUsername: is reserved by Azure");
    }
  });

  it("refuses an egress other than nat or none", async () => {
    const message = await failure(azureArgs({ azure: { sshPublicKey: SSH_KEY, egress: "public" } }, [D4S("eastus")]));
    expect(message).toContain("azure.egress");
  });
});

// ---------------------------------------------------------------------------------------------
// Capacity alerts (issue "Failover across clouds" #4, clouds/azure/alerts.ts): the metric alert per
// region, and with traffic.notification its action group. Held to their own rules here, on every
// run of the matrix and on a traffic run with a notification deployed below.

describe("Azure capacity alerts", () => {
  const METRIC_ALERTS_URL = "https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/resource-manager-alerts-metric";
  const ALERT_RULES: Rule[] = [
    nameRule("metric alert names: 1-260, none of * # & + : < > ? @ % { } \\ / |, not ending in space or .", ["monitor:MetricAlert"], 260, /^[^*#&+:<>?@%{}\\/|]*[^*#&+:<>?@%{}\\/|. ]$/),
    nameRule("action group names: 1-260, none of : < > + / & % \\ ? |, not ending in space or .", ["monitor:ActionGroup"], 260, /^[^:<>+/&%\\?|]*[^:<>+/&%\\?|. ]$/),
    {
      name: "metric alert: location global; static-threshold evaluationFrequency PT1M-PT1H and windowSize PT1M-PT24H from the allowed values; severity 0-4; one scope with SingleResourceMultipleMetricCriteria; at most 5 action groups",
      url: METRIC_ALERTS_URL,
      types: ["monitor:MetricAlert"],
      check: (r) => {
        const i = r.inputs;
        if (String(i.location).toLowerCase() !== "global") return `location ${i.location}`;
        if (!["PT1M", "PT5M", "PT15M", "PT30M", "PT1H"].includes(i.evaluationFrequency)) return `evaluationFrequency ${i.evaluationFrequency}`;
        if (!["PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "PT24H"].includes(i.windowSize)) return `windowSize ${i.windowSize}`;
        if (!inRange(i.severity, 0, 4)) return `severity ${i.severity}`;
        if ((i.scopes ?? []).length !== 1 || i.criteria?.odataType !== "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria") return "not one scope with SingleResourceMultipleMetricCriteria";
        const bad = (i.criteria.allOf ?? []).find((c: any) => c.criterionType !== "StaticThresholdCriterion" || !["Equals", "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual"].includes(c.operator) || !["Average", "Minimum", "Maximum", "Total", "Count"].includes(c.timeAggregation) || typeof c.threshold !== "number");
        if (bad) return `criterion ${JSON.stringify(bad)}`;
        return (i.actions ?? []).length <= 5 ? undefined : `${i.actions.length} action groups`;
      },
    },
    {
      name: "capacity alert: Health Probe Status (DipAvailability, Microsoft.Network/loadBalancers, a percentage) of a load balancer of the deployment, below 100",
      url: "https://learn.microsoft.com/en-us/azure/load-balancer/monitor-load-balancer-reference",
      types: ["monitor:MetricAlert"],
      check: (r, { resources }) => {
        const lb = resources.find((x) => x.type === "azure-native:network:LoadBalancer" && `${x.name}_id` === r.inputs.scopes?.[0]);
        if (!lb) return `scope ${r.inputs.scopes?.[0]} is not a load balancer of the deployment`;
        if (lb.inputs.sku?.name !== "Standard") return "Health Probe Status is a Standard load balancer metric";
        const c = r.inputs.criteria?.allOf ?? [];
        if (c.length !== 1 || c[0].metricName !== "DipAvailability" || c[0].metricNamespace !== "Microsoft.Network/loadBalancers") return `criteria ${JSON.stringify(c)}`;
        return c[0].threshold >= 0 && c[0].threshold < 100 && ["LessThan", "LessThanOrEqual"].includes(c[0].operator) ? undefined : `threshold ${c[0].operator} ${c[0].threshold} on a percentage`;
      },
    },
    {
      name: "action group: location global, groupShortName at most 12 characters, unique receiver names, actions of the deployment's alerts",
      url: "https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/resource-manager-action-groups",
      types: ["monitor:ActionGroup"],
      check: (r, { resources }) => {
        const i = r.inputs;
        if (String(i.location).toLowerCase() !== "global") return `location ${i.location}`;
        if (!(typeof i.groupShortName === "string" && i.groupShortName.length >= 1 && i.groupShortName.length <= 12)) return `groupShortName ${i.groupShortName}`;
        const names = (i.emailReceivers ?? []).map((e: any) => e.name);
        if (new Set(names).size !== names.length) return "duplicate receiver names";
        const used = resources.some((x) => x.type === "azure-native:monitor:MetricAlert" && (x.inputs.actions ?? []).some((a: any) => a.actionGroupId === `${r.name}_id`));
        return used ? undefined : "no alert calls it";
      },
    },
  ];
  const check = (rs: Run): string[] => {
    const context: Context = { args: rs.scenario.args, resources: rs.resources };
    return azureResources(rs).flatMap((res) =>
      ALERT_RULES.filter((rule) => rule.types === undefined || rule.types.includes(res.type.slice("azure-native:".length)))
        .map((rule) => [rule, rule.check(res, context)] as const)
        .filter(([, p]) => p !== undefined)
        .map(([rule, p]) => `${rule.name} (${rule.url}): ${res.type} ${res.name}: ${p}`),
    );
  };

  let notified: Run;
  beforeAll(async () => {
    const base = run("traffic: public, tcp, two regions").scenario.args;
    const args = { ...base, traffic: { ...base.traffic!, notification: { email: "oncall@example.com" } } };
    const h = await setupPulumi({ stack: "dev" });
    notified = { scenario: { name: "traffic with notification", args }, plan: (await deployWorkload(h, args)).plan, resources: [...h.resources] };
  }, 60_000);

  it("every matrix run's alerts, and a notified run's alerts and action groups, meet every documented rule (the matrix rules too)", () => {
    for (const r of runs.values()) expect(check(r), r.scenario.name).toEqual([]);
    expect(ofType(notified, "monitor:ActionGroup").length).toBe(2);
    expect(check(notified)).toEqual([]);
    expect(problems(notified)).toEqual([]);
    const applied = new Set(azureResources(notified).flatMap((res) => ALERT_RULES.filter((rule) => rule.types?.includes(res.type.slice("azure-native:".length))).map((rule) => rule.name)));
    expect(ALERT_RULES.map((r) => r.name).filter((n) => !applied.has(n))).toEqual([]);
  });

  it("one alert per load balancer, in the traffic runs only, its threshold from the region's planned count", () => {
    for (const r of [...runs.values(), notified]) {
      const lbs = ofType(r, "network:LoadBalancer");
      const alerts = ofType(r, "monitor:MetricAlert");
      expect(alerts.map((a) => a.inputs.scopes[0]).sort(), r.scenario.name).toEqual(lbs.map((lb) => `${lb.name}_id`).sort());
      for (const lb of lbs) {
        const planned = r.plan.allocations.filter((a) => a.region === lb.inputs.location).reduce((n, a) => n + a.count, 0);
        const alert = alerts.find((a) => a.inputs.scopes[0] === `${lb.name}_id`)!;
        expect(alert.name).toBe(`web-azure-${lb.inputs.location}-alert`);
        expect(alert.inputs.criteria.allOf[0].threshold).toBe(Math.ceil((10000 * (planned - 1)) / planned) / 100);
      }
    }
  });

  const alert = (inputs: Record<string, any>): Recorded => ({
    type: "azure-native:monitor:MetricAlert",
    name: "web-azure-eastus-alert",
    inputs: {
      location: "global", severity: 1, scopes: ["lb_id"], evaluationFrequency: "PT1M", windowSize: "PT5M",
      criteria: { odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", allOf: [{ criterionType: "StaticThresholdCriterion", name: "c", metricName: "DipAvailability", metricNamespace: "Microsoft.Network/loadBalancers", operator: "LessThanOrEqual", threshold: 75, timeAggregation: "Average" }] },
      ...inputs,
    },
  });
  const lb: Recorded = { type: "azure-native:network:LoadBalancer", name: "lb", inputs: { sku: { name: "Standard" } } };
  const group = (inputs: Record<string, any>, name = "g"): Recorded => ({ type: "azure-native:monitor:ActionGroup", name, inputs: { location: "global", groupShortName: "mc", emailReceivers: [{ name: "a" }], ...inputs } });
  const criterion = (c: Record<string, any>) => ({ criteria: { odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", allOf: [{ criterionType: "StaticThresholdCriterion", name: "c", metricName: "DipAvailability", metricNamespace: "Microsoft.Network/loadBalancers", operator: "LessThanOrEqual", threshold: 75, timeAggregation: "Average", ...c }] } });
  const cases: [string, Recorded, Recorded[]][] = [
    ["metric alert names", { ...alert({}), name: "web:alert" }, []],
    ["action group names", group({}, "web/alert"), []],
    ["metric alert:", alert({ location: "eastus" }), []],
    ["metric alert:", alert({ evaluationFrequency: "PT2M" }), []],
    ["metric alert:", alert({ windowSize: "PT10M" }), []],
    ["metric alert:", alert({ severity: 5 }), []],
    ["metric alert:", alert(criterion({ timeAggregation: "Median" })), []],
    ["metric alert:", alert({ actions: [1, 2, 3, 4, 5, 6].map((n) => ({ actionGroupId: `g${n}` })) }), []],
    ["capacity alert", alert({}), []],
    ["capacity alert", alert({}), [{ ...lb, inputs: { sku: { name: "Basic" } } }]],
    ["capacity alert", alert(criterion({ metricName: "VipAvailability" })), [lb]],
    ["capacity alert", alert(criterion({ threshold: 100 })), [lb]],
    ["action group:", group({ groupShortName: "multicloud-capacity" }), [alert({ actions: [{ actionGroupId: "g_id" }] })]],
    ["action group:", group({ location: "eastus" }), [alert({ actions: [{ actionGroupId: "g_id" }] })]],
    ["action group:", group({}), [alert({})]],
  ];
  it.each(cases.map(([prefix, r, rest], i) => [`${i}: ${prefix}`, prefix, r, rest] as const))("each alert rule rejects a known violation: %s", (_label, prefix, r, rest) => {
    const rule = ALERT_RULES.find((x) => x.name.startsWith(prefix))!;
    const args = SCENARIOS[0]!.args;
    expect(rule.check(r, { args, resources: [r, ...rest] })).toEqual(expect.any(String));
  });
});
