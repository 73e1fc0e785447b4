/**
 * Inputs that accept outputs, over gRPC (issue 15): a YAML or Python program sends a tag value as a
 * secret and `traffic.dns.zoneId` as another resource's output (a hosted zone it creates), through
 * the fake engine (test/fakes/engine.ts) to the plugin started from PulumiPlugin.yaml's `main`.
 * The children carry them: the tag on every cloud, still secret; the zone id on every Route 53
 * record, with the zone recorded as a dependency; in a preview, the zone id is unknown and the same
 * records are registered. The `spec` output it returns is the type the schema declares (every
 * field declared, with its type), not `any`. Needs `npm run build`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeEngine, type Registration } from "../fakes/engine";
import { isSecret, outputValue, plain, secret, UNKNOWN } from "../fakes/engine-wire";
import { webArgs } from "./scenario";
import schema from "../../provider/schema.json";

const WORKLOAD = "multicloud:index:MultiCloudWorkload";
const RECORD = "aws:route53/record:Record";
const TAGGED = ["aws:ec2/vpc:Vpc", "aws:ec2/launchTemplate:LaunchTemplate", "azure-native:resources:ResourceGroup", "azure-native:compute:VirtualMachineScaleSet"];
const OWNER = "Team-Web@Example.com";

let engine: FakeEngine;
let zoneUrn: string;

beforeAll(async () => {
  engine = await FakeEngine.start({ env: { MULTICLOUD_OFFLINE: "1" } });
  zoneUrn = engine.addProgramResource({ type: "aws:route53/zone:Zone", name: "example", id: "Z0PROGRAMZONE" });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

beforeEach(() => engine.reset());

/** webArgs() as plain wire values, internet-facing with a DNS name in the program's zone, and `tags` given. */
function inputs(zoneId: unknown, tags: Record<string, unknown>): Record<string, unknown> {
  const base = JSON.parse(JSON.stringify(webArgs({ ingressCidrs: ["0.0.0.0/0"] }))) as Record<string, unknown>;
  return { ...base, tags, traffic: { port: 443, public: true, dns: { zoneId, name: "web.example.com" } } };
}

/** The owner tag of a child (`tags.owner`, an ASG's entry, a GCP label), and whether it is secret there. */
function ownerTag(r: Registration): { value: unknown; secret: boolean } {
  const property = r.type.startsWith("gcp:") ? r.object.labels : r.object.tags;
  const lifted = isSecret(property);
  const inner = lifted ? (property as { value: unknown }).value : property;
  const value = Array.isArray(inner) ? (inner as { key: string; value: unknown }[]).find((t) => t.key === "owner")?.value : (inner as Record<string, unknown>).owner;
  return { value: plain(value), secret: lifted || isSecret(value) || (typeof value === "object" && value !== null && (value as { secret?: boolean }).secret === true) };
}

interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
}
const TYPES = schema.types as unknown as Record<string, { properties?: Record<string, SchemaProperty>; enum?: unknown[] }>;

/** Where `value` does not fit the schema type `property` (paths of undeclared or mistyped fields). */
function misfits(value: unknown, property: SchemaProperty, path: string): string[] {
  if (value === null || value === undefined) return [];
  if (property.$ref === "pulumi.json#/Any") return [];
  if (property.$ref) {
    const type = TYPES[property.$ref.replace("#/types/", "")];
    if (!type) return [`${path}: unknown type ${property.$ref}`];
    if (type.enum) return typeof value === "string" ? [] : [`${path}: expected an enum string`];
    if (typeof value !== "object" || Array.isArray(value)) return [`${path}: expected an object`];
    return Object.entries(value).flatMap(([k, v]) => (type.properties?.[k] ? misfits(v, type.properties[k]!, `${path}.${k}`) : [`${path}.${k}: not in the schema`]));
  }
  switch (property.type) {
    case "array":
      return Array.isArray(value) ? value.flatMap((v, i) => misfits(v, property.items!, `${path}[${i}]`)) : [`${path}: expected an array`];
    case "object":
      return typeof value === "object" && !Array.isArray(value) ? Object.entries(value).flatMap(([k, v]) => misfits(v, property.additionalProperties!, `${path}.${k}`)) : [`${path}: expected a map`];
    case "number":
    case "integer":
      return typeof value === "number" ? [] : [`${path}: expected a number`];
    default:
      return typeof value === property.type ? [] : [`${path}: expected ${property.type}`];
  }
}

describe("inputs that accept outputs, constructed over gRPC", () => {
  it("carries a secret tag value to every cloud's children, still secret, and an output zone id to every record", async () => {
    const zone = outputValue({ value: "Z0PROGRAMZONE", dependencies: [zoneUrn] });
    const result = await engine.construct({ type: WORKLOAD, name: "web", inputs: inputs(zone, { team: "web", owner: secret(OWNER) }), inputDependencies: { traffic: [zoneUrn] } });
    expect(result.state.dnsName).toBe("web.example.com");
    // The spec output, with traffic and tags, is the type the schema declares.
    const specProperty = schema.resources[WORKLOAD].properties.spec as SchemaProperty;
    expect(specProperty.$ref).toBe("#/types/multicloud:index:WorkloadSpecOutput");
    // A plain-encoded secret inside `tags` makes the whole map secret on its way to a Node.js
    // provider (the SDK lifts it to the top-level input), so both values are secret Outputs here.
    expect(result.state.spec).toMatchObject({ name: "web", tags: { team: "(output)", owner: "(output)" }, traffic: { port: 443, dns: { zoneId: "(output)", name: "web.example.com" } } });
    expect(misfits(result.state.spec, specProperty, "spec")).toEqual([]);

    const tagged = [...TAGGED.flatMap((t) => engine.ofType(t)), ...engine.ofType("aws:autoscaling/group:Group"), ...engine.ofType("gcp:compute/instanceTemplate:InstanceTemplate")];
    expect(new Set(tagged.map((r) => r.type.split(":")[0]))).toEqual(new Set(["aws", "azure-native", "gcp"]));
    for (const r of tagged) {
      // GCP labels: normalised to label rules once known, still secret.
      expect(ownerTag(r), `${r.type} ${r.name}`).toEqual({ value: r.type.startsWith("gcp:") ? "team-web_example_com" : OWNER, secret: true });
    }

    const records = engine.ofType(RECORD);
    expect(records).toHaveLength(4);
    for (const record of records) {
      expect(plain(record.object.zoneId), record.name).toBe("Z0PROGRAMZONE");
      expect(record.propertyDependencies.zoneId, record.name).toContain(zoneUrn);
    }
    // The component's recorded spec output holds no secret value and no zone id.
    const outputs = JSON.stringify(engine.outputs.get(result.urn) ?? null);
    expect(outputs).toContain('"zoneId":"(output)"');
    expect(outputs).not.toContain("Example.com");
    expect(outputs).not.toContain("Z0PROGRAMZONE");
  }, 120_000);

  it("previews with the zone not created yet: the records' zone id is unknown, and the same records are registered", async () => {
    const zone = outputValue({ value: "Z0PROGRAMZONE", dependencies: [zoneUrn] });
    await engine.construct({ type: WORKLOAD, name: "web", inputs: inputs(zone, { owner: secret(OWNER) }), inputDependencies: { traffic: [zoneUrn] } });
    const deployed = engine.ofType(RECORD).map((r) => r.name);

    engine.reset();
    await engine.construct({ type: WORKLOAD, name: "web", dryRun: true, inputs: inputs(outputValue({ dependencies: [zoneUrn] }), { owner: UNKNOWN }), inputDependencies: { traffic: [zoneUrn] } });
    const records = engine.ofType(RECORD);
    expect(records.map((r) => r.name)).toEqual(deployed);
    for (const record of records) {
      expect(record.object.zoneId, record.name).toBe(UNKNOWN);
      expect(record.propertyDependencies.zoneId, record.name).toContain(zoneUrn);
    }
  }, 120_000);

  it("fails a preview whose traffic.port is unknown (it shapes the load balancers), naming it, with no child", async () => {
    const args = inputs("Z0123456789ABC", { owner: "web" });
    (args.traffic as Record<string, unknown>).port = UNKNOWN;
    const failure = await engine.construct({ type: WORKLOAD, name: "web", dryRun: true, inputs: args }).then(
      () => "no failure",
      (err: Error) => err.message,
    );
    expect(failure).toContain('invalid MultiCloudWorkload "web" args: traffic.port: must be known at preview');
    expect(engine.registrations.filter((r) => r.type !== WORKLOAD)).toEqual([]);
  }, 120_000);
});
