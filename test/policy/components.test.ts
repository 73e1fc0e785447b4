/**
 * The policy pack over the components' own children: a MultiCloudWorkload (three clouds, public
 * traffic) and a CrossCloudBackup registered under Pulumi's mocks, read back as the engine hands a
 * stack to policies (./stack-capture.ts), then every policy run on every resource. The components'
 * secure defaults pass; what the configuration asks beyond them is named on the children; and a
 * resource declared next to them in the same program is held to the same rules.
 */
import { describe, expect, it } from "vitest";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import { resource, runResourcePolicy, runStackPolicy, type TestResource } from "./harness";
import { captureStack } from "./stack-capture";

/** Every violation of every policy over a stack: `policy: message`. */
async function runPack(stack: TestResource[], config: Record<string, object> = {}): Promise<string[]> {
  const out: string[] = [];
  for (const policy of policies) {
    const c = config[policy.name] ?? {};
    if ("validateStack" in policy) {
      for (const v of await runStackPolicy(policy as StackValidationPolicy, stack, c)) out.push(`${policy.name}: ${v.message}`);
    } else {
      for (const r of stack) for (const m of await runResourcePolicy(policy as ResourceValidationPolicy, r, c)) out.push(`${policy.name}: ${m}`);
    }
  }
  return out;
}

describe("the pack over a MultiCloudWorkload's children", () => {
  it("passes the component's secure defaults, names what the config asks beyond them, and flags a bucket declared beside it", async () => {
    const { setupPulumi } = await import("../components/harness");
    const { webArgs } = await import("../components/scenario");
    const { deployWorkload } = await import("../components/deploy");
    const pulumi = await import("@pulumi/pulumi");
    const aws = await import("@pulumi/aws");
    const h = await setupPulumi({ preview: true });
    const capture = captureStack();
    await deployWorkload(h, webArgs({ traffic: { port: 443, public: true }, compliance: { requiredTags: ["owner"] }, tags: { owner: "web-team", CostCenter: "cc-42" } }));
    const scratch = new aws.s3.Bucket("scratch", { tags: { owner: "data-team" } });
    await pulumi.output(scratch.urn).apply(() => undefined);
    await h.settle();
    const stack = capture.stack();
    expect(stack.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer").length).toBeGreaterThan(0);

    const base = { "multicloud-required-tags": { keys: ["owner"] }, "multicloud-allowed-geographies": { geographies: ["us"] } };
    // Only the bucket declared beside the workload and the workload's computed placement
    // (advisory). The pack once found the GCP forwarding rule without labels: now it carries them.
    expect(await runPack(stack, base)).toEqual([
      expect.stringMatching(/^multicloud-encryption-at-rest: "scratch" \(aws:s3\/bucket:Bucket\): declares no default encryption/),
      expect.stringMatching(/^multicloud-placements-pinned: "web" \(multicloud:index:MultiCloudWorkload\): its placement is computed/),
    ]);

    // Asking for more names the children: a tag the component was not given, a geography it is not in, a cost cap it exceeds.
    const strict = await runPack(stack, {
      "multicloud-required-tags": { keys: ["owner", "cost-center"] },
      "multicloud-allowed-geographies": { geographies: ["eu"] },
      "multicloud-monthly-cost-cap": { maxMonthlyUsd: 1 },
    });
    const templates = stack.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate").map((r) => r.name);
    expect(templates.length).toBeGreaterThan(0);
    for (const name of templates) {
      expect(strict).toContain(`multicloud-required-tags: "${name}" (aws:ec2/launchTemplate:LaunchTemplate): has no tags key "cost-center". Rule: every taggable resource carries the required tags (owner, cost-center). Fix: add tags["cost-center"] with a value (MultiCloudWorkload and CrossCloudBackup: their \`tags\` arg, held to compliance.requiredTags)`);
    }
    expect(strict.filter((m) => m.startsWith("multicloud-allowed-geographies:")).join("\n")).toMatch(/is in aws\/us-east-1, in geography us/);
    expect(strict.filter((m) => m.startsWith("multicloud-monthly-cost-cap:"))).toHaveLength(1);
  });

  it("flags the workload's internet-facing load balancers when the deployed spec's traffic is not public", async () => {
    const { setupPulumi } = await import("../components/harness");
    const { webArgs } = await import("../components/scenario");
    const { deployWorkload } = await import("../components/deploy");
    const h = await setupPulumi({ preview: true });
    const capture = captureStack();
    await deployWorkload(h, webArgs({ traffic: { port: 443, public: true } }));
    const stack = capture.stack();
    // The same children under a workload whose spec output says the traffic is internal.
    const workload = stack.find((r) => r.type === "multicloud:index:MultiCloudWorkload")!;
    workload.props = { ...workload.props, spec: { ...(workload.props.spec as object), traffic: { port: 443, public: false } } };
    const violations = await runPack(stack);
    const flagged = violations.filter((m) => m.startsWith("multicloud-no-public-ip:"));
    expect(flagged.length).toBe(stack.filter((r) => /LoadBalancer$|ForwardingRule$/.test(r.type) && r.type !== "aws:lb/targetGroup:TargetGroup").length);
    expect(flagged[0]).toContain("Fix: its workload's spec does not have traffic.public: true");
  });
});

describe("the pack over a CrossCloudBackup's children", () => {
  it("passes an immutable S3 destination, and holds it to a longer configured retention", async () => {
    const { installEngine } = await import("../backup/helpers/mock-engine");
    const { CrossCloudBackup } = await import("../../components/backup");
    const { settled } = await import("../backup/helpers/deploy");
    await installEngine({ preview: true });
    const capture = captureStack();
    const backup = new CrossCloudBackup("orders", {
      source: { provider: "gcp", region: "us-central1", bucket: "orders" },
      destination: { provider: "aws", region: "us-east-1" },
      sizeGiB: 100,
      dailyChangeGiB: 1,
      immutable: true,
      retentionDays: 30,
      tags: { owner: "data-team" },
    });
    await backup.ready();
    await settled();
    const stack = capture.stack();
    const config = { "multicloud-required-tags": { keys: ["owner"] }, "multicloud-allowed-geographies": { geographies: ["us"] } };
    expect(await runPack(stack, config)).toEqual([]);
    const longer = await runPack(stack, { ...config, "multicloud-backup-immutability": { minRetentionDays: 365 } });
    expect(longer).toEqual([expect.stringMatching(/^multicloud-backup-immutability: "orders-bucket" \(aws:s3\/bucket:Bucket\): keeps objects locked 30 days by default\. Rule: backups are immutable for at least 365 days\. Fix: /)]);
  });

  it("flags a mutable backup bucket declared in the same program, by its backup tag", async () => {
    const stack = [resource("aws:s3/bucket:Bucket", "dumps", { bucket: "acme-dumps", tags: { backup: "nightly" } })];
    expect((await runPack(stack)).filter((m) => m.startsWith("multicloud-backup-immutability:"))).toEqual([expect.stringContaining('"dumps" (aws:s3/bucket:Bucket): has no Object Lock')]);
  });
});
