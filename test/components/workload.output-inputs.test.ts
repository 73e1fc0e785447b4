/**
 * Inputs that accept outputs (issue 15), under Pulumi's mocks: a tag's value and
 * `traffic.dns.zoneId` may come from another resource, known (an update) or unknown (a preview),
 * and may be secret. The children on every cloud carry the value (GCP labels normalised once it is
 * known), the secret stays secret in their inputs, and the plan is the same as with plain values.
 * The planning core never sees the value: the `spec` output holds "(output)" in its place. The
 * tag keys stay plain: a whole `tags` map given as an Output is an error naming `tags`. An explicit
 * provider may be an Output of a provider resource: the region's children use that provider; an
 * unknown one is an error naming the field.
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import * as route53 from "@pulumi/aws/route53";
import * as ssm from "@pulumi/aws/ssm";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import type { Plan } from "../../core";
import { isSecret } from "../fakes/engine-wire";
import { setupPulumi, valueOf, type Harness, type Recorded } from "./harness";
import { webArgs } from "./scenario";

const TAGGED = {
  vpc: "aws:ec2/vpc:Vpc",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  resourceGroup: "azure-native:resources:ResourceGroup",
  scaleSet: "azure-native:compute:VirtualMachineScaleSet",
} as const;
const ASG = "aws:autoscaling/group:Group";
const GCP_TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";
const RECORD = "aws:route53/record:Record";
const TRAFFIC = { port: 443, public: true, dns: { name: "web.example.com" } } as const;

interface Run {
  h: Harness;
  workload: MultiCloudWorkload;
  plan: Plan;
  /** Children of the component (the program's own resources left out). */
  children: Recorded[];
}

/** One program: `source` creates the resources the values come from; the workload takes them. */
async function run(preview: boolean, args: (owner: pulumi.Output<string>, zone: pulumi.Output<string>) => MultiCloudWorkloadArgs): Promise<Run> {
  const h = await setupPulumi({ preview });
  // Azure assigns a static public IP's address on create; the mock answers it as Azure would
  // (a documentation range), so that the DNS records of traffic.dns have an address.
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const newResource = monitor.mocks.newResource.bind(monitor.mocks);
  monitor.mocks.newResource = async (a) => {
    const result = await newResource(a);
    return a.type === "azure-native:network:PublicIPAddress" && !preview ? { ...result, state: { ...result.state, ipAddress: "198.51.100.7" } } : result;
  };
  // The program's own resources: their ids are known on update, unknown in a preview.
  const owner = new ssm.Parameter("owner", { type: "String", value: "Team-Web@Example.com" }).id;
  const zone = new route53.Zone("zone", { name: "example.com" }).id;
  const workload = new MultiCloudWorkload("web", args(owner, zone));
  await workload.ready();
  await h.settle();
  const plan = (await valueOf(workload.plan)) as unknown as Plan;
  const children = h.resources.filter((r) => r.name !== "owner" && r.name !== "zone");
  return { h, workload, plan, children };
}

/** `tags.owner` (or the ASG's `owner` entry, or the GCP label) of every tagged child: its value, and whether it is secret there. */
function ownerTags(r: Run): { type: string; value: unknown; secret: boolean }[] {
  // A secret may be recorded where it sits, or on the whole property holding it (the SDK lifts it).
  const read = (type: string, property: unknown, pick: (p: any) => unknown) => {
    const lifted = isSecret(property);
    const value = pick(lifted ? (property as { value: unknown }).value : property);
    return { type, value: isSecret(value) ? (value as { value: unknown }).value : value, secret: lifted || isSecret(value) };
  };
  const out: { type: string; value: unknown; secret: boolean }[] = [];
  for (const type of Object.values(TAGGED)) for (const c of r.h.ofType(type)) out.push(read(type, c.inputs.tags, (t) => t.owner));
  for (const asg of r.h.ofType(ASG)) out.push(read(ASG, asg.inputs.tags, (t: { key: string; value: unknown }[]) => t.find((e) => e.key === "owner")?.value));
  for (const t of r.h.ofType(GCP_TEMPLATE)) out.push(read(GCP_TEMPLATE, t.inputs.labels, (l) => l.owner));
  return out;
}

/** The value inside a recorded secret. */
const secretValue = (v: unknown) => (v as { value?: unknown }).value;

describe("a tag value from another resource", () => {
  it("reaches every cloud's children, as given on AWS and Azure and as a normalised label on GCP, with the same plan as a plain value", async () => {
    const plainRun = await run(false, () => webArgs({ tags: { owner: "team-web_example_com" } }));
    const r = await run(false, (owner) => webArgs({ tags: { owner } }));
    expect(r.plan.allocations).toEqual(plainRun.plan.allocations);
    const tags = ownerTags(r);
    expect(new Set(tags.map((t) => t.type))).toEqual(new Set([...Object.values(TAGGED), ASG, GCP_TEMPLATE]));
    for (const t of tags) expect([t.value, t.secret], t.type).toEqual(["owner_id", false]);
    // The core saw that the tag is there, not its value.
    const spec = (await valueOf(r.workload.spec)) as { tags: Record<string, string> };
    expect(spec.tags.owner).toBe("(output)");
  });

  it("stays secret in every child's inputs, and out of the spec output", async () => {
    const r = await run(false, (owner) => webArgs({ tags: { owner: pulumi.secret(owner.apply(() => "Team-Web@Example.com")) } }));
    const tags = ownerTags(r);
    expect(tags.length).toBeGreaterThan(5);
    for (const t of tags) {
      expect(t.secret, t.type).toBe(true);
      // GCP: normalised to label rules once known, still secret.
      expect(t.value, t.type).toBe(t.type === GCP_TEMPLATE ? "team-web_example_com" : "Team-Web@Example.com");
    }
    expect(JSON.stringify(await valueOf(r.workload.spec))).not.toContain("Example.com");
  });

  it("is unknown in a preview, which registers the same children as the update", async () => {
    const update = await run(false, (owner) => webArgs({ tags: { owner } }));
    const preview = await run(true, (owner) => webArgs({ tags: { owner } }));
    const names = (x: Run) => x.children.map((c) => `${c.type}::${c.name}`).sort();
    expect(names(preview)).toEqual(names(update));
    for (const t of ownerTags(preview)) expect(pulumi.isUnknown(t.value), t.type).toBe(true);
  });

  it("meets compliance.requiredTags: the key is there, its value comes later", async () => {
    const r = await run(true, (owner) => webArgs({ tags: { owner }, compliance: { requiredTags: ["owner"] } }));
    expect(r.children.some((c) => c.type === ASG)).toBe(true);
  });

  it("keeps the keys plain: a whole tags map given as an Output fails naming tags, with no child", async () => {
    const h = await setupPulumi({ preview: true });
    const workload = new MultiCloudWorkload("web", webArgs({ tags: pulumi.output({ owner: "web" }) as unknown as MultiCloudWorkloadArgs["tags"] }));
    await expect(workload.ready()).rejects.toThrow(/tags: must be a plain map, not an Output: its keys are checked .* each value may be an Output/);
    await h.settle();
    expect(h.resources.filter((r) => r.type !== "multicloud:index:MultiCloudWorkload")).toEqual([]);
  });

  it("still checks a plain value, and a plain-only field given an Output is an error naming it", async () => {
    const h = await setupPulumi({ preview: true });
    const bad = new MultiCloudWorkload("web", webArgs({ tags: { owner: "x".repeat(257) } }));
    await expect(bad.ready()).rejects.toThrow(/tags\.owner: AWS allows keys of at most 127 characters .* values of at most 256/);
    const number = new MultiCloudWorkload("web3", webArgs({ tags: { owner: 5 as never } }));
    // Said once (the spec check sees the key only).
    await expect(number.ready()).rejects.toThrow(/^invalid MultiCloudWorkload "web3" args: tags\.owner: expected a string \(or an Output of one\), got 5$/);
    const computedPorts = new MultiCloudWorkload("web2", webArgs({ ports: pulumi.output([{ port: 443 }]) as unknown as MultiCloudWorkloadArgs["ports"] }));
    await expect(computedPorts.ready()).rejects.toThrow(/ports: must be a plain value known at preview, not an Output/);
    await h.settle();
  });
});

describe("traffic.dns.zoneId from another resource", () => {
  it("reaches every Route 53 record, secret still secret, and the spec output holds no zone id", async () => {
    const plainRun = await run(false, () => webArgs({ traffic: { ...TRAFFIC, dns: { ...TRAFFIC.dns, zoneId: "Z0123456789ABC" } }, ingressCidrs: ["0.0.0.0/0"] }));
    const r = await run(false, (_owner, zone) => webArgs({ traffic: { ...TRAFFIC, dns: { ...TRAFFIC.dns, zoneId: pulumi.secret(zone) } }, ingressCidrs: ["0.0.0.0/0"] }));
    const records = r.h.ofType(RECORD);
    expect(records.map((x) => x.name)).toEqual(plainRun.h.ofType(RECORD).map((x) => x.name));
    expect(records.length).toBe(4);
    for (const record of records) {
      expect(isSecret(record.inputs.zoneId), record.name).toBe(true);
      expect(secretValue(record.inputs.zoneId)).toBe("zone_id");
    }
    expect(await valueOf(r.workload.dnsName)).toBe("web.example.com");
    const spec = (await valueOf(r.workload.spec)) as { traffic: { dns: { zoneId: string } } };
    expect(spec.traffic.dns.zoneId).toBe("(output)");
  });

  it("is unknown in a preview, with the same records as the update", async () => {
    const args = (zone: pulumi.Output<string>) => webArgs({ traffic: { ...TRAFFIC, dns: { ...TRAFFIC.dns, zoneId: zone } }, ingressCidrs: ["0.0.0.0/0"] });
    const update = await run(false, (_o, zone) => args(zone));
    const preview = await run(true, (_o, zone) => args(zone));
    expect(preview.h.ofType(RECORD).map((x) => x.name)).toEqual(update.h.ofType(RECORD).map((x) => x.name));
    for (const record of preview.h.ofType(RECORD)) expect(pulumi.isUnknown(record.inputs.zoneId), record.name).toBe(true);
    for (const record of update.h.ofType(RECORD)) expect(record.inputs.zoneId).toBe("zone_id");
  });

  it("checks a plain zone id as before", async () => {
    const h = await setupPulumi({ preview: true });
    const bad = new MultiCloudWorkload("web", webArgs({ traffic: { ...TRAFFIC, dns: { ...TRAFFIC.dns, zoneId: "zone-1" } }, ingressCidrs: ["0.0.0.0/0"] }));
    await expect(bad.ready()).rejects.toThrow(/traffic\.dns\.zoneId: expected a Route 53 hosted zone id/);
    await h.settle();
  });
});

describe("an explicit provider given as an Output", () => {
  const providers = () => ({ "us-east-1": pulumi.output(new AwsProvider("mine-east", { region: "us-east-1" })), "us-west-2": new AwsProvider("mine-west", { region: "us-west-2" }) });

  it.each([false, true])("registers the region's children with that provider (preview: %s)", async (preview) => {
    const r = await run(preview, () => webArgs({ aws: { providers: providers() } }));
    const east = r.h.ofType(ASG).filter((g) => g.name.includes("us-east-1"));
    expect(east.length).toBeGreaterThan(0);
    for (const g of [...east, ...r.h.ofType(TAGGED.vpc).filter((v) => v.name.includes("us-east-1"))]) expect(g.provider, g.name).toMatch(/::pulumi:providers:aws::mine-east::/);
    // The component creates no AWS provider of its own.
    expect(r.h.ofType("pulumi:providers:aws").map((p) => p.name).sort()).toEqual(["mine-east", "mine-west"]);
  });

  it("fails a preview whose provider Output is unknown, naming the field, with no child", async () => {
    const h = await setupPulumi({ preview: true });
    const pending = new ssm.Parameter("pending", { type: "String", value: "x" }).id;
    const east = new AwsProvider("mine-east", { region: "us-east-1" });
    const workload = new MultiCloudWorkload("web", webArgs({ aws: { providers: { ...providers(), "us-east-1": pending.apply(() => east) } } }));
    await expect(workload.ready()).rejects.toThrow('invalid MultiCloudWorkload "web" args: aws.providers.us-east-1: must be known at preview, not computed by a resource that does not exist yet');
    await h.settle();
    expect(h.resources.filter((r) => r.type.startsWith("aws:") && r.name !== "pending")).toEqual([]);
  });
});
