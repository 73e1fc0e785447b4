/**
 * provider/engine-args.ts in process, on the served schema: Construct inputs as the Node.js provider
 * server hands them over (a whole section wrapped in one Output when it held a secret or a
 * referenced resource) come back in the shape of the args interfaces, with secretness and
 * dependencies on the fields that accept outputs, plain values where the placement needs them.
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { settleInputs, type SchemaProperty, type SchemaTypes } from "../../provider/engine-args";
import schema from "../../provider/schema.json";
import { isKnown, valueOf } from "./harness";

const workload = (schema.resources as Record<string, { inputProperties: Record<string, SchemaProperty> }>)["multicloud:index:MultiCloudWorkload"]!.inputProperties;
const types = schema.types as unknown as SchemaTypes;
const SUBNET = "urn:pulumi:dev::proj::aws:ec2/subnet:Subnet::private-a";

/** An Output as the provider server builds it for a section with dependencies, maybe secret. */
function wrapped(value: unknown, options: { secret?: boolean; dependencies?: string[] }): pulumi.Output<unknown> {
  const deps = (options.dependencies ?? []).map((urn) => new pulumi.DependencyResource(urn));
  const Output = pulumi.Output as unknown as new (...args: unknown[]) => pulumi.Output<unknown>;
  return new Output(deps, Promise.resolve(value), Promise.resolve(true), Promise.resolve(options.secret ?? false), Promise.resolve([]));
}

async function state(output: unknown): Promise<{ value: unknown; known: boolean; secret: boolean; urns: string[] }> {
  expect(pulumi.Output.isInstance(output)).toBe(true);
  const o = output as pulumi.Output<unknown> & { isSecret: Promise<boolean>; allResources(): Promise<Set<pulumi.Resource>> };
  const resources = [...(await o.allResources())];
  return { value: await valueOf(o), known: await isKnown(o), secret: await o.isSecret, urns: await Promise.all(resources.map((r) => valueOf(r.urn) as Promise<string>)) };
}

describe("settleInputs", () => {
  it("unwraps a section the SDK wrapped in one Output, carrying its dependencies and secretness to the fields that accept outputs", async () => {
    const aws = wrapped({ networks: { "us-east-1": { vpcId: "vpc-1", subnetIds: ["subnet-1"] } }, egress: "nat" }, { secret: true, dependencies: [SUBNET] });
    const { args, problems, plainDependencies } = await settleInputs({ aws, ingressCidrs: ["10.0.0.0/8"] }, workload, types);
    expect(problems).toEqual([]);
    const section = args.aws as { networks: Record<string, { vpcId: unknown; subnetIds: unknown[] }>; egress: unknown };
    expect(await state(section.networks["us-east-1"]!.subnetIds[0])).toEqual({ value: "subnet-1", known: true, secret: true, urns: [SUBNET] });
    expect(await state(section.networks["us-east-1"]!.vpcId)).toEqual({ value: "vpc-1", known: true, secret: true, urns: [SUBNET] });
    // A plain field (it decides resources) is a plain value; the component depends on where it came from.
    expect(section.egress).toBe("nat");
    expect(await Promise.all(plainDependencies.map((r) => valueOf(r.urn)))).toEqual([SUBNET]);
    expect(args.ingressCidrs).toEqual(["10.0.0.0/8"]);
  });

  it("turns an unknown where an output is accepted into an unknown Output, and names an unknown where a plain value is needed", async () => {
    const { args, problems } = await settleInputs(
      { userData: pulumi.unknown, providers: { aws: { regions: ["us-east-1", pulumi.unknown] } } },
      workload,
      types,
    );
    expect(await state(args.userData)).toEqual({ value: undefined, known: false, secret: false, urns: [] });
    expect(problems).toEqual(["providers.aws.regions[1]: must be known at preview, not computed by a resource that does not exist yet: it decides the placement and the resources"]);
  });

  it("leaves plain inputs and fields the schema does not know untouched, for the component to judge", async () => {
    const inputs = { demand: { replicas: 2, cpu: 1, memoryGiB: 2, surprise: true }, nonsense: { a: 1 } };
    const { args, problems, plainDependencies } = await settleInputs(inputs, workload, types);
    expect(args).toEqual(inputs);
    expect(problems).toEqual([]);
    expect(plainDependencies).toEqual([]);
  });
});
