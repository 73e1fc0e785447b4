/**
 * The `traffic` contract on all three clouds at once (DESIGN.md "Traffic", issue "A pulumi up that
 * serves"), under Pulumi's mocks, for the crafted three-cloud plan of ./scenario.ts (aws us-east-1
 * and us-west-2, azure eastus, gcp us-central1):
 *
 *   1. each region of the plan has exactly one load balancer;
 *   2. every instance group of the region is attached to it, and to no other;
 *   3. the load balancer and every group's autohealing probe one health check, which equals the
 *      resolved traffic.healthCheck (protocol, port, path, interval, unhealthy threshold);
 *   4. nothing else has a public address: no instance ever; public addresses only for NAT and,
 *      with `public: true`, the load balancers;
 *   5. `endpoints` lists every region of the plan exactly once, with provider, region, an address
 *      and port = traffic.port;
 *   6. without `traffic`, none of it exists.
 *
 * The assertions are written once, against the table CLOUDS below, which says for each cloud how to
 * find its load balancer, its groups, what attaches a group to a balancer, which health check each
 * side uses, and which resources hold public addresses. The per-cloud details (names, firewall
 * rules, refusals) are in aws-traffic.test.ts, azure-traffic.test.ts and gcp-traffic.test.ts.
 *
 * Variants, each a full three-cloud deployment (GCP's passthrough balancer cannot map ports, so no
 * variant sets a targetPort other than port):
 *   internal  - the defaults: internal balancers, an http check on traffic.port
 *   public    - `public: true` with the scenario's ingressCidrs, a tcp check, 30 s, threshold 5
 *   https     - an https check on its own port (9443), its own path, 30 s, threshold 4
 *   none      - no `traffic`
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import { resolveTraffic, trafficSchema, type HealthCheck } from "../../core/spec/traffic";
import { setupPulumi, valueOf, type Recorded } from "./harness";
import { webArgs } from "./scenario";

type TrafficArgs = NonNullable<MultiCloudWorkloadArgs["traffic"]>;
type Cloud = "aws" | "azure" | "gcp";

const PLAN_REGIONS = ["aws/us-east-1", "aws/us-west-2", "azure/eastus", "gcp/us-central1"];

const VARIANTS = {
  internal: { port: 443, healthCheck: { path: "/healthz" } },
  public: { port: 443, public: true, healthCheck: { protocol: "tcp", intervalSeconds: 30, unhealthyThreshold: 5 } },
  https: { port: 8443, healthCheck: { protocol: "https", path: "/ready", port: 9443, intervalSeconds: 30, unhealthyThreshold: 4 } },
} satisfies Record<string, TrafficArgs>;
type Variant = keyof typeof VARIANTS;
const isPublicVariant = (variant: Variant): boolean => (VARIANTS[variant] as TrafficArgs).public === true;

/** A recorded resource with the outputs the mocks answered for it. */
interface Res extends Recorded {
  outputs: Record<string, any>;
  /** `provider/region` of the provider the resource was registered with. */
  where: string;
}

interface Run {
  resources: Res[];
  /** `provider/region` of every allocation of the plan. */
  planRegions: string[];
  endpoints: { provider: string; region: string; address: string; port: number }[];
}

/** Resolves a resource's `${name}_id` (the mocks' id) or an output value back to the resource. */
class View {
  constructor(readonly run: Run) {}
  ofType(type: string): Res[] {
    return this.run.resources.filter((r) => r.type === type);
  }
  byId(type: string, id: unknown): Res {
    const found = this.ofType(type).find((r) => `${r.name}_id` === id);
    if (!found) throw new Error(`no ${type} with id ${String(id)}`);
    return found;
  }
  byOutput(type: string, key: string, value: unknown): Res {
    const found = this.ofType(type).find((r) => r.outputs[key] === value);
    if (!found) throw new Error(`no ${type} with ${key} ${String(value)}`);
    return found;
  }
}

/** A health check as the spec states it: what every cloud's probes are compared with. */
type Probe = Pick<HealthCheck, "protocol" | "port" | "path" | "intervalSeconds" | "unhealthyThreshold">;

/** Who holds a public address: NAT egress, a load balancer (by the balancer's name), anything else. */
interface PublicAddresses {
  nat: number;
  loadBalancers: string[];
  other: string[];
}

/**
 * How each cloud realises the contract. `balancers` are the resources that are "the load balancer"
 * (one per region); `served` names the groups a balancer sends traffic to, read from whatever
 * attaches them on that cloud; `balancerProbe` is the check the balancer uses, `healingProbe` the
 * check a group's autohealing uses (it throws when autohealing is off).
 */
interface CloudContract {
  balancerType: string;
  /** Other resources that exist only because of `traffic` (absent without it). */
  trafficOnlyTypes: string[];
  groupType: string;
  served(v: View, lb: Res): string[];
  balancerProbe(v: View, lb: Res): Probe;
  healingProbe(v: View, group: Res, lb: Res): Probe;
  isPublic(lb: Res): boolean;
  /** No instance of the group gets a public address (instances' own settings). */
  instancesPrivate(v: View, group: Res): void;
  publicAddresses(v: View): PublicAddresses;
  /** Nothing traffic would add is on the group when there is no traffic. */
  untouched(group: Res): void;
}

const AWS = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  asg: "aws:autoscaling/group:Group",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  subnet: "aws:ec2/subnet:Subnet",
} as const;
const AZ = {
  lb: "azure-native:network:LoadBalancer",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  pip: "azure-native:network:PublicIPAddress",
  nat: "azure-native:network:NatGateway",
} as const;
const GCP = {
  fr: "gcp:compute/forwardingRule:ForwardingRule",
  bs: "gcp:compute/regionBackendService:RegionBackendService",
  hc: "gcp:compute/regionHealthCheck:RegionHealthCheck",
  mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  template: "gcp:compute/instanceTemplate:InstanceTemplate",
} as const;

/** AWS: the target group the balancer's listener forwards to. */
function awsTargetGroup(v: View, lb: Res): Res {
  const listeners = v.ofType(AWS.listener).filter((l) => l.inputs.loadBalancerArn === lb.outputs.arn);
  expect(listeners, `${lb.name}: one listener`).toHaveLength(1);
  const actions = listeners[0]!.inputs.defaultActions as { type: string; targetGroupArn: string }[];
  expect(actions.map((a) => a.type)).toEqual(["forward"]);
  return v.byOutput(AWS.tg, "arn", actions[0]!.targetGroupArn);
}

/** Azure: the backend pool the balancer's (one) rule sends to, and the probe it uses. */
function azureRule(lb: Res): { pool: string; probe: any } {
  const rules = lb.inputs.loadBalancingRules as { backendAddressPool: { id: string }; probe: { id: string } }[];
  expect(rules, `${lb.name}: one rule`).toHaveLength(1);
  const lbId = (id: string) => id.replace(/\/(backendAddressPools|probes)\/[^/]+$/, "");
  const suffix = `/loadBalancers/${lb.inputs.loadBalancerName}`;
  expect(lbId(rules[0]!.backendAddressPool.id).endsWith(suffix), "the rule's pool is this balancer's").toBe(true);
  expect(lbId(rules[0]!.probe.id).endsWith(suffix), "the rule's probe is this balancer's").toBe(true);
  const poolName = rules[0]!.backendAddressPool.id.split("/").pop();
  const probeName = rules[0]!.probe.id.split("/").pop();
  expect((lb.inputs.backendAddressPools as { name: string }[]).map((p) => p.name)).toContain(poolName);
  const probe = (lb.inputs.probes as { name: string }[]).find((p) => p.name === probeName);
  expect(probe, `${lb.name}: probe ${probeName}`).toBeDefined();
  return { pool: rules[0]!.backendAddressPool.id, probe };
}
const azureIpConfigurations = (vmss: Res): any[] =>
  vmss.inputs.virtualMachineProfile.networkProfile.networkInterfaceConfigurations.flatMap((n: any) => n.ipConfigurations);

/** GCP: the backend service behind the forwarding rule, and the health check it probes. */
function gcpBackendService(v: View, fr: Res): Res {
  const bs = v.byId(GCP.bs, fr.inputs.backendService);
  expect(bs.inputs.loadBalancingScheme, `${bs.name}: same scheme as its forwarding rule`).toBe(fr.inputs.loadBalancingScheme);
  return bs;
}
function gcpProbe(hc: Res): Probe {
  const kinds = (["httpHealthCheck", "httpsHealthCheck", "tcpHealthCheck"] as const).filter((k) => hc.inputs[k] !== undefined);
  expect(kinds, `${hc.name}: exactly one kind of check`).toHaveLength(1);
  const spec = hc.inputs[kinds[0]!];
  return {
    protocol: ({ httpHealthCheck: "http", httpsHealthCheck: "https", tcpHealthCheck: "tcp" } as const)[kinds[0]!],
    port: spec.port,
    ...(spec.requestPath !== undefined ? { path: spec.requestPath } : {}),
    intervalSeconds: hc.inputs.checkIntervalSec,
    unhealthyThreshold: hc.inputs.unhealthyThreshold,
  };
}

const CLOUDS: Record<Cloud, CloudContract> = {
  aws: {
    // The network load balancer; its listener forwards to a target group the groups register in.
    balancerType: AWS.lb,
    trafficOnlyTypes: [AWS.tg, AWS.listener],
    groupType: AWS.asg,
    served: (v, lb) => {
      const tg = awsTargetGroup(v, lb);
      return v.ofType(AWS.asg).filter((g) => (g.inputs.targetGroupArns ?? []).includes(tg.outputs.arn)).map((g) => g.name);
    },
    balancerProbe: (v, lb) => {
      const hc = awsTargetGroup(v, lb).inputs.healthCheck;
      expect(hc.enabled).toBe(true);
      return {
        protocol: String(hc.protocol).toLowerCase() as Probe["protocol"],
        port: Number(hc.port),
        ...(hc.path !== undefined ? { path: hc.path } : {}),
        intervalSeconds: hc.interval,
        unhealthyThreshold: hc.unhealthyThreshold,
      };
    },
    // Autohealing: the group replaces instances its load balancer's target group finds unhealthy.
    healingProbe: (v, group, lb) => {
      expect(group.inputs.healthCheckType, `${group.name}: ELB health checks`).toBe("ELB");
      expect(group.inputs.targetGroupArns).toEqual([awsTargetGroup(v, lb).outputs.arn]);
      return CLOUDS.aws.balancerProbe(v, lb);
    },
    isPublic: (lb) => {
      expect(lb.inputs.loadBalancerType).toBe("network");
      return lb.inputs.internal !== true;
    },
    instancesPrivate: (v, group) => {
      const lt = v.byId(AWS.lt, group.inputs.mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateId);
      expect(lt.inputs.networkInterfaces.map((n: any) => n.associatePublicIpAddress), lt.name).toEqual(["false"]);
      for (const id of group.inputs.vpcZoneIdentifiers as string[]) expect(v.byId(AWS.subnet, id).inputs.mapPublicIpOnLaunch, id).toBe(false);
    },
    publicAddresses: (v) => {
      const natAllocations = v.ofType(AWS.nat).map((n) => n.inputs.allocationId);
      const eips = v.ofType(AWS.eip);
      for (const s of v.ofType(AWS.subnet)) expect(s.inputs.mapPublicIpOnLaunch, s.name).toBe(false);
      return {
        nat: eips.filter((e) => natAllocations.includes(e.outputs.allocationId)).length,
        loadBalancers: v.ofType(AWS.lb).filter((lb) => lb.inputs.internal !== true).map((lb) => lb.name),
        other: eips.filter((e) => !natAllocations.includes(e.outputs.allocationId)).map((e) => e.name),
      };
    },
    untouched: (group) => {
      expect(group.inputs.targetGroupArns).toBeUndefined();
      expect(group.inputs.healthCheckType).toBeUndefined();
    },
  },
  azure: {
    // The Standard Load Balancer; the scale sets' NICs join the backend pool its rule sends to.
    balancerType: AZ.lb,
    trafficOnlyTypes: [],
    groupType: AZ.vmss,
    served: (v, lb) => {
      const { pool } = azureRule(lb);
      return v.ofType(AZ.vmss)
        .filter((g) => azureIpConfigurations(g).some((c) => (c.loadBalancerBackendAddressPools ?? []).some((p: { id: string }) => p.id === pool)))
        .map((g) => {
          // Every ip configuration joins this pool and only this one.
          for (const c of azureIpConfigurations(g)) expect(c.loadBalancerBackendAddressPools, g.name).toEqual([{ id: pool }]);
          return g.name;
        });
    },
    balancerProbe: (_v, lb) => {
      const p = azureRule(lb).probe;
      expect(p.numberOfProbes, "numberOfProbes (the older field) agrees with probeThreshold").toBe(p.probeThreshold);
      return {
        protocol: String(p.protocol).toLowerCase() as Probe["protocol"],
        port: p.port,
        ...(p.requestPath !== undefined ? { path: p.requestPath } : {}),
        intervalSeconds: p.intervalInSeconds,
        unhealthyThreshold: p.probeThreshold,
      };
    },
    // Autohealing: automatic repairs, judged by the Application Health extension's probe.
    healingProbe: (_v, group) => {
      expect(group.inputs.automaticRepairsPolicy, `${group.name}: automatic repairs`).toMatchObject({ enabled: true });
      const health = (group.inputs.virtualMachineProfile.extensionProfile?.extensions ?? []).filter((e: any) => e.type === "ApplicationHealthLinux");
      expect(health, `${group.name}: one Application Health extension`).toHaveLength(1);
      const s = health[0].settings;
      return {
        protocol: s.protocol,
        port: s.port,
        ...(s.requestPath !== undefined ? { path: s.requestPath } : {}),
        intervalSeconds: s.intervalInSeconds,
        unhealthyThreshold: s.numberOfProbes,
      };
    },
    isPublic: (lb) => (lb.inputs.frontendIPConfigurations as any[]).some((f) => f.publicIPAddress !== undefined),
    instancesPrivate: (_v, group) => {
      for (const c of azureIpConfigurations(group)) expect(c.publicIPAddressConfiguration, group.name).toBeUndefined();
    },
    publicAddresses: (v) => {
      const natIps = v.ofType(AZ.nat).flatMap((n) => n.inputs.publicIpAddresses.map((p: { id: string }) => p.id));
      const lbIps = new Map(v.ofType(AZ.lb).flatMap((lb) => (lb.inputs.frontendIPConfigurations as any[]).filter((f) => f.publicIPAddress).map((f) => [f.publicIPAddress.id, lb.name] as const)));
      const ips = v.ofType(AZ.pip);
      return {
        nat: ips.filter((ip) => natIps.includes(`${ip.name}_id`)).length,
        loadBalancers: ips.filter((ip) => lbIps.has(`${ip.name}_id`)).map((ip) => lbIps.get(`${ip.name}_id`)!),
        other: ips.filter((ip) => !natIps.includes(`${ip.name}_id`) && !lbIps.has(`${ip.name}_id`)).map((ip) => ip.name),
      };
    },
    untouched: (group) => {
      expect(group.inputs.automaticRepairsPolicy).toBeUndefined();
      expect(group.inputs.virtualMachineProfile.extensionProfile).toBeUndefined();
      for (const c of azureIpConfigurations(group)) expect(c.loadBalancerBackendAddressPools).toBeUndefined();
    },
  },
  gcp: {
    // The forwarding rule (the address clients reach); its regional backend service holds the groups.
    balancerType: GCP.fr,
    trafficOnlyTypes: [GCP.bs, GCP.hc],
    groupType: GCP.mig,
    served: (v, fr) => {
      const backends = gcpBackendService(v, fr).inputs.backends as { group: string }[];
      // A backend is the instance group the manager created (its `instanceGroup` output).
      return backends.map((b) => v.byOutput(GCP.mig, "instanceGroup", b.group).name);
    },
    balancerProbe: (v, fr) => gcpProbe(v.byId(GCP.hc, gcpBackendService(v, fr).inputs.healthChecks)),
    // Autohealing: the managed instance group's auto-healing policy on the balancer's own health check.
    healingProbe: (v, group, fr) => {
      const policy = group.inputs.autoHealingPolicies;
      expect(policy?.healthCheck, `${group.name}: autohealing on the balancer's health check`).toBe(gcpBackendService(v, fr).inputs.healthChecks);
      return gcpProbe(v.byId(GCP.hc, policy.healthCheck));
    },
    isPublic: (fr) => {
      expect(["INTERNAL", "EXTERNAL"]).toContain(fr.inputs.loadBalancingScheme);
      return fr.inputs.loadBalancingScheme === "EXTERNAL";
    },
    instancesPrivate: (v, group) => {
      const template = v.ofType(GCP.template).find((t) => t.outputs.selfLinkUnique === group.inputs.versions[0].instanceTemplate)!;
      for (const n of template.inputs.networkInterfaces) expect(n.accessConfigs ?? [], template.name).toEqual([]);
    },
    publicAddresses: (v) => ({
      // Cloud NAT allocates its own addresses (AUTO_ONLY): no address resource for NAT.
      nat: v.ofType("gcp:compute/routerNat:RouterNat").filter((n) => n.inputs.natIpAllocateOption === "AUTO_ONLY").length,
      loadBalancers: v.ofType(GCP.fr).filter((fr) => fr.inputs.loadBalancingScheme !== "INTERNAL").map((fr) => fr.name),
      other: v.run.resources.filter((r) => /^gcp:compute\/(global)?[aA]ddress:/.test(r.type)).map((r) => r.name),
    }),
    untouched: (group) => {
      expect(group.inputs.autoHealingPolicies).toBeUndefined();
    },
  },
};

const cloudOf = (where: string) => where.split("/")[0] as Cloud;

/**
 * Deploys under the harness's mocks, recording each resource's outputs and where (provider and
 * region of its provider) it lives. Azure's create-time addresses are added, as Azure computes
 * them: a load balancer's private frontend IP and a public IP's address (the harness echoes inputs).
 */
async function deploy(traffic: TrafficArgs | undefined): Promise<Run> {
  const h = await setupPulumi({ stack: "dev" });
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const inner = monitor.mocks;
  const outputs = new Map<string, Record<string, any>>();
  monitor.mocks = {
    call: (a) => inner.call(a),
    newResource: async (a) => {
      const result = await inner.newResource(a);
      let state = result.state;
      if (a.type === AZ.lb) {
        state = { ...state, frontendIPConfigurations: (state.frontendIPConfigurations as any[]).map((f) => (f.subnet ? { ...f, privateIPAddress: "10.9.0.4" } : f)) };
      }
      if (a.type === AZ.pip) state = { ...state, ipAddress: "20.0.0.1" };
      outputs.set(`${a.type}::${a.name}`, state);
      return { ...result, state };
    },
  };
  const workload = new MultiCloudWorkload("web", webArgs(traffic ? { traffic } : {}));
  await workload.ready();
  await h.settle();
  const plan = (await valueOf(workload.plan)) as { allocations: { provider: string; region: string }[] };
  const providers = new Map(h.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((p) => [p.name, `${p.type.split(":")[2]}/${p.inputs.region ?? p.inputs.location}`]));
  const resources: Res[] = h.resources.map((r) => ({
    ...r,
    outputs: outputs.get(`${r.type}::${r.name}`) ?? {},
    where: r.provider ? providers.get(r.provider.split("::")[3]!)?.replace(/^azure-native\//, "azure/") ?? "?" : "-",
  }));
  return {
    resources,
    planRegions: [...new Set(plan.allocations.map((a) => `${a.provider}/${a.region}`))].sort(),
    endpoints: (await valueOf(workload.endpoints)) as Run["endpoints"],
  };
}

const runs = {} as Record<Variant | "none", Run>;

beforeAll(async () => {
  // One after another: Pulumi's mocks are process-global.
  for (const variant of Object.keys(VARIANTS) as Variant[]) runs[variant] = await deploy(VARIANTS[variant]);
  runs.none = await deploy(undefined);
}, 180_000);

/** The health check the spec resolves to: what every probe must equal. */
const resolved = (variant: Variant): Probe => resolveTraffic(trafficSchema.parse(VARIANTS[variant])).healthCheck;

/** Resources of a type in one `provider/region`. */
const inRegion = (v: View, type: string, where: string) => v.ofType(type).filter((r) => r.where === where);

describe("the traffic contract on a three-cloud plan", () => {
  it("premise: every variant plans the same four regions on three clouds, and one region has two groups behind its balancer", () => {
    for (const run of Object.values(runs)) expect(run.planRegions).toEqual(PLAN_REGIONS);
    const v = new View(runs.internal);
    // The scenario's spot beside on-demand on GCP: two managed instance groups share a balancer.
    expect(inRegion(v, GCP.mig, "gcp/us-central1").length).toBeGreaterThan(1);
    // Every resource of the clouds is tied to one region's provider.
    for (const r of runs.internal.resources.filter((r) => /^(aws|azure-native|gcp):/.test(r.type))) expect(PLAN_REGIONS, `${r.type} ${r.name}`).toContain(r.where);
  });

  it("the resolved health checks differ per variant (http on port, tcp, https on its own port)", () => {
    expect(resolved("internal")).toEqual({ protocol: "http", path: "/healthz", port: 443, intervalSeconds: 10, unhealthyThreshold: 3 });
    expect(resolved("public")).toEqual({ protocol: "tcp", port: 443, intervalSeconds: 30, unhealthyThreshold: 5 });
    expect(resolved("https")).toEqual({ protocol: "https", path: "/ready", port: 9443, intervalSeconds: 30, unhealthyThreshold: 4 });
  });

  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    describe(`traffic ${variant}: ${JSON.stringify(VARIANTS[variant])}`, () => {
      const view = () => new View(runs[variant]);

      it("1. has exactly one load balancer in each region of the plan, and none elsewhere", () => {
        const v = view();
        for (const where of PLAN_REGIONS) {
          const c = CLOUDS[cloudOf(where)];
          expect(inRegion(v, c.balancerType, where).map((r) => r.name), where).toHaveLength(1);
        }
        for (const c of Object.values(CLOUDS)) expect(v.ofType(c.balancerType).every((lb) => PLAN_REGIONS.includes(lb.where))).toBe(true);
        expect(Object.values(CLOUDS).reduce((n, c) => n + v.ofType(c.balancerType).length, 0)).toBe(PLAN_REGIONS.length);
      });

      it("2. attaches every instance group of a region to that region's load balancer, and only there", () => {
        const v = view();
        for (const where of PLAN_REGIONS) {
          const c = CLOUDS[cloudOf(where)];
          const [lb] = inRegion(v, c.balancerType, where);
          const groups = inRegion(v, c.groupType, where).map((g) => g.name).sort();
          expect(groups.length, `${where}: has groups`).toBeGreaterThan(0);
          expect([...c.served(v, lb!)].sort(), `${where}: groups behind ${lb!.name}`).toEqual(groups);
        }
        // No group is served by two balancers (each served set above is exactly its own region's).
        for (const c of Object.values(CLOUDS)) {
          const served = v.ofType(c.balancerType).flatMap((lb) => c.served(v, lb));
          expect(new Set(served).size).toBe(served.length);
          expect(served.length).toBe(v.ofType(c.groupType).length);
        }
      });

      it("3. probes traffic.healthCheck on the load balancer and in every group's autohealing alike", () => {
        const v = view();
        const expected = resolved(variant);
        for (const where of PLAN_REGIONS) {
          const c = CLOUDS[cloudOf(where)];
          const [lb] = inRegion(v, c.balancerType, where);
          expect(c.balancerProbe(v, lb!), `${where}: the load balancer's probe`).toEqual(expected);
          for (const g of inRegion(v, c.groupType, where)) expect(c.healingProbe(v, g, lb!), `${where}: ${g.name}'s autohealing`).toEqual(expected);
        }
      });

      it(`4. gives no instance a public address; public addresses only for NAT${isPublicVariant(variant) ? " and the load balancers" : ""}`, () => {
        const v = view();
        const isPublic = isPublicVariant(variant);
        for (const [cloud, c] of Object.entries(CLOUDS) as [Cloud, CloudContract][]) {
          for (const g of v.ofType(c.groupType)) c.instancesPrivate(v, g);
          const balancers = v.ofType(c.balancerType);
          for (const lb of balancers) expect(c.isPublic(lb), `${lb.name} is public`).toBe(isPublic);
          const regions = PLAN_REGIONS.filter((w) => cloudOf(w) === cloud).length;
          expect(c.publicAddresses(v), cloud).toEqual({
            nat: regions,
            loadBalancers: isPublic ? balancers.map((lb) => lb.name) : [],
            other: [],
          });
        }
      });

      it("5. lists every region of the plan exactly once in endpoints, with an address and traffic.port", () => {
        const endpoints = runs[variant].endpoints;
        expect(endpoints.map((e) => `${e.provider}/${e.region}`).sort()).toEqual(PLAN_REGIONS);
        for (const e of endpoints) {
          expect(e.port, `${e.provider}/${e.region}`).toBe(VARIANTS[variant].port);
          expect(typeof e.address === "string" && e.address.length > 0, `${e.provider}/${e.region} has an address`).toBe(true);
          expect(Object.keys(e).sort()).toEqual(["address", "port", "provider", "region"]);
        }
      });
    });
  }

  describe("6. without traffic", () => {
    it("creates no load balancer, nothing that only traffic needs, no autohealing or attachment, and no endpoint", () => {
      const v = new View(runs.none);
      for (const [cloud, c] of Object.entries(CLOUDS) as [Cloud, CloudContract][]) {
        for (const type of [c.balancerType, ...c.trafficOnlyTypes]) expect(v.ofType(type), type).toEqual([]);
        expect(v.ofType(c.groupType).length, `${cloud} still has its groups`).toBeGreaterThan(0);
        for (const g of v.ofType(c.groupType)) {
          c.untouched(g);
          c.instancesPrivate(v, g);
        }
        expect(c.publicAddresses(v), cloud).toEqual({ nat: PLAN_REGIONS.filter((w) => cloudOf(w) === cloud).length, loadBalancers: [], other: [] });
      }
      expect(runs.none.endpoints).toEqual([]);
    });
  });
});
