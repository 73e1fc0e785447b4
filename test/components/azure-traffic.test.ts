/**
 * Azure `traffic` under Pulumi's mocks (DESIGN.md "Traffic"): per region one Standard Load
 * Balancer in front of every scale set there, its probe equal to the health check, the
 * Application Health extension probing the same, automatic repairs and rolling upgrades, NSG rules
 * for the clients and the probes, and one endpoint per region in the component's `endpoints`.
 * Azure-only catalogs, so only Azure is planned. The rules each property follows (and their pages)
 * are in clouds/azure/workload-emitter.ts and test/conformance/azure.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import type { InstanceOffer } from "../../core/catalog/offer";
import type { Plan } from "../../core";
import { offer } from "../helpers/catalog";
import { catalogFile, setupPulumi, valueOf, type Recorded } from "./harness";
import { webArgs } from "./scenario";

const D4S = (region: string, spot: number | null = null): InstanceOffer =>
  offer({ provider: "azure", region, instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.192, spotHourlyUsd: spot });
/** Dearer per replica than D4s, but it packs an odd replica count without waste: the plan mixes both. */
const D2S = (region: string): InstanceOffer =>
  offer({ provider: "azure", region, instanceType: "Standard_D2s_v5", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 });

function azureArgs(traffic: MultiCloudWorkloadArgs["traffic"], offers: InstanceOffer[], regions: string[], demand = { replicas: 12, cpu: 2, memoryGiB: 8 }): MultiCloudWorkloadArgs {
  return webArgs({
    demand,
    providers: { azure: { regions } },
    // Two regions: a quota per region splits the replicas between them.
    constraints: regions.length > 1 ? { quotas: Object.fromEntries(regions.map((r) => [`azure/${r}`, { vcpu: 16 }])) } : {},
    catalog: catalogFile(offers),
    ...(traffic ? { traffic } : {}),
  });
}

interface Run {
  plan: Plan;
  resources: Recorded[];
  endpoints: unknown;
}

/**
 * Deploys under the harness's mocks, with the addresses Azure computes on create added: a
 * load balancer's private frontend IP and a public IP's address (the harness echoes inputs only).
 */
async function deploy(args: MultiCloudWorkloadArgs): Promise<Run> {
  const h = await setupPulumi({ stack: "dev" });
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const inner = monitor.mocks;
  monitor.mocks = {
    call: (a) => inner.call(a),
    newResource: async (a) => {
      const result = await inner.newResource(a);
      if (a.type === "azure-native:network:LoadBalancer") {
        const frontends = (result.state.frontendIPConfigurations as any[]).map((f) => (f.subnet ? { ...f, privateIPAddress: `10.9.0.4:${a.name}` } : f));
        return { ...result, state: { ...result.state, frontendIPConfigurations: frontends } };
      }
      if (a.type === "azure-native:network:PublicIPAddress") return { ...result, state: { ...result.state, ipAddress: `20.0.0.1:${a.name}` } };
      return result;
    },
  };
  const workload = new MultiCloudWorkload("web", args);
  await workload.ready();
  await h.settle();
  return {
    plan: (await valueOf(workload.plan)) as unknown as Plan,
    resources: [...h.resources],
    endpoints: await valueOf(workload.endpoints),
  };
}

const ofType = (r: Run, type: string) => r.resources.filter((x) => x.type === `azure-native:${type}`);
const inRegion = (rs: Recorded[], region: string) => rs.filter((x) => x.inputs.location === region);
const ipConfigurations = (vmss: Recorded): any[] =>
  vmss.inputs.virtualMachineProfile.networkProfile.networkInterfaceConfigurations.flatMap((n: any) => n.ipConfigurations);
const extensions = (vmss: Recorded): any[] => vmss.inputs.virtualMachineProfile.extensionProfile?.extensions ?? [];

/** The public IPs some NAT gateway uses, and those some load balancer frontend uses. */
function publicIpUse(r: Run): { nat: string[]; lb: string[]; other: string[] } {
  const natIds = ofType(r, "network:NatGateway").flatMap((n) => n.inputs.publicIpAddresses.map((p: any) => p.id));
  const lbIds = ofType(r, "network:LoadBalancer").flatMap((lb) => lb.inputs.frontendIPConfigurations.map((f: any) => f.publicIPAddress?.id).filter(Boolean));
  const use = { nat: [] as string[], lb: [] as string[], other: [] as string[] };
  for (const ip of ofType(r, "network:PublicIPAddress")) {
    const id = `${ip.name}_id`;
    (natIds.includes(id) ? use.nat : lbIds.includes(id) ? use.lb : use.other).push(ip.name);
  }
  return use;
}

const runs: Record<string, Run> = {};

beforeAll(async () => {
  runs.internal = await deploy(azureArgs({ port: 443, targetPort: 8443, healthCheck: { path: "/healthz" } }, [D4S("eastus"), D2S("eastus")], ["eastus"], { replicas: 7, cpu: 2, memoryGiB: 8 }));
  runs.public = await deploy(azureArgs({ port: 443, public: true, healthCheck: { intervalSeconds: 30, unhealthyThreshold: 5 } }, [D4S("eastus"), D4S("westus2")], ["eastus", "westus2"]));
  runs.none = await deploy(azureArgs(undefined, [D4S("eastus")], ["eastus"]));
}, 120_000);

describe("Azure traffic, internal (the default)", () => {
  it("plans more than one scale set in the region (the premise of 'every scale set joins')", () => {
    expect(ofType(runs.internal!, "compute:VirtualMachineScaleSet").map((v) => v.inputs.sku.name).sort()).toEqual(["Standard_D2s_v5", "Standard_D4s_v5"]);
  });

  it("puts exactly one Standard load balancer in front of the region, its frontend a private IP in the workload subnet", () => {
    const r = runs.internal!;
    const lbs = ofType(r, "network:LoadBalancer");
    expect(lbs.map((lb) => [lb.name, lb.inputs.loadBalancerName, lb.inputs.location])).toEqual([["web-azure-eastus-lb", "web-azure-eastus-lb", "eastus"]]);
    expect(lbs[0]!.inputs.sku).toEqual({ name: "Standard", tier: "Regional" });
    const subnet = ipConfigurations(ofType(r, "compute:VirtualMachineScaleSet")[0]!)[0].subnet.id;
    expect(lbs[0]!.inputs.frontendIPConfigurations).toEqual([{ name: "frontend", subnet: { id: subnet }, privateIPAllocationMethod: "Dynamic" }]);
  });

  it("makes every scale set's NIC join the balancer's backend pool, which the rule sends port to targetPort", () => {
    const r = runs.internal!;
    const lb = ofType(r, "network:LoadBalancer")[0]!;
    const lbId = `web-azure-eastus_id/providers/Microsoft.Network/loadBalancers/${lb.inputs.loadBalancerName}`;
    expect(lb.inputs.backendAddressPools).toEqual([{ name: "pool" }]);
    for (const vmss of ofType(r, "compute:VirtualMachineScaleSet")) {
      for (const c of ipConfigurations(vmss)) expect(c.loadBalancerBackendAddressPools, vmss.name).toEqual([{ id: `${lbId}/backendAddressPools/pool` }]);
    }
    expect(lb.inputs.loadBalancingRules).toEqual([{
      name: "traffic",
      frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/frontend` },
      backendAddressPool: { id: `${lbId}/backendAddressPools/pool` },
      probe: { id: `${lbId}/probes/health` },
      protocol: "Tcp",
      frontendPort: 443,
      backendPort: 8443,
    }]);
  });

  it("probes the health check, and so does every scale set's Application Health extension", () => {
    const r = runs.internal!;
    expect(ofType(r, "network:LoadBalancer")[0]!.inputs.probes).toEqual([
      { name: "health", protocol: "Http", port: 8443, requestPath: "/healthz", intervalInSeconds: 10, probeThreshold: 3, numberOfProbes: 3 },
    ]);
    for (const vmss of ofType(r, "compute:VirtualMachineScaleSet")) {
      expect(extensions(vmss)).toEqual([{
        name: "HealthExtension", publisher: "Microsoft.ManagedServices", type: "ApplicationHealthLinux", typeHandlerVersion: "2.0", autoUpgradeMinorVersion: true,
        settings: { protocol: "http", port: 8443, requestPath: "/healthz", intervalInSeconds: 10, numberOfProbes: 3 },
      }]);
      // One health source for repairs: the extension, so no balancer probe on the scale set.
      expect(vmss.inputs.virtualMachineProfile.networkProfile.healthProbe).toBeUndefined();
    }
  });

  it("heals and rolls every scale set: automatic repairs after a grace period, rolling upgrades", () => {
    for (const vmss of ofType(runs.internal!, "compute:VirtualMachineScaleSet")) {
      expect(vmss.inputs.automaticRepairsPolicy).toEqual({ enabled: true, gracePeriod: "PT30M", repairAction: "Replace" });
      // One unhealthy instance never blocks a rollout: the limit is at least one instance's share.
      const unhealthy = Math.min(100, Math.max(20, Math.ceil(100 / vmss.inputs.sku.capacity)));
      expect(vmss.inputs.upgradePolicy).toEqual({
        mode: "Rolling",
        rollingUpgradePolicy: { maxBatchInstancePercent: 20, maxUnhealthyInstancePercent: unhealthy, maxUnhealthyUpgradedInstancePercent: unhealthy, pauseTimeBetweenBatches: "PT0S", prioritizeUnhealthyInstances: true },
      });
      expect(unhealthy * vmss.inputs.sku.capacity).toBeGreaterThanOrEqual(100);
    }
  });

  it("adds no public IP: the only one is the NAT gateway's", () => {
    expect(publicIpUse(runs.internal!)).toEqual({ nat: ["web-azure-eastus-nat"], lb: [], other: [] });
    expect(ofType(runs.internal!, "network:LoadBalancer")[0]!.inputs.frontendIPConfigurations.some((f: any) => f.publicIPAddress !== undefined)).toBe(false);
  });

  it("admits targetPort only from ingressCidrs and the health-check port only from the AzureLoadBalancer tag", () => {
    const rules: any[] = ofType(runs.internal!, "network:NetworkSecurityGroup")[0]!.inputs.securityRules;
    const declared = rules.filter((x) => x.name.startsWith("allow-tcp-") || x.name.startsWith("allow-udp-"));
    expect(rules.filter((x) => !declared.includes(x))).toEqual([
      {
        name: "allow-lb-tcp-8443", priority: 4000, direction: "Inbound", access: "Allow", protocol: "Tcp",
        sourcePortRange: "*", sourceAddressPrefixes: ["10.0.0.0/8", "192.168.0.0/16"], destinationPortRange: "8443", destinationAddressPrefix: "*",
      },
      {
        name: "allow-lb-probe-tcp-8443", priority: 4001, direction: "Inbound", access: "Allow", protocol: "Tcp",
        sourcePortRange: "*", sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: "8443", destinationAddressPrefix: "*",
      },
    ]);
  });

  it("outputs the frontend's private IP and traffic.port as the region's endpoint", () => {
    expect(runs.internal!.endpoints).toEqual([{ provider: "azure", region: "eastus", address: "10.9.0.4:web-azure-eastus-lb", port: 443 }]);
  });
});

describe("Azure traffic, public, two regions", () => {
  it("puts one load balancer in each region, each fronted by its own Standard static public IP", () => {
    const r = runs.public!;
    const lbs = ofType(r, "network:LoadBalancer");
    expect(lbs.map((lb) => lb.name).sort()).toEqual(["web-azure-eastus-lb", "web-azure-westus2-lb"]);
    for (const region of ["eastus", "westus2"]) {
      const lb = inRegion(lbs, region);
      expect(lb).toHaveLength(1);
      expect(lb[0]!.inputs.frontendIPConfigurations).toEqual([{ name: "frontend", publicIPAddress: { id: `web-azure-${region}-lb_id` } }]);
      const ip = ofType(r, "network:PublicIPAddress").find((x) => x.name === `web-azure-${region}-lb`)!;
      expect(ip.inputs).toMatchObject({ location: region, sku: { name: "Standard" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" });
      expect(lb[0]!.inputs.loadBalancingRules[0]).toMatchObject({ frontendPort: 443, backendPort: 443, protocol: "Tcp", disableOutboundSnat: true });
      // Each region's scale sets join their own region's pool.
      for (const vmss of inRegion(ofType(r, "compute:VirtualMachineScaleSet"), region)) {
        expect(ipConfigurations(vmss)[0].loadBalancerBackendAddressPools[0].id).toContain(`/loadBalancers/web-azure-${region}-lb/backendAddressPools/pool`);
      }
    }
  });

  it("has no public IP but the NAT gateways' and the balancers' frontends", () => {
    expect(publicIpUse(runs.public!)).toEqual({ nat: ["web-azure-eastus-nat", "web-azure-westus2-nat"], lb: ["web-azure-eastus-lb", "web-azure-westus2-lb"], other: [] });
  });

  it("probes a tcp health check without a path, on the LB and in the extension alike", () => {
    for (const lb of ofType(runs.public!, "network:LoadBalancer")) {
      expect(lb.inputs.probes).toEqual([{ name: "health", protocol: "Tcp", port: 443, intervalInSeconds: 30, probeThreshold: 5, numberOfProbes: 5 }]);
    }
    for (const vmss of ofType(runs.public!, "compute:VirtualMachineScaleSet")) {
      expect(extensions(vmss)[0].settings).toEqual({ protocol: "tcp", port: 443, intervalInSeconds: 30, numberOfProbes: 5 });
    }
  });

  it("lists every region's public address in the endpoints output", () => {
    const endpoints = runs.public!.endpoints as { region: string }[];
    expect([...endpoints].sort((a, b) => a.region.localeCompare(b.region))).toEqual([
      { provider: "azure", region: "eastus", address: "20.0.0.1:web-azure-eastus-lb", port: 443 },
      { provider: "azure", region: "westus2", address: "20.0.0.1:web-azure-westus2-lb", port: 443 },
    ]);
  });
});

describe("Azure without traffic", () => {
  it("creates no load balancer, no health extension, no repairs or upgrade policy, and no endpoint", () => {
    const r = runs.none!;
    expect(ofType(r, "network:LoadBalancer")).toEqual([]);
    for (const vmss of ofType(r, "compute:VirtualMachineScaleSet")) {
      expect(vmss.inputs.virtualMachineProfile.extensionProfile).toBeUndefined();
      expect(vmss.inputs.automaticRepairsPolicy).toBeUndefined();
      expect(vmss.inputs.upgradePolicy).toBeUndefined();
      expect(ipConfigurations(vmss)[0].loadBalancerBackendAddressPools).toBeUndefined();
    }
    expect(ofType(r, "network:NetworkSecurityGroup")[0]!.inputs.securityRules.map((x: any) => x.name)).toEqual(["allow-tcp-443", "allow-tcp-8443"]);
    expect(runs.none!.endpoints).toEqual([]);
  });
});

describe("Azure traffic settings Azure's load balancer refuses", () => {
  async function failure(args: MultiCloudWorkloadArgs): Promise<string> {
    await setupPulumi({ preview: true });
    return new MultiCloudWorkload("web", args).ready().then(() => "no failure", (err: Error) => err.message);
  }

  it("refuses frontend port 65535 (a rule's frontendPort is 0-65534)", async () => {
    // https://learn.microsoft.com/en-us/dotnet/api/microsoft.azure.management.network.models.loadbalancingrule.frontendport
    expect(await failure(azureArgs({ port: 65535, targetPort: 8443 }, [D4S("eastus")], ["eastus"]))).toContain("traffic.port: is 65535: an Azure load balancer's frontend port is at most 65534");
  });

  it("refuses an http health check on a port Azure never probes over http (25)", async () => {
    // https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-custom-probe-overview
    expect(await failure(azureArgs({ port: 443, healthCheck: { protocol: "http", port: 25 } }, [D4S("eastus")], ["eastus"]))).toContain("traffic.healthCheck.port: is 25");
    expect(await failure(azureArgs({ port: 443, healthCheck: { protocol: "tcp", port: 25 } }, [D4S("eastus")], ["eastus"]))).toBe("no failure");
  });
});
