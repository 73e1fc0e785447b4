/**
 * Bad args fail `pulumi preview` with a message naming the field, the rule and the fix, before any
 * child resource is registered (not even a provider): the placement is resolved first.
 */
import { describe, expect, it } from "vitest";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import { setupPulumi, valueOf, type Harness } from "./harness";
import { webArgs } from "./scenario";

const COMPONENT = "multicloud:index:MultiCloudWorkload";

/** The failure message of a component, or "no failure". */
async function failure(w: MultiCloudWorkload): Promise<string> {
  return w.ready().then(
    () => "no failure",
    (err: Error) => err.message,
  );
}

/** Resources the component registered (its own registration, and anything parented to it). */
function registeredByComponent(h: Harness): string[] {
  return h.urns().filter((urn) => urn.includes(`::${COMPONENT}`));
}

/**
 * Runs `pulumi preview` (mocks in preview mode) on bad args: the failure must come before any child.
 * Args holding resources (providers) are built by a function, after the mocks are set: a resource
 * registers with the engine it is created under, not with a later one.
 */
async function failWith(args: MultiCloudWorkloadArgs | (() => MultiCloudWorkloadArgs)): Promise<string> {
  const h = await setupPulumi({ preview: true });
  const workload = new MultiCloudWorkload("web", typeof args === "function" ? args() : args);
  const message = await failure(workload);
  await valueOf(workload.urn); // the component's own registration has completed
  expect(registeredByComponent(h)).toEqual([`urn:pulumi:dev::project::${COMPONENT}::web`]);
  expect(h.resources.filter((r) => r.type !== COMPONENT && r.type !== "pulumi:providers:aws" && !r.name.startsWith("mine-"))).toEqual([]);
  return message;
}

describe("MultiCloudWorkload with bad args", () => {
  it("names a region that has no provider when providers are explicit", async () => {
    const message = await failWith(() => webArgs({ aws: { providers: { "us-east-1": new AwsProvider("mine-east", { region: "us-east-1" }) } } }));
    expect(message).toBe(
      'invalid MultiCloudWorkload "web" args: aws.providers: has no provider for region us-west-2, where the workload may be placed: add aws.providers["us-west-2"], or remove aws.providers to let the component create one provider per region',
    );
  });

  it("checks explicit providers against the planned regions when the spec lists none", async () => {
    const message = await failWith(() => {
      const args = webArgs({ aws: { providers: { "us-east-1": new AwsProvider("mine-east", { region: "us-east-1" }) } } });
      args.providers = { ...args.providers, aws: {} };
      return args;
    });
    expect(message).toMatch(/aws\.providers: has no provider for region us-west-2/);
  });

  it("rejects a provider keyed by a region the spec does not allow, with a suggestion", async () => {
    const message = await failWith(() => {
      const providers = { "us-east-1": new AwsProvider("mine-east", { region: "us-east-1" }), "us-west-2": new AwsProvider("mine-west", { region: "us-west-2" }), "us-wesst-2": new AwsProvider("mine-typo", { region: "us-west-2" }) };
      return webArgs({ aws: { providers } });
    });
    expect(message).toContain('aws.providers.us-wesst-2: region not in providers.aws.regions (us-east-1, us-west-2) (did you mean "us-west-2"?)');
  });

  it("rejects something that is not a provider resource", async () => {
    const message = await failWith(webArgs({ aws: { providers: { "us-east-1": { region: "us-east-1" } as never } } }));
    expect(message).toContain("aws.providers.us-east-1: expected a aws provider resource (new aws.Provider(...))");
  });

  it("requires a network in every planned region when the component may not create one", async () => {
    const message = await failWith(webArgs({ createNetworks: false, aws: { networks: { "us-east-1": { vpcId: "vpc-1", subnetIds: ["subnet-1"] } } } }));
    expect(message).toContain('aws.networks.us-west-2: is required: the plan places instances in aws/us-west-2 and createNetworks is false. Give the network there, or set createNetworks to true');
    expect(message).toContain("azure.subnetIds.eastus: is required");
    expect(message).toContain("gcp.networks.us-central1: is required");
    expect(message).not.toContain("aws.networks.us-east-1");
  });

  it("rejects conflicting options", async () => {
    const anyArch = webArgs({ instance: { arch: "any" }, aws: { amis: { "us-east-1": "ami-123" } } });
    expect(await failWith(anyArch)).toContain("aws.amis: one image cannot serve both architectures: set instance.arch to x86_64 or arm64, or remove aws.amis");

    const publicIp = webArgs({ assignPublicIp: true });
    expect(await failWith(publicIp)).toContain(
      'assignPublicIp: conflicts with the private network the component would create in aws/us-east-1 (instances there reach the internet through NAT, never through a public IP of their own): give aws.networks["us-east-1"] with internet access, or leave assignPublicIp false',
    );

    expect(await failWith(webArgs({ ingressCidrs: [] }))).toContain("ingressCidrs: is required when ports are declared");
    expect(await failWith(webArgs({ ports: [] }))).toContain("ports: is required when ingressCidrs are given");
  });

  it("rejects a CIDR with host bits set, suggesting the network address", async () => {
    expect(await failWith(webArgs({ ingressCidrs: ["10.1.2.3/16"] }))).toContain("ingressCidrs[0]: 10.1.2.3/16 has host bits set: did you mean 10.1.0.0/16?");
  });

  it("requires the Azure admin SSH key when Azure is a provider", async () => {
    expect(await failWith(webArgs({ azure: {} }))).toContain("azure.sshPublicKey: is required when azure is a provider");
  });

  it("rejects tags that collapse into one GCP label, and the component's own tag keys", async () => {
    expect(await failWith(webArgs({ tags: { Team: "a", team: "b" } }))).toBe(
      'invalid MultiCloudWorkload "web" args: tags.team: becomes the GCP label "team", like tags.Team: GCP label keys are lower-case letters, digits, _ and -, so rename one of them',
    );
    expect(await failWith(webArgs({ tags: { "multicloud-plan": "x" } }))).toContain("tags.multicloud-plan: is set by the component");
  });

  it("reports unknown args with a suggestion, and every problem at once", async () => {
    const args = { ...webArgs(), tag: { a: "b" }, demand: { replicas: 24, cpu: -2, memoryGiB: 8 } } as unknown as MultiCloudWorkloadArgs;
    const message = await failWith(args);
    expect(message).toMatch(/^invalid MultiCloudWorkload "web" args \(2 problems\):/);
    expect(message).toContain('tag: unknown field (did you mean "tags"?)');
    expect(message).toContain("demand.cpu: expected a number >= 0.001, got -2");
  });

  it("names a missing catalog file", async () => {
    expect(await failWith(webArgs({ catalog: "/nonexistent/prices.csv" }))).toContain("catalog: catalog file not found: /nonexistent/prices.csv");
  });

  it("fails an infeasible spec with the constraints that make it so", async () => {
    const args = webArgs();
    args.constraints = { ...args.constraints, maxMonthlyUsd: 100 };
    expect(await failWith(args)).toMatch(/constraints\.maxMonthlyUsd/);
  });
});
