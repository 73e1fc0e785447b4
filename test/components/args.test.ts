/**
 * Arg validation without Pulumi (pure): the split between spec and resource settings, defaults,
 * CIDR rules, the cross-checks between clouds' args and regions, and the emitter registry.
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { cidrProblem, parseArgs } from "../../components/workload/settings";
import { networkProblems, providerCoverageProblems, regionKeyProblems } from "../../components/workload/checks";
import type { PreparedCloud } from "../../kit/workload/emitter";
import { validateSpec } from "../../core";
import { catalogOf, offer } from "../helpers/catalog";
import { CLOUDS as REGISTRY } from "../../clouds/registry";

const CLOUDS = ["aws", "azure", "gcp"];

describe("parseArgs", () => {
  it("splits the spec from the resource settings, defaulting name to the resource name", () => {
    const parsed = parseArgs({ demand: { replicas: 2, cpu: 1, memoryGiB: 2 }, providers: { aws: {} }, tags: { a: "b" }, aws: { amis: {} } }, "api", CLOUDS);
    expect(parsed.problems).toEqual([]);
    // `tags` is in the spec too, where compliance.requiredTags checks it.
    expect(parsed.specInput).toEqual({ name: "api", demand: { replicas: 2, cpu: 1, memoryGiB: 2 }, providers: { aws: {} }, tags: { a: "b" } });
    expect(parsed.sections).toEqual({ aws: { amis: {} }, azure: undefined, gcp: undefined });
    expect(parsed.common).toEqual({ tags: { a: "b" }, ports: [], ingressCidrs: [], userData: undefined, assignPublicIp: false, createNetworks: true, rootVolumeGiB: 30 });
  });

  it("defaults a port's protocol to tcp", () => {
    const parsed = parseArgs({ ports: [{ port: 80 }], ingressCidrs: ["0.0.0.0/0"] }, "web", CLOUDS);
    expect(parsed.common?.ports).toEqual([{ port: 80, protocol: "tcp" }]);
    expect(parsed.common?.ingressCidrs).toEqual(["0.0.0.0/0"]);
  });

  it("reports every problem with its path", () => {
    const parsed = parseArgs({ ports: [{ port: 70000 }, { port: 22, protocol: "sctp" }], ingressCidrs: ["10.0.0.0/33"], rootVolumeGiB: 5, azur: {} }, "web", CLOUDS);
    expect(parsed.problems.map((p) => p.path.join("."))).toEqual(["ports.0.port", "ports.1.protocol", "rootVolumeGiB", "azur", "ingressCidrs.0"]);
    expect(parsed.problems[3]!.message).toMatch(/^unknown field \(did you mean "azure"\?\)/);
  });

  it("rejects an Output where placement needs a plain value, and accepts one for userData", () => {
    const parsed = parseArgs({ demand: pulumi.output({ replicas: 2 }), userData: pulumi.output("#!/bin/sh") }, "web", CLOUDS);
    expect(parsed.problems).toEqual([{ path: ["demand"], message: "must be a plain value known at preview, not an Output: it decides the placement and the resources" }]);
    expect(parseArgs({ userData: pulumi.output("#!/bin/sh") }, "web", CLOUDS).problems).toEqual([]);
  });

  it("rejects the same port declared twice", () => {
    const parsed = parseArgs({ ports: [{ port: 443 }, { port: 443, protocol: "tcp" }], ingressCidrs: ["10.0.0.0/8"] }, "web", CLOUDS);
    expect(parsed.problems).toEqual([{ path: ["ports", 1], message: "declares tcp/443 twice" }]);
  });
});

describe("cidrProblem", () => {
  it.each(["0.0.0.0/0", "10.0.0.0/8", "192.168.1.0/24", "203.0.113.7/32"])("accepts %s", (cidr) => {
    expect(cidrProblem(cidr)).toBeUndefined();
  });

  it.each([
    ["10.0.0.0", "expected an IPv4 CIDR block such as 10.0.0.0/8, got \"10.0.0.0\""],
    ["256.0.0.0/8", "expected an IPv4 CIDR block such as 10.0.0.0/8, got \"256.0.0.0/8\""],
    ["::/0", "expected an IPv4 CIDR block such as 10.0.0.0/8, got \"::/0\""],
    ["192.168.1.1/24", "192.168.1.1/24 has host bits set: did you mean 192.168.1.0/24?"],
  ])("rejects %s", (cidr, message) => {
    expect(cidrProblem(cidr)).toBe(message);
  });
});

function prepared(p: Partial<PreparedCloud>): PreparedCloud {
  return { networkRegions: [], networkArg: "aws.networks", defaultProvider: () => { throw new Error("unused"); }, emit: () => ({ groups: [], endpoints: [] }), ...p };
}

describe("region checks", () => {
  const explicit = prepared({ providers: { "us-east-1": {} as never }, networkRegions: ["us-east-2"] });

  it("names region keys outside the spec's regions", () => {
    expect(regionKeyProblems("aws", explicit, ["us-east-1", "us-west-2"])).toEqual([
      { path: ["aws", "networks", "us-east-2"], message: 'region not in providers.aws.regions (us-east-1, us-west-2) (did you mean "us-east-1"?)' },
    ]);
    expect(regionKeyProblems("aws", explicit, undefined)).toEqual([]);
  });

  it("needs an explicit provider for every region, and nothing when providers are not explicit", () => {
    expect(providerCoverageProblems("aws", explicit, ["us-east-1", "us-west-2"]).map((p) => p.message)).toEqual([
      'has no provider for region us-west-2, where the workload may be placed: add aws.providers["us-west-2"], or remove aws.providers to let the component create one provider per region',
    ]);
    expect(providerCoverageProblems("aws", prepared({}), ["us-west-2"])).toEqual([]);
  });

  it("needs networks only where the component may not create them", () => {
    const rules = { createNetworks: true, assignPublicIp: false };
    expect(networkProblems("aws", explicit, ["us-east-1"], rules)).toEqual([]);
    expect(networkProblems("aws", explicit, ["us-east-1"], { ...rules, createNetworks: false }).map((p) => p.path)).toEqual([["aws", "networks", "us-east-1"]]);
    expect(networkProblems("aws", explicit, ["us-east-2"], { ...rules, createNetworks: false })).toEqual([]);
    expect(networkProblems("aws", explicit, ["us-east-1"], { ...rules, assignPublicIp: true }).map((p) => p.path)).toEqual([["assignPublicIp"]]);
  });
});

describe("emitter registry", () => {
  it("loads one emitter per cloud of the registry, for that cloud", async () => {
    const emitters = await Promise.all(REGISTRY.adapters.map((c) => c.loadWorkloadEmitter()));
    expect(emitters.map((e) => e.cloud)).toEqual(REGISTRY.names);
  });

  it("lets every cloud's args be absent when the cloud is not used", async () => {
    const catalog = catalogOf([offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge" })]);
    const spec = validateSpec({ name: "web", demand: { replicas: 1, cpu: 1, memoryGiB: 1 }, providers: { aws: {} } }, catalog, REGISTRY);
    const common = parseArgs({}, "web", CLOUDS).common!;
    for (const emitter of await Promise.all(REGISTRY.adapters.map((c) => c.loadWorkloadEmitter()))) {
      const result = emitter.prepare(undefined, { spec, common });
      expect(result.problems, emitter.cloud).toEqual([]);
      expect(result.prepared?.providers, emitter.cloud).toBeUndefined();
    }
  });
});
