/**
 * `compliance.requiredTags` (issue "Compliance and audit" #1, part; DESIGN.md "Compliance and
 * audit"): a missing required tag is an error naming the tag, the field `tags` and the fix, at
 * `multicloud plan` (spec validation) and at preview (MultiCloudWorkload, CrossCloudBackup), with
 * nothing registered; a required key a cloud of the spec would reject or rewrite is named; the
 * plan records the rule; requiring a tag does not change the placement's identity (spec hash).
 *
 * Cloud tag rules relied on here:
 * - GCP label keys: lower-case letters, digits, '_' and '-'
 *   https://cloud.google.com/compute/docs/labeling-resources#requirements
 * - AWS reserves the aws: prefix https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html
 * - Azure tag names cannot contain < > % & \ ? /
 *   https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { planWorkload, validateSpec, specHash } from "../core";
import { loadSpecText } from "../core/spec/load";
import { planBackupArgs } from "../core/backup";
import { readPlacementRecord } from "../core/placement/record";
import { CLOUDS } from "../clouds/registry";
import { catalogOf, offer } from "./helpers/catalog";

const OFFERS = [
  offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
  offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-2", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.09 }),
  offer({ provider: "azure", region: "eastus", instanceType: "Standard_D2s_v5", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.13 }),
];
const CATALOG = catalogOf(OFFERS);
const SPEC = { name: "api", demand: { replicas: 4, cpu: 2, memoryGiB: 8 }, providers: { aws: {}, gcp: {}, azure: {} } };
const RULE = { requiredTags: ["owner", "cost-center"] };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    return (err as { problems?: string[] }).problems ?? [(err as Error).message];
  }
  return [];
}

describe("compliance.requiredTags in a workload spec (multicloud plan)", () => {
  it("names each missing tag, the field and the fix", () => {
    const problems = problemsOf(() => validateSpec({ ...SPEC, compliance: RULE, tags: { owner: "ana" } }, CATALOG, CLOUDS));
    expect(problems).toEqual(['tags: missing required tag "cost-center" (compliance.requiredTags): add tags.cost-center with its value']);
    const none = problemsOf(() => validateSpec({ ...SPEC, compliance: RULE }, CATALOG, CLOUDS));
    expect(none).toEqual([
      'tags: missing required tag "owner" (compliance.requiredTags): add tags.owner with its value',
      'tags: missing required tag "cost-center" (compliance.requiredTags): add tags.cost-center with its value',
    ]);
  });

  it("writes the fix for a key that is not a plain name with brackets", () => {
    expect(problemsOf(() => validateSpec({ ...SPEC, providers: { aws: {} }, compliance: { requiredTags: ["cost.center"] } }, CATALOG, CLOUDS))).toEqual([
      'tags: missing required tag "cost.center" (compliance.requiredTags): add tags["cost.center"] with its value',
    ]);
  });

  it("counts an empty value as missing", () => {
    expect(problemsOf(() => validateSpec({ ...SPEC, compliance: RULE, tags: { owner: " ", "cost-center": "cc-1" } }, CATALOG, CLOUDS))).toEqual([
      'tags.owner: required tag "owner" (compliance.requiredTags) is empty: give it a value',
    ]);
  });

  it("gives the spec file's line, as `multicloud plan` prints it", () => {
    const yaml = ["name: api", "demand: { replicas: 4, cpu: 2, memoryGiB: 8 }", "providers: { aws: {} }", "compliance:", "  requiredTags: [owner]", "tags:", "  team: web", ""].join("\n");
    expect(() => loadSpecText(yaml, CATALOG, CLOUDS, "api.yaml")).toThrow('api.yaml:6: tags: missing required tag "owner" (compliance.requiredTags): add tags.owner with its value');
  });

  it("plans a spec that carries them, and the plan records the rules it was made under", async () => {
    const plan = await planWorkload({ ...SPEC, compliance: { residency: ["us"], ...RULE }, tags: { owner: "ana", "cost-center": "cc-1" } }, CATALOG, CLOUDS);
    expect(plan.compliance).toEqual({ residency: ["us"], requiredTags: ["owner", "cost-center"] });
    // The plan with its record of the rules is a valid pinned placement.
    const spec = validateSpec({ ...SPEC, compliance: { residency: ["us"], ...RULE }, tags: { owner: "ana", "cost-center": "cc-1" } }, CATALOG, CLOUDS);
    const record = readPlacementRecord({ api: { specHash: plan.specHash, spec, plan } }, CLOUDS);
    expect(record.api!.plan.compliance?.requiredTags).toEqual(["owner", "cost-center"]);
  });

  it("names a required key GCP would carry under another key, only when GCP is a provider", () => {
    const gcp = problemsOf(() => validateSpec({ ...SPEC, compliance: { requiredTags: ["CostCenter"] }, tags: { CostCenter: "cc-1" } }, CATALOG, CLOUDS));
    expect(gcp).toEqual(['compliance.requiredTags[0]: "CostCenter" is carried on GCP as the key "costcenter" (its own key rules): require "costcenter" instead, so the key is the same on every cloud']);
    // AWS and Azure keep tag keys as written.
    expect(problemsOf(() => validateSpec({ ...SPEC, providers: { aws: {}, azure: {} }, compliance: { requiredTags: ["CostCenter"] }, tags: { CostCenter: "cc-1" } }, CATALOG, CLOUDS))).toEqual([]);
  });

  it("names a required key AWS or Azure would reject", () => {
    const aws = problemsOf(() => validateSpec({ ...SPEC, providers: { aws: {} }, compliance: { requiredTags: ["aws:owner"] }, tags: { "aws:owner": "x" } }, CATALOG, CLOUDS));
    expect(aws).toEqual([expect.stringMatching(/^compliance\.requiredTags\[0\]: "aws:owner" cannot be a tag key on AWS \(.*reserves the aws: prefix\): require a key every cloud of the spec accepts$/)]);
    const azure = problemsOf(() => validateSpec({ ...SPEC, providers: { azure: {} }, compliance: { requiredTags: ["cost/center"] }, tags: { "cost/center": "x" } }, CATALOG, CLOUDS));
    expect(azure).toEqual([expect.stringMatching(/^compliance\.requiredTags\[0\]: "cost\/center" cannot be a tag key on Azure \(.*< > % & \\ \? \/.*\)/)]);
  });

  it("leaves the spec hash alone: requiring a tag does not unpin a placement; residency does", () => {
    const plain = validateSpec(SPEC, CATALOG, CLOUDS);
    const tagged = validateSpec({ ...SPEC, compliance: RULE, tags: { owner: "ana", "cost-center": "cc-1" } }, CATALOG, CLOUDS);
    const resident = validateSpec({ ...SPEC, compliance: { residency: ["us"], ...RULE }, tags: { owner: "ana", "cost-center": "cc-1" } }, CATALOG, CLOUDS);
    const residentOnly = validateSpec({ ...SPEC, compliance: { residency: ["us"] } }, CATALOG, CLOUDS);
    expect(specHash(tagged)).toBe(specHash(plain));
    expect(specHash(resident)).not.toBe(specHash(plain));
    expect(specHash(resident)).toBe(specHash(residentOnly));
  });
});

describe("compliance.requiredTags in a backup spec (multicloud backup plan)", () => {
  const NOW = new Date("2026-08-01T00:00:00Z");
  const base = { source: { provider: "aws", region: "us-east-1", bucket: "orders" }, sizeGiB: 100, dailyChangeGiB: 1, compliance: RULE };

  it("names the missing tag", () => {
    expect(problemsOf(() => planBackupArgs("orders", { ...base, tags: { owner: "ana" } }, CLOUDS, { now: NOW }))).toEqual([
      'tags: missing required tag "cost-center" (compliance.requiredTags): add tags.cost-center with its value',
    ]);
    expect(planBackupArgs("orders", { ...base, tags: { owner: "ana", "cost-center": "cc-1" } }, CLOUDS, { now: NOW }).plan.destination.provider).not.toBe("aws");
  });

  it("refuses a required key a backup's tags could never have (GCP label rules)", () => {
    expect(problemsOf(() => planBackupArgs("orders", { ...base, compliance: { requiredTags: ["Owner"] }, tags: { owner: "ana" } }, CLOUDS, { now: NOW }))).toEqual([
      "compliance.requiredTags[0]: expected a tag key of lower-case letters, digits, '_' and '-', starting with a letter (backup tags follow GCP label rules, so a required key must too), got \"Owner\"",
    ]);
  });
});

describe("compliance.requiredTags on the components (pulumi preview)", () => {
  it("fails a MultiCloudWorkload naming the tag, with nothing but the component registered", async () => {
    const { setupPulumi, valueOf } = await import("./components/harness");
    const { webArgs } = await import("./components/scenario");
    const { MultiCloudWorkload } = await import("../components");
    const h = await setupPulumi({ preview: true });
    const workload = new MultiCloudWorkload("web", webArgs({ compliance: RULE, tags: { owner: "web-team" } }));
    const message = await workload.ready().then(() => "no failure", (err: Error) => err.message);
    await valueOf(workload.urn);
    expect(message).toBe('invalid MultiCloudWorkload "web" args: tags: missing required tag "cost-center" (compliance.requiredTags): add tags.cost-center with its value');
    expect(h.resources.map((r) => r.type)).toEqual(["multicloud:index:MultiCloudWorkload"]);
  });

  it("names the scenario's CostCenter tag, which GCP would carry as costcenter", async () => {
    const { setupPulumi, valueOf } = await import("./components/harness");
    const { webArgs } = await import("./components/scenario");
    const { MultiCloudWorkload } = await import("../components");
    const h = await setupPulumi({ preview: true });
    const workload = new MultiCloudWorkload("web", webArgs({ compliance: { requiredTags: ["CostCenter"] } }));
    const message = await workload.ready().then(() => "no failure", (err: Error) => err.message);
    await valueOf(workload.urn);
    expect(message).toContain('compliance.requiredTags[0]: "CostCenter" is carried on GCP as the key "costcenter"');
    expect(h.resources.map((r) => r.type)).toEqual(["multicloud:index:MultiCloudWorkload"]);
  });

  it("says a bad tag once, though `tags` is both a resource setting and part of the spec", async () => {
    const { setupPulumi } = await import("./components/harness");
    const { webArgs } = await import("./components/scenario");
    const { MultiCloudWorkload } = await import("../components");
    await setupPulumi({ preview: true });
    const workload = new MultiCloudWorkload("web", webArgs({ tags: { owner: 42 as unknown as string } }));
    const message = await workload.ready().then(() => "no failure", (err: Error) => err.message);
    expect(message).toMatch(/^invalid MultiCloudWorkload "web" args: tags\.owner: [^\n]+$/);
  });

  it("deploys a workload carrying them, and its plan output records the rule", async () => {
    const { setupPulumi } = await import("./components/harness");
    const { webArgs } = await import("./components/scenario");
    const { deployWorkload } = await import("./components/deploy");
    const h = await setupPulumi({ preview: true });
    const { plan } = await deployWorkload(h, webArgs({ compliance: RULE, tags: { owner: "web-team", "cost-center": "cc-42" } }));
    expect(plan.compliance).toEqual({ requiredTags: ["owner", "cost-center"] });
    const templates = h.ofType("aws:ec2/launchTemplate:LaunchTemplate");
    expect(templates.length).toBeGreaterThan(0);
    for (const t of templates) expect(t.inputs.tags).toMatchObject({ owner: "web-team", "cost-center": "cc-42" });
  });

  it("fails a CrossCloudBackup from `new`, naming the tag, with nothing registered", async () => {
    const { installEngine } = await import("./backup/helpers/mock-engine");
    const { settled } = await import("./backup/helpers/deploy");
    const { CrossCloudBackup } = await import("../components/backup");
    const engine = await installEngine({ preview: true });
    let message = "no failure";
    try {
      new CrossCloudBackup("orders", { source: { provider: "aws", region: "us-east-1", bucket: "orders" }, sizeGiB: 10, dailyChangeGiB: 1, compliance: RULE, tags: { "cost-center": "cc-1" } });
    } catch (err) {
      expect(err).toBeInstanceOf(pulumi.ResourceError);
      message = (err as Error).message;
    }
    await settled();
    expect(message).toBe('CrossCloudBackup "orders": invalid backup spec: tags: missing required tag "owner" (compliance.requiredTags): add tags.owner with its value');
    expect(engine.resources).toEqual([]);
  });
});
