/**
 * The pack's resource policies (IMDSv2, required tags, allowed geographies), run through their own
 * validation functions as the engine runs them, on resources a component would create and on
 * resources declared directly in a program. Each violation names the resource, the rule and the fix;
 * configuration changes what is required.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { imdsv2 } from "../../policy/rules/imdsv2";
import { requiredTags } from "../../policy/rules/required-tags";
import { allowedGeographies } from "../../policy/rules/geographies";
import { policies } from "../../policy/policies";
import { resource, runResourcePolicy, UNKNOWN } from "./harness";

const WORKLOAD = resource("multicloud:index:MultiCloudWorkload", "web", {});

describe("multicloud-imdsv2", () => {
  // HttpTokens: "optional" | "required"; when not given, EC2 defaults to optional (IMDSv1 allowed).
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html
  it("passes a launch template that requires session tokens", async () => {
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "web-aws-us-east-1-x86_64", { metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } }, { parent: WORKLOAD });
    expect(await runResourcePolicy(imdsv2, template)).toEqual([]);
    // The metadata endpoint turned off altogether is stricter still.
    expect(await runResourcePolicy(imdsv2, resource("aws:ec2/instance:Instance", "box", { metadataOptions: { httpEndpoint: "disabled" } }))).toEqual([]);
  });

  it("flags an instance declared directly in the program that leaves IMDSv1 on", async () => {
    const [message, ...rest] = await runResourcePolicy(imdsv2, resource("aws:ec2/instance:Instance", "bastion", { instanceType: "t3.micro" }));
    expect(rest).toEqual([]);
    expect(message).toBe(
      '"bastion" (aws:ec2/instance:Instance): metadataOptions.httpTokens is not set (EC2 then allows IMDSv1). Rule: instances must require IMDSv2 session tokens. ' +
        'Fix: set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } (MultiCloudWorkload does this on its own launch templates)',
    );
    const optional = await runResourcePolicy(imdsv2, resource("aws:ec2/launchTemplate:LaunchTemplate", "legacy", { metadataOptions: { httpTokens: "optional" } }));
    expect(optional[0]).toMatch(/^"legacy" \(aws:ec2\/launchTemplate:LaunchTemplate\): metadataOptions\.httpTokens is "optional"\. Rule: .*\. Fix: /);
  });

  it("leaves other types alone", async () => {
    expect(await runResourcePolicy(imdsv2, resource("aws:s3/bucket:Bucket", "logs", {}))).toEqual([]);
  });
});

describe("multicloud-required-tags", () => {
  const config = { keys: ["owner", "cost-center"] };

  it("passes resources carrying every key, provider default tags included", async () => {
    const bucket = resource("aws:s3/bucket:Bucket", "logs", { tags: { owner: "ana" } }, { provider: { region: "us-east-1", defaultTags: { tags: { "cost-center": "cc-1" } } } });
    expect(await runResourcePolicy(requiredTags, bucket, config)).toEqual([]);
    // An auto scaling group's tags are a list of { key, value, propagateAtLaunch }.
    const group = resource("aws:autoscaling/group:Group", "web-asg", { tags: [{ key: "owner", value: "ana", propagateAtLaunch: true }, { key: "cost-center", value: "cc-1", propagateAtLaunch: true }] }, { parent: WORKLOAD });
    expect(await runResourcePolicy(requiredTags, group, config)).toEqual([]);
  });

  it("flags each missing or empty key of an untagged bucket declared directly in the program", async () => {
    const messages = await runResourcePolicy(requiredTags, resource("aws:s3/bucket:Bucket", "scratch", { tags: { owner: "" } }), config);
    expect(messages).toEqual([
      '"scratch" (aws:s3/bucket:Bucket): has an empty tags key "owner". Rule: every taggable resource carries the required tags (owner, cost-center). Fix: add tags["owner"] with a value (MultiCloudWorkload and CrossCloudBackup: their `tags` arg, held to compliance.requiredTags)',
      '"scratch" (aws:s3/bucket:Bucket): has no tags key "cost-center". Rule: every taggable resource carries the required tags (owner, cost-center). Fix: add tags["cost-center"] with a value (MultiCloudWorkload and CrossCloudBackup: their `tags` arg, held to compliance.requiredTags)',
    ]);
    // A taggable type declared with no tags at all is still flagged.
    expect(await runResourcePolicy(requiredTags, resource("aws:s3/bucket:Bucket", "bare", {}), config)).toHaveLength(2);
  });

  it("looks for a key on GCP under the label key GCP keeps, and on Azure tracked resources by their location", async () => {
    // GCP label keys are lower-case letters, digits, _ and -: https://cloud.google.com/compute/docs/labeling-resources#requirements
    const bucket = resource("gcp:storage/bucket:Bucket", "archive", { location: "EU", labels: { owner: "ana" } });
    const messages = await runResourcePolicy(requiredTags, bucket, { keys: ["Owner", "CostCenter"] });
    expect(messages).toEqual([expect.stringContaining('has no labels key "CostCenter" (the GCP label "costcenter")')]);
    expect(messages[0]).toContain('Fix: add labels["costcenter"] with a value');
    const vnet = resource("azure-native:network:VirtualNetwork", "net", { location: "westeurope" });
    expect(await runResourcePolicy(requiredTags, vnet, { keys: ["owner"] })).toEqual([expect.stringMatching(/^"net" \(azure-native:network:VirtualNetwork\): has no tags key "owner"/)]);
    // A location taken from a resource group's output is unknown at preview: still a tracked resource.
    const later = resource("azure-native:network:VirtualNetwork", "net", { location: UNKNOWN });
    expect(await runResourcePolicy(requiredTags, later, { keys: ["owner"] })).toHaveLength(1);
  });

  it("requires what the config lists: nothing by default, another list when configured", async () => {
    const bucket = resource("aws:s3/bucket:Bucket", "logs", { tags: { team: "web" } });
    expect(await runResourcePolicy(requiredTags, bucket)).toEqual([]);
    expect(await runResourcePolicy(requiredTags, bucket, { keys: ["team"] })).toEqual([]);
    expect(await runResourcePolicy(requiredTags, bucket, { keys: ["team", "owner"] })).toHaveLength(1);
    // Not taggable: a bucket policy has no tags.
    expect(await runResourcePolicy(requiredTags, resource("aws:s3/bucketPolicy:BucketPolicy", "tls", { policy: "{}" }), { keys: ["owner"] })).toEqual([]);
  });
});

describe("multicloud-allowed-geographies", () => {
  const eu = { geographies: ["eu"] };

  it("passes resources in allowed regions, by their own region, their provider's, their zone or location", async () => {
    expect(await runResourcePolicy(allowedGeographies, resource("aws:ec2/vpc:Vpc", "net", { cidrBlock: "10.0.0.0/16" }, { provider: { region: "eu-west-1" } }), eu)).toEqual([]);
    expect(await runResourcePolicy(allowedGeographies, resource("aws:s3/bucket:Bucket", "logs", { region: "eu-central-1" }, { provider: { region: "us-east-1" } }), eu)).toEqual([]);
    expect(await runResourcePolicy(allowedGeographies, resource("azure-native:storage:StorageAccount", "acct", { location: "West Europe" }), eu)).toEqual([]);
    expect(await runResourcePolicy(allowedGeographies, resource("gcp:compute/disk:Disk", "data", { zone: "europe-west4-a" }), eu)).toEqual([]);
    // The EU multi-region keeps data in EU member states: https://cloud.google.com/storage/docs/locations#location-mr
    expect(await runResourcePolicy(allowedGeographies, resource("gcp:storage/bucket:Bucket", "archive", { location: "EU" }), eu)).toEqual([]);
    // Global resources have no region: IAM roles, GCP firewalls.
    expect(await runResourcePolicy(allowedGeographies, resource("aws:iam/role:Role", "reader", {}, { provider: { region: "us-east-1" } }), eu)).toEqual([]);
    expect(await runResourcePolicy(allowedGeographies, resource("gcp:compute/firewall:Firewall", "fw", { network: "default" }), eu)).toEqual([]);
  });

  it("flags a resource outside the allowed geographies, naming region and geography", async () => {
    const messages = await runResourcePolicy(allowedGeographies, resource("aws:s3/bucket:Bucket", "logs", {}, { provider: { region: "us-east-1" } }), eu);
    expect(messages).toEqual([
      '"logs" (aws:s3/bucket:Bucket): is in aws/us-east-1, in geography us. Rule: resources stay in the allowed geographies (eu). ' +
        "Fix: move it to a region of eu (MultiCloudWorkload and CrossCloudBackup: set compliance.residency to the same geographies, and the placement follows)",
    ]);
    // London is the UK, not the EU (the residency tables: core/spec/residency.ts).
    expect(await runResourcePolicy(allowedGeographies, resource("azure-native:network:VirtualNetwork", "net", { location: "uksouth" }), eu)).toEqual([expect.stringContaining("is in azure/uksouth, in geography uk")]);
    // A location no table places fails closed.
    expect(await runResourcePolicy(allowedGeographies, resource("gcp:storage/bucket:Bucket", "asia", { location: "ASIA" }), eu)).toEqual([expect.stringContaining("which no region table places in a geography")]);
  });

  it("follows the configured geographies, and checks nothing when none are configured", async () => {
    const bucket = resource("aws:s3/bucket:Bucket", "logs", {}, { provider: { region: "us-east-1" } });
    expect(await runResourcePolicy(allowedGeographies, bucket)).toEqual([]);
    expect(await runResourcePolicy(allowedGeographies, bucket, { geographies: ["us", "eu"] })).toEqual([]);
  });

  it("leaves a region unknown at preview to the engine, which reports the policy could not run", async () => {
    await expect(runResourcePolicy(allowedGeographies, resource("aws:s3/bucket:Bucket", "logs", { region: UNKNOWN }), eu)).rejects.toThrow(/can't be known during preview/);
  });
});

describe("the pack", () => {
  it("lists every policy of DESIGN.md once, each configurable", () => {
    expect(policies.map((p) => p.name)).toEqual([
      "multicloud-encryption-at-rest",
      "multicloud-no-public-ip",
      "multicloud-imdsv2",
      "multicloud-required-tags",
      "multicloud-allowed-geographies",
      "multicloud-backup-immutability",
      "multicloud-placements-pinned",
      "multicloud-monthly-cost-cap",
    ]);
    for (const p of policies) expect(p.enforcementLevel).toMatch(/^(mandatory|advisory)$/);
    expect(policies.find((p) => p.name === "multicloud-placements-pinned")!.enforcementLevel).toBe("advisory");
  });

  it("ships an example config (for --policy-pack-config) whose every key names a policy and a parameter of its schema", () => {
    const example = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policy/config.example.json"), "utf8")) as Record<string, unknown>;
    for (const [name, config] of Object.entries(example)) {
      const policy = policies.find((p) => p.name === name);
      expect(policy, name).toBeDefined();
      if (typeof config === "string") expect(["advisory", "mandatory", "disabled"]).toContain(config);
      else for (const key of Object.keys(config as object)) if (key !== "enforcementLevel") expect(Object.keys(policy!.configSchema?.properties ?? {}), `${name}.${key}`).toContain(key);
    }
  });
});
