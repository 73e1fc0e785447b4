/**
 * Construct over gRPC, as Pulumi YAML and Python programs reach the components: the plugin started
 * from PulumiPlugin.yaml's `main` by a fake engine (test/fakes/engine.ts) that sends Construct with
 * inputs as the engine forwards them (output values with their dependencies, secrets, resource
 * references, unknowns during a preview, dependencies only in inputDependencies) and records what
 * the plugin registers through the real SDK. Needs `npm run build` (the manifest's entry is dist/).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeEngine } from "../fakes/engine";
import { outputValue, plain, resourceRef, secret, secretPaths, UNKNOWN } from "../fakes/engine-wire";
import { SSH_KEY, webArgs } from "./scenario";

const WORKLOAD = "multicloud:index:MultiCloudWorkload";
const VERSIONS: Record<string, string> = {
  aws: require("@pulumi/aws/package.json").version as string,
  "azure-native": require("@pulumi/azure-native/package.json").version as string,
  gcp: require("@pulumi/gcp/package.json").version as string,
};
/** The program's explicit providers: package and region. */
const PROGRAM_PROVIDERS: [string, string][] = [["aws", "us-east-1"], ["aws", "us-west-2"], ["azure-native", "eastus"], ["gcp", "us-central1"]];

let engine: FakeEngine;
let vpcUrn: string;
let subnetUrn: string;
let providerUrns: Record<string, string>;

beforeAll(async () => {
  engine = await FakeEngine.start({ env: { MULTICLOUD_OFFLINE: "1" } });
  // The program's own resources, which the component's inputs reference.
  vpcUrn = engine.addProgramResource({ type: "aws:ec2/vpc:Vpc", name: "shared", id: "vpc-0shared" });
  subnetUrn = engine.addProgramResource({ type: "aws:ec2/subnet:Subnet", name: "private-a", id: "subnet-0private" });
  providerUrns = Object.fromEntries(
    PROGRAM_PROVIDERS.map(([pkg, region]) => [region, engine.addProgramResource({ type: `pulumi:providers:${pkg}`, name: `mine-${region}`, id: `prov-${region}` })]),
  );
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

beforeEach(() => engine.reset());

/** webArgs() as plain wire values, with the AWS and Azure sections replaced by `sections`. */
function inputs(sections: Record<string, unknown>): Record<string, unknown> {
  const { azure: _azure, ...rest } = webArgs();
  return { ...JSON.parse(JSON.stringify(rest)), ...sections };
}

function providerRef(region: string): Record<string, unknown> {
  const [pkg] = PROGRAM_PROVIDERS.find(([, r]) => r === region)!;
  return resourceRef(providerUrns[region]!, `prov-${region}`, VERSIONS[pkg]);
}

/** The sections a YAML program sends: a subnet id from another resource, its own providers, a secret key. */
function yamlSections(subnetId: unknown, vpcId: unknown): Record<string, unknown> {
  return {
    aws: {
      providers: { "us-east-1": providerRef("us-east-1"), "us-west-2": providerRef("us-west-2") },
      networks: { "us-east-1": { vpcId, subnetIds: [subnetId] } },
    },
    azure: { providers: { eastus: providerRef("eastus") }, sshPublicKey: outputValue({ value: SSH_KEY, secret: true }) },
    gcp: { providers: { "us-central1": providerRef("us-central1") } },
  };
}

/** What every SDK records: each referenced resource is a dependency of the property holding it. */
const awsDependencies = () => ({
  aws: [providerUrns["us-east-1"]!, providerUrns["us-west-2"]!, vpcUrn, subnetUrn],
  azure: [providerUrns.eastus!],
  gcp: [providerUrns["us-central1"]!],
});

function childNames(): string[] {
  return engine.registrations.filter((r) => r.type !== WORKLOAD).map((r) => `${r.type}::${r.name}`).sort();
}

describe("MultiCloudWorkload constructed over gRPC", () => {
  it("deploys across three clouds with a subnet id from another resource, the program's AWS providers and a secret SSH key", async () => {
    const subnet = outputValue({ value: "subnet-0private", dependencies: [subnetUrn] });
    const vpc = outputValue({ value: "vpc-0shared", dependencies: [vpcUrn] });
    const result = await engine.construct({ type: WORKLOAD, name: "web", inputs: inputs(yamlSections(subnet, vpc)), inputDependencies: awsDependencies() });

    expect(result.urn).toBe(`urn:pulumi:dev::proj::${WORKLOAD}::web`);
    expect(result.state.placementSource).toBe("computed");
    expect(result.state.monthlyCostUsd).toBeGreaterThan(0);
    const clouds = new Set(engine.registrations.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.type.split(":")[0]));
    expect([...clouds].sort()).toEqual(["aws", "azure-native", "gcp"]);

    // The ASG in the given network launches into the subnet, and depends on the subnet resource.
    const east = engine.ofType("aws:autoscaling/group:Group").filter((g) => g.name.includes("us-east-1"));
    expect(east.length).toBeGreaterThan(0);
    for (const group of east) {
      expect(plain(group.object.vpcZoneIdentifiers)).toEqual(["subnet-0private"]);
      expect(group.propertyDependencies.vpcZoneIdentifiers).toContain(subnetUrn);
      // The program's provider for the region, not one the component would create.
      expect(group.provider).toBe(`${providerUrns["us-east-1"]}::prov-us-east-1`);
    }
    const sg = engine.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.includes("us-east-1"))!;
    expect(plain(sg.object.vpcId)).toBe("vpc-0shared");
    expect(sg.propertyDependencies.vpcId).toContain(vpcUrn);
    // Every child uses the program's provider of its region: the component creates none.
    expect(engine.registrations.filter((r) => r.type.startsWith("pulumi:providers:"))).toEqual([]);
    for (const [type, region] of [["azure-native:compute:VirtualMachineScaleSet", "eastus"], ["gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "us-central1"]] as const) {
      const groups = engine.ofType(type);
      expect(groups.length, type).toBeGreaterThan(0);
      for (const g of groups) expect(g.provider, g.name).toBe(`${providerUrns[region]}::prov-${region}`);
    }

    // The SSH key reaches the scale set still secret.
    const [scaleSet] = engine.ofType("azure-native:compute:VirtualMachineScaleSet");
    expect(scaleSet).toBeDefined();
    expect(secretPaths(scaleSet!.object)).toContain("virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys[0].keyData");
    expect(JSON.stringify(plain(scaleSet!.object))).toContain(SSH_KEY);
  }, 120_000);

  it("accepts values whose dependencies come only in inputDependencies, and secrets sent as plain secrets", async () => {
    const sections = yamlSections("subnet-0private", "vpc-0shared");
    (sections.azure as Record<string, unknown>).sshPublicKey = secret(SSH_KEY);
    await engine.construct({ type: WORKLOAD, name: "web", inputs: inputs(sections), inputDependencies: awsDependencies() });

    const east = engine.ofType("aws:autoscaling/group:Group").filter((g) => g.name.includes("us-east-1"));
    expect(east.length).toBeGreaterThan(0);
    for (const group of east) {
      expect(plain(group.object.vpcZoneIdentifiers)).toEqual(["subnet-0private"]);
      expect(group.propertyDependencies.vpcZoneIdentifiers).toContain(subnetUrn);
      expect(group.provider).toBe(`${providerUrns["us-east-1"]}::prov-us-east-1`);
    }
    const [scaleSet] = engine.ofType("azure-native:compute:VirtualMachineScaleSet");
    expect(secretPaths(scaleSet!.object)).toContain("virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys[0].keyData");
  }, 120_000);

  it("previews with unknown inputs and registers the same children as the update", async () => {
    const known = outputValue({ value: "subnet-0private", dependencies: [subnetUrn] });
    await engine.construct({ type: WORKLOAD, name: "web", inputs: inputs(yamlSections(known, "vpc-0shared")), inputDependencies: awsDependencies() });
    const deployed = childNames();

    engine.reset();
    // The subnet and VPC do not exist yet: an unknown output value, and the unknown sentinel.
    const unknownSubnet = outputValue({ dependencies: [subnetUrn] });
    const result = await engine.construct({
      type: WORKLOAD,
      name: "web",
      dryRun: true,
      inputs: inputs(yamlSections(unknownSubnet, UNKNOWN)),
      inputDependencies: awsDependencies(),
    });
    expect(result.state.placementSource).toBe("computed");
    expect(childNames()).toEqual(deployed);
    for (const group of engine.ofType("aws:autoscaling/group:Group").filter((g) => g.name.includes("us-east-1"))) {
      expect(group.object.vpcZoneIdentifiers).toEqual([UNKNOWN]);
      expect(group.propertyDependencies.vpcZoneIdentifiers).toContain(subnetUrn);
    }
  }, 120_000);

  it("fails a preview whose placement input is unknown, naming the field, with no child", async () => {
    const args = inputs(yamlSections("subnet-0private", "vpc-0shared"));
    (args.providers as Record<string, { regions: unknown[] }>).azure!.regions = [UNKNOWN];
    const failure = await engine.construct({ type: WORKLOAD, name: "web", dryRun: true, inputs: args, inputDependencies: awsDependencies() }).then(
      () => "no failure",
      (err: Error) => err.message,
    );
    expect(failure).toContain('invalid MultiCloudWorkload "web" args: providers.azure.regions[0]: must be known at preview');
    expect(engine.registrations).toEqual([]);
  }, 120_000);

  it("fails a bad arg with a Construct error naming the field, and registers no child", async () => {
    const args = { ...inputs(yamlSections("subnet-0private", "vpc-0shared")), ingressCidrs: ["10.0.0.1/8"] };
    const failure = await engine.construct({ type: WORKLOAD, name: "web", inputs: args, inputDependencies: awsDependencies() }).then(
      () => "no failure",
      (err: Error) => err.message,
    );
    expect(failure).toContain('invalid MultiCloudWorkload "web" args: ingressCidrs[0]: 10.0.0.1/8 has host bits set: did you mean 10.0.0.0/8?');
    expect(engine.registrations.filter((r) => r.type !== WORKLOAD)).toEqual([]);
  }, 120_000);
});
