/**
 * The plugin's provider, in process: the served schema (generated at build time) matches the
 * component args, and `construct` builds components under Pulumi's mocks, returning their outputs
 * or their failure.
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import { COMPONENTS, MulticloudProvider } from "../../provider/resources";
import { argNames } from "../../components/workload/settings";
import { CLOUDS } from "../../clouds/registry";
import { allowedKeys } from "../../core/spec/issues";
import { workloadSpecSchema } from "../../core/spec/schema";
import { setupPulumi, valueOf } from "./harness";
import { webArgs } from "./scenario";

const TOKEN = "multicloud:index:MultiCloudWorkload";

interface Schema {
  name: string;
  version: string;
  resources: Record<string, { isComponent: boolean; inputProperties: Record<string, unknown>; requiredInputs: string[]; properties: Record<string, unknown> }>;
  types: Record<string, { enum?: { value: string }[] }>;
}

describe("getSchema", () => {
  it("serves the multicloud package with every component of the token map", async () => {
    const schema = JSON.parse(await new MulticloudProvider().getSchema()) as Schema;
    expect(schema.name).toBe("multicloud");
    const components = Object.keys(schema.resources).filter((token) => schema.resources[token]!.isComponent);
    expect(components.sort()).toEqual(Object.keys(COMPONENTS).sort());
    // Besides the components: the package's own custom resources, which the plugin serves (kit/package-resources.ts).
    expect(Object.keys(schema.resources).filter((token) => !schema.resources[token]!.isComponent)).toEqual(["multicloud:azure:DataFactoryTrigger"]);
  });

  it("lists exactly the args the component accepts, and its outputs", async () => {
    const schema = JSON.parse(await new MulticloudProvider().getSchema()) as Schema;
    const workload = schema.resources[TOKEN]!;
    expect(Object.keys(workload.inputProperties).sort()).toEqual(argNames(CLOUDS.names).sort());
    expect(workload.requiredInputs).toEqual(["demand", "providers"]);
    expect(Object.keys(workload.properties).sort()).toEqual(["dnsName", "endpoints", "groups", "monthlyCostUsd", "placementSource", "plan", "spec"]);
    expect(schema.types["multicloud:index:InstanceArch"]!.enum!.map((e) => e.value)).toEqual(["x86_64", "arm64", "any"]);
    expect(schema.types["multicloud:index:PlacementSource"]!.enum!.map((e) => e.value)).toEqual(["pinned", "computed"]);
  });

  it("types every spec section with exactly the fields the spec schema accepts", async () => {
    const schema = JSON.parse(await new MulticloudProvider().getSchema()) as Schema & { types: Record<string, { properties?: object }> };
    const fields = (type: string) => Object.keys(schema.types[`multicloud:index:${type}`]!.properties!).sort();
    const sections: [string[], string][] = [
      [["demand"], "WorkloadDemandArgs"],
      [["demand", "fromMetrics"], "WorkloadFromMetricsArgs"],
      [["instance"], "WorkloadInstanceArgs"],
      [["instance", "families"], "WorkloadFamiliesArgs"],
      [["providers", "aws"], "WorkloadProviderArgs"],
      [["constraints"], "WorkloadConstraintsArgs"],
      [["scaling"], "WorkloadScalingArgs"],
      [["compliance"], "WorkloadComplianceArgs"],
    ];
    for (const [path, type] of sections) expect(fields(type), path.join(".")).toEqual(allowedKeys(workloadSpecSchema(CLOUDS), path).sort());
  });

  it("keeps what decides the placement plain, and lets what the resources take be another resource's output", async () => {
    type Prop = { plain?: boolean; $ref?: string; items?: Prop; additionalProperties?: Prop };
    const schema = JSON.parse(await new MulticloudProvider().getSchema()) as Schema & { types: Record<string, { properties?: Record<string, Prop> }> };
    const inputs = schema.resources[TOKEN]!.inputProperties as Record<string, Prop>;
    for (const key of ["name", "demand", "instance", "providers", "constraints", "scaling", "compliance", "traffic", "catalog", "aws", "azure", "gcp"]) {
      expect(inputs[key]!.plain, key).toBe(true);
    }
    expect(inputs.userData!.plain, "userData").toBeUndefined();
    const field = (type: string, name: string) => schema.types[`multicloud:index:${type}`]!.properties![name]!;
    // Network ids, images and the SSH key accept outputs (the generated SDKs type them as inputs).
    expect(field("AwsNetworkArgs", "vpcId").plain).toBeUndefined();
    expect(field("AwsNetworkArgs", "subnetIds").items!.plain).toBeUndefined();
    expect(field("AwsWorkloadArgs", "amis").additionalProperties!.plain).toBeUndefined();
    expect(field("AzureWorkloadArgs", "sshPublicKey").plain).toBeUndefined();
    expect(field("AzureWorkloadArgs", "subnetIds").additionalProperties!.plain).toBeUndefined();
    expect(field("GcpNetworkArgs", "subnetwork").plain).toBeUndefined();
    // The region keys of providers and networks stay plain maps: they decide which regions get resources.
    expect(field("AwsWorkloadArgs", "providers").plain).toBe(true);
    expect(field("AwsWorkloadArgs", "networks").plain).toBe(true);
  });

  it("describes every property without pointing to files users do not have", async () => {
    const text = await new MulticloudProvider().getSchema();
    expect(text).not.toMatch(/DESIGN\.md|README|\.md\b/);
  });

  it("types the outputs whose shape is fixed", async () => {
    const schema = JSON.parse(await new MulticloudProvider().getSchema()) as Schema;
    const outputs = schema.resources[TOKEN]!.properties as Record<string, { $ref?: string; items?: { $ref?: string } }>;
    expect(outputs.plan!.$ref).toBe("#/types/multicloud:index:WorkloadPlanOutput");
    expect(outputs.groups!.items!.$ref).toBe("#/types/multicloud:index:WorkloadGroupOutput");
    expect(outputs.placementSource!.$ref).toBe("#/types/multicloud:index:PlacementSource");
    const backup = schema.resources["multicloud:index:CrossCloudBackup"]!.properties as Record<string, { $ref?: string }>;
    expect(backup.destination!.$ref).toBe("#/types/multicloud:index:BackupDestinationOutput");
    expect(backup.plan!.$ref).toBe("#/types/multicloud:index:BackupPlanOutput");
  });

  it("references explicit providers as provider resources of their packages, and only existing types", async () => {
    const text = await new MulticloudProvider().getSchema();
    const refs = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    const external = [...new Set(refs.filter((r) => r.startsWith("/")))].sort();
    expect(external).toEqual(["/aws/v7.48.0/schema.json#/provider", "/azure-native/v3.28.0/schema.json#/provider", "/gcp/v9.37.0/schema.json#/provider"]);
    const schema = JSON.parse(text) as Schema;
    for (const ref of refs.filter((r) => r.startsWith("#/types/"))) expect(schema.types[ref.slice("#/types/".length)], ref).toBeDefined();
  });
});

describe("construct", () => {
  it("builds a MultiCloudWorkload under mocks and returns its outputs", async () => {
    const h = await setupPulumi();
    const result = await new MulticloudProvider().construct("web", TOKEN, webArgs() as never, {});
    expect(await valueOf(result.urn as never)).toBe(`urn:pulumi:dev::project::${TOKEN}::web`);
    expect(Object.keys(result.state).sort()).toEqual(["dnsName", "endpoints", "groups", "monthlyCostUsd", "placementSource", "plan", "spec"]);
    expect(await valueOf(result.state.placementSource as never)).toBe("computed");
    expect(await valueOf(result.state.monthlyCostUsd as never)).toBeGreaterThan(0);
    await h.settle();
    expect(h.ofType("aws:autoscaling/group:Group")).toHaveLength(2);
  });

  it("fails with the component's message when its args are bad", async () => {
    await setupPulumi();
    const failure = await new MulticloudProvider()
      .construct("web", TOKEN, webArgs({ ingressCidrs: ["10.0.0.1/8"] }) as never, {})
      .then(() => "no failure", (err: Error) => err.message);
    expect(failure).toBe('invalid MultiCloudWorkload "web" args: ingressCidrs[0]: 10.0.0.1/8 has host bits set: did you mean 10.0.0.0/8?');
  });

  it("turns explicit provider references from the engine back into Provider objects", async () => {
    await setupPulumi();
    // The program's own providers, as the engine knows them.
    const mine = [new AwsProvider("mine", { region: "us-east-1" }), new AzureProvider("mine", { location: "eastus" }), new GcpProvider("mine", { region: "us-central1" })];
    await Promise.all(mine.map((p) => valueOf(p.urn)));
    await MulticloudProvider.create();
    for (const { providerPackage: p } of await Promise.all(CLOUDS.adapters.map((c) => c.loadWorkloadEmitter()))) {
      const urn = `urn:pulumi:dev::project::pulumi:providers:${p.name}::mine`;
      const registered = pulumi.runtime.getResourcePackage(p.name, p.version);
      expect(registered, p.name).toBeDefined();
      const provider = registered!.constructProvider("mine", `pulumi:providers:${p.name}`, urn);
      expect((provider as unknown as { __pulumiType: string }).__pulumiType).toBe(`pulumi:providers:${p.name}`);
      expect(await valueOf(provider.urn)).toBe(urn);
    }
  });

  it("rejects an unknown token, naming the ones it provides", async () => {
    const failure = await new MulticloudProvider()
      .construct("web", "multicloud:index:MultiCloudWorkloads", {}, {})
      .then(() => "no failure", (err: Error) => err.message);
    expect(failure).toBe(
      'unknown resource type multicloud:index:MultiCloudWorkloads (did you mean "multicloud:index:MultiCloudWorkload"?): this plugin provides multicloud:index:MultiCloudWorkload, multicloud:index:CrossCloudBackup',
    );
  });
});
