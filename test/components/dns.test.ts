/**
 * `traffic.dns` under Pulumi's mocks (issue "Failover across clouds", DNS steering): after every
 * cloud emitted its load balancers, one Route 53 health check per region (internet-facing load
 * balancers) and one weighted record per region of the name, its weight the plan's replicas there,
 * all records of the name of one type (A: an alias A to the AWS network load balancers, plain A
 * records of the Azure and GCP addresses); a different pinned plan changes the weights; the
 * `dnsName` output; internal load balancers get records without health checks and a warning; and
 * the health checks' monthly cost in the region overheads. clouds/aws/dns.ts states the rules.
 *
 * Route 53 rules checked on every record and health check (`documentedRules`):
 * - weight an integer 0-255, set identifier 1-128 characters unique in the group, one type and one
 *   TTL for the group, TTL omitted on alias records:
 *   https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
 * - request interval 10 or 30, failure threshold 1-10, resource path starting with "/" and at most
 *   255 characters, port 1-65535, type HTTP/HTTPS/TCP:
 *   https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import { validateSpec, type Plan } from "../../core";
import { SPEC_KEYS } from "../../components/workload/settings";
import { resolveWorkload } from "../../components/workload/resolve";
import { overheadsFor } from "../../core/plan/overheads";
import { dnsWeights } from "../../kit/workload/dns";
import { CLOUDS } from "../../clouds/registry";
import { catalogOf, offer } from "../helpers/catalog";
import { setupPulumi, valueOf, type Harness, type Recorded } from "./harness";
import { OFFERS, webArgs } from "./scenario";

const T = {
  check: "aws:route53/healthCheck:HealthCheck",
  record: "aws:route53/record:Record",
  provider: "pulumi:providers:aws",
} as const;
const HOSTED_ZONE_ID = "aws:lb/getHostedZoneId:getHostedZoneId";
const ZONE = "Z0123456789ABC";
const NAME = "web.example.com";
const TRAFFIC = {
  port: 443,
  public: true,
  healthCheck: { path: "/healthz", intervalSeconds: 30, unhealthyThreshold: 4 },
  dns: { zoneId: ZONE, name: NAME },
} as const;

/** New prices: AWS us-west-2 on-demand more than doubles, so the plan moves replicas to us-east-1. */
const REPRICED = OFFERS.map((o) => (o.provider === "aws" && o.region === "us-west-2" ? offer({ ...o, onDemandHourlyUsd: 0.4 }) : o));

const withDns = (traffic: unknown = TRAFFIC, offers = OFFERS) => webArgs({ traffic: traffic as MultiCloudWorkloadArgs["traffic"] }, offers);

interface Run {
  h: Harness;
  workload: MultiCloudWorkload;
  plan: Plan;
  checks: Recorded[];
  records: Recorded[];
  /** The hosted-zone lookups of the alias records (region asked). */
  zoneLookups: string[];
}

async function deploy(args: MultiCloudWorkloadArgs, placements?: unknown): Promise<Run> {
  const h = await setupPulumi({ config: placements === undefined ? {} : { "multicloud:placements": placements } });
  // The provider's `aws.lb.getHostedZoneId` answers from the ELB endpoints table, without an AWS
  // call; the mock answers a recognisable id per region.
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const call = monitor.mocks.call.bind(monitor.mocks);
  const zoneLookups: string[] = [];
  monitor.mocks.call = (a) => {
    if (a.token !== HOSTED_ZONE_ID) return call(a);
    zoneLookups.push(a.inputs.region);
    return { id: `ZNLB-${a.inputs.region}`, region: a.inputs.region, loadBalancerType: a.inputs.loadBalancerType };
  };
  // Azure assigns a static public IP's address, and an internal frontend's private one, on create;
  // the mock answers them as Azure would (documentation ranges).
  const newResource = monitor.mocks.newResource.bind(monitor.mocks);
  monitor.mocks.newResource = async (a) => {
    const result = await newResource(a);
    if (a.type === "azure-native:network:PublicIPAddress") return { ...result, state: { ...result.state, ipAddress: "198.51.100.7" } };
    if (a.type === "azure-native:network:LoadBalancer") {
      const frontends = (result.state.frontendIPConfigurations ?? []) as Record<string, unknown>[];
      return { ...result, state: { ...result.state, frontendIPConfigurations: frontends.map((f) => ({ privateIPAddress: "10.20.0.9", ...f })) } };
    }
    return result;
  };
  const workload = new MultiCloudWorkload("web", args);
  await workload.ready();
  await h.settle();
  const plan = (await valueOf(workload.plan)) as unknown as Plan;
  return { h, workload, plan, checks: h.ofType(T.check), records: h.ofType(T.record), zoneLookups: zoneLookups.sort() };
}

/** The plan's regions, `provider/region`, sorted. */
const regionsOf = (plan: Plan) => [...new Set(plan.allocations.map((a) => `${a.provider}/${a.region}`))].sort();
const replicasOf = (plan: Plan) => {
  const out: Record<string, number> = {};
  for (const a of plan.allocations) out[`${a.provider}-${a.region}`] = (out[`${a.provider}-${a.region}`] ?? 0) + a.replicas;
  return out;
};
const weightsOf = (records: Recorded[]) => Object.fromEntries(records.map((r) => [r.inputs.setIdentifier, r.inputs.weightedRoutingPolicies[0].weight]));

/** The Route 53 rules every record and health check must meet (URLs in the header). */
function documentedRules(records: Recorded[], checks: Recorded[]): void {
  const ids = records.map((r) => r.inputs.setIdentifier as string);
  for (const r of records) {
    const weight = r.inputs.weightedRoutingPolicies?.[0]?.weight;
    expect(r.inputs.weightedRoutingPolicies).toHaveLength(1);
    expect(Number.isInteger(weight) && weight >= 0 && weight <= 255, `weight ${weight}`).toBe(true);
    expect(typeof r.inputs.setIdentifier === "string" && r.inputs.setIdentifier.length >= 1 && r.inputs.setIdentifier.length <= 128).toBe(true);
    // One value per weighted record; alias records have no TTL and no records.
    if (r.inputs.aliases) {
      expect(r.inputs.aliases).toHaveLength(1);
      expect(r.inputs.ttl).toBeUndefined();
      expect(r.inputs.records).toBeUndefined();
      expect(typeof r.inputs.aliases[0].evaluateTargetHealth).toBe("boolean");
    } else {
      expect(r.inputs.records).toHaveLength(1);
      expect(Number.isInteger(r.inputs.ttl) && r.inputs.ttl >= 0 && r.inputs.ttl <= 2147483647).toBe(true);
    }
  }
  expect(new Set(ids).size).toBe(ids.length);
  // One name, one zone, one type, and one TTL among the non-alias records of the group.
  expect(new Set(records.map((r) => `${r.inputs.zoneId} ${r.inputs.name} ${r.inputs.type}`)).size).toBe(1);
  expect(new Set(records.filter((r) => !r.inputs.aliases).map((r) => r.inputs.ttl)).size).toBeLessThanOrEqual(1);
  for (const c of checks) {
    expect(["HTTP", "HTTPS", "TCP"]).toContain(c.inputs.type);
    expect([10, 30]).toContain(c.inputs.requestInterval);
    expect(c.inputs.failureThreshold).toBeGreaterThanOrEqual(1);
    expect(c.inputs.failureThreshold).toBeLessThanOrEqual(10);
    expect(c.inputs.port).toBeGreaterThanOrEqual(1);
    expect(c.inputs.port).toBeLessThanOrEqual(65535);
    if (c.inputs.type === "TCP") expect(c.inputs.resourcePath).toBeUndefined();
    else expect(c.inputs.resourcePath).toMatch(/^\/.{0,254}$/);
    // Exactly one of a DNS name and an IP address to probe.
    expect([c.inputs.fqdn, c.inputs.ipAddress].filter((v) => v !== undefined)).toHaveLength(1);
  }
}

/** The placement record entry `multicloud plan --write` would pin for `args` and `plan`. */
function pin(args: MultiCloudWorkloadArgs, plan: Plan): Record<string, unknown> {
  const specInput: Record<string, unknown> = { name: "web" };
  for (const key of SPEC_KEYS) if (args[key] !== undefined) specInput[key] = args[key];
  const spec = validateSpec(specInput, catalogOf(OFFERS), CLOUDS);
  return { web: structuredClone({ specHash: plan.specHash, spec, plan }) };
}

let run: Run;
beforeAll(async () => {
  run = await deploy(withDns());
});

describe("traffic.dns across three clouds", () => {
  it("creates one health check and one weighted record per region of the plan, all on the web-dns provider in us-east-1", async () => {
    const regions = regionsOf(run.plan);
    expect(new Set(regions.map((r) => r.split("/")[0]))).toEqual(new Set(["aws", "azure", "gcp"]));
    expect(run.checks).toHaveLength(regions.length);
    expect(run.records).toHaveLength(regions.length);
    expect(run.records.map((r) => r.inputs.setIdentifier).sort()).toEqual(regions.map((r) => r.replace("/", "-")));
    const endpoints = (await valueOf(run.workload.endpoints))!;
    expect(endpoints.map((e) => `${e.provider}/${e.region}`).sort()).toEqual(regions);

    const provider = run.h.ofType(T.provider).find((p) => p.name === "web-dns");
    expect(provider?.inputs.region).toBe("us-east-1");
    for (const r of [...run.checks, ...run.records]) expect(r.provider).toMatch(/::web-dns::/);
    documentedRules(run.records, run.checks);
  });

  it("weights each record with the plan's replicas in its region", () => {
    expect(weightsOf(run.records)).toEqual(replicasOf(run.plan));
    expect(weightsOf(run.records)).toEqual(Object.fromEntries(dnsWeights(run.plan).map((w) => [`${w.provider}-${w.region}`, w.weight])));
  });

  it("keeps one record type for the name: an alias A to each AWS load balancer, plain A records of the Azure and GCP addresses", async () => {
    expect(new Set(run.records.map((r) => r.inputs.type))).toEqual(new Set(["A"]));
    const endpoints = (await valueOf(run.workload.endpoints))!;
    const addressOf = (id: string) => endpoints.find((e) => `${e.provider}-${e.region}` === id)!.address;
    for (const r of run.records) {
      expect(r.inputs).toMatchObject({ zoneId: ZONE, name: NAME });
      const region = (r.inputs.setIdentifier as string).replace(/^[a-z]+-/, "");
      if ((r.inputs.setIdentifier as string).startsWith("aws-")) {
        expect(r.inputs.aliases).toEqual([{ name: addressOf(r.inputs.setIdentifier), zoneId: `ZNLB-${region}`, evaluateTargetHealth: true }]);
        expect(addressOf(r.inputs.setIdentifier)).toMatch(/\.elb\.amazonaws\.com$/);
      } else {
        expect(r.inputs.records).toEqual([addressOf(r.inputs.setIdentifier)]);
        expect(r.inputs.records[0]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(r.inputs.ttl).toBe(60);
      }
    }
    expect(run.zoneLookups).toEqual(regionsOf(run.plan).filter((r) => r.startsWith("aws/")).map((r) => r.slice(4)));
  });

  it("probes each load balancer like its own health check, on traffic.port, and attaches the check to the region's record", async () => {
    const endpoints = (await valueOf(run.workload.endpoints))!;
    for (const c of run.checks) {
      expect(c.inputs).toMatchObject({ type: "HTTP", port: 443, resourcePath: "/healthz", requestInterval: 30, failureThreshold: 4 });
      const record = run.records.find((r) => r.name === c.name)!;
      expect(record.inputs.healthCheckId).toBe(`${c.name}_id`);
      const endpoint = endpoints.find((e) => `${e.provider}-${e.region}` === record.inputs.setIdentifier)!;
      // By the load balancer's own DNS name on AWS (never the record's name), by IP address elsewhere.
      const probed = endpoint.provider === "aws" ? { fqdn: endpoint.address } : { ipAddress: endpoint.address };
      expect({ fqdn: c.inputs.fqdn, ipAddress: c.inputs.ipAddress }).toEqual({ fqdn: undefined, ipAddress: undefined, ...probed });
    }
  });

  it("falls back to a TCP check on traffic.port when the workload's health check probes another port", async () => {
    // Route 53 reaches only the balancer's port, which forwards to targetPort: an HTTP check of
    // another port sent there would always fail, and Route 53 would then answer every record.
    const other = await deploy(withDns({ ...TRAFFIC, healthCheck: { path: "/healthz", port: 9000 } }));
    for (const c of other.checks) {
      expect(c.inputs).toMatchObject({ type: "TCP", port: 443 });
      expect(c.inputs.resourcePath).toBeUndefined();
    }
  });

  it("outputs dnsName (and undefined without traffic.dns)", async () => {
    expect(await valueOf(run.workload.dnsName)).toBe(NAME);
    const plain = await deploy(withDns({ port: 443, public: true }));
    expect(await valueOf(plain.workload.dnsName)).toBeUndefined();
    expect(plain.checks).toEqual([]);
    expect(plain.records).toEqual([]);
  });

  it("prices each region's health check in the plan's overheads", () => {
    // HTTP every 30 s: no optional feature; $0.50 a month for an AWS endpoint, $0.75 for another cloud's.
    const dnsItems = (run.plan.overheads ?? []).filter((o) => o.item.startsWith("dns-"));
    expect(dnsItems).toEqual(regionsOf(run.plan).map((r) => {
      const [provider, region] = r.split("/");
      return { provider, region, item: "dns-health-check", monthlyUsd: provider === "aws" ? 0.5 : 0.75 };
    }));
  });
});

describe("the weights follow the plan", () => {
  it("a different pinned plan changes the weights, from the pinned plan's replicas", async () => {
    const repriced = (await resolveWorkload(withDns(TRAFFIC, REPRICED), "web", { clouds: CLOUDS, placements: undefined, stackConfig: "Pulumi.dev.yaml" })).plan;
    expect(replicasOf(repriced)).not.toEqual(replicasOf(run.plan));

    // Today's prices, the repriced plan pinned: the pin, not the prices, decides the weights.
    const pinned = await deploy(withDns(), pin(withDns(), repriced));
    expect(await valueOf(pinned.workload.placementSource)).toBe("pinned");
    expect(pinned.plan.allocations).toEqual(repriced.allocations);
    expect(weightsOf(pinned.records)).toEqual(replicasOf(repriced));
    expect(weightsOf(pinned.records)).not.toEqual(weightsOf(run.records));
    documentedRules(pinned.records, pinned.checks);
  });
});

describe("internal load balancers and a private zone", () => {
  it("creates the weighted records without health checks, and says which regions no health check covers", async () => {
    const internal = await deploy(withDns({ port: 443, dns: { zoneId: ZONE, name: NAME, privateZone: true, ttl: 30 } }));
    expect(internal.checks).toEqual([]);
    expect(internal.records).toHaveLength(regionsOf(internal.plan).length);
    for (const r of internal.records) expect(r.inputs.healthCheckId).toBeUndefined();
    expect(internal.records.filter((r) => r.inputs.aliases).every((r) => r.inputs.aliases[0].evaluateTargetHealth === true)).toBe(true);
    documentedRules(internal.records, internal.checks);
    const warnings = internal.h.logs.filter((l) => l.severity === "warning").map((l) => l.message);
    expect(warnings.find((w) => w.includes("Route 53 health checkers cannot reach private addresses"))).toMatch(/azure\/eastus, gcp\/us-central1 stay in the answers/);
    expect(warnings.find((w) => w.startsWith("web: traffic.dns.ttl:"))).toMatch(/recommends 60 seconds .* got 30/);
    // No health check, no health-check cost.
    expect((internal.plan.overheads ?? []).filter((o) => o.item.startsWith("dns-"))).toEqual([]);
  });
});

describe("DNS health-check overheads (pure)", () => {
  const spec = (healthCheck: object, isPublic = true) =>
    validateSpec({
      name: "web",
      demand: { replicas: 4, cpu: 2, memoryGiB: 8 },
      providers: { aws: { regions: ["us-east-1"] }, gcp: { regions: ["us-central1"] } },
      traffic: { port: 443, public: isPublic, healthCheck, dns: { zoneId: ZONE, name: NAME, privateZone: !isPublic } },
    }, catalogOf(OFFERS), CLOUDS);
  const dnsMonthly = (s: ReturnType<typeof spec>, provider: string, region: string) =>
    overheadsFor(s, CLOUDS)!(provider, region).filter((i) => i.item.startsWith("dns-")).map((i) => [i.item, Math.round(i.hourlyUsd * 730 * 100) / 100]);

  it("adds HTTPS and the 10-second interval as optional features, dearer for endpoints outside AWS", () => {
    const fast = spec({ protocol: "https", intervalSeconds: 10 });
    expect(dnsMonthly(fast, "aws", "us-east-1")).toEqual([["dns-health-check", 0.5], ["dns-health-check-https", 1], ["dns-health-check-fast-interval", 1]]);
    expect(dnsMonthly(fast, "gcp", "us-central1")).toEqual([["dns-health-check", 0.75], ["dns-health-check-https", 2], ["dns-health-check-fast-interval", 2]]);
    expect(dnsMonthly(spec({ protocol: "tcp", intervalSeconds: 30 }), "gcp", "us-central1")).toEqual([["dns-health-check", 0.75]]);
  });

  it("costs nothing with internal load balancers (no health check is created)", () => {
    expect(dnsMonthly(spec({ intervalSeconds: 10 }, false), "aws", "us-east-1")).toEqual([]);
  });
});
