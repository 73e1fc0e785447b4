/**
 * `pulumi preview`: the placement is decided and shown before anything exists. Under preview mocks
 * (new resources have no ids and no computed outputs, as with the engine), the plan and its cost
 * are known outputs, group identifiers are unknown, the same graph is registered as on `up`, and
 * bad args fail the preview.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { MultiCloudWorkload } from "../../components";
import type { Plan } from "../../core";
import { isKnown, setupPulumi, valueOf, type Harness } from "./harness";
import { webArgs } from "./scenario";

let h: Harness;
let workload: MultiCloudWorkload;

beforeAll(async () => {
  h = await setupPulumi({ preview: true, stack: "staging", config: { "gcp:project": "acme-staging" } });
  workload = new MultiCloudWorkload("web", webArgs());
  await workload.ready();
  await h.settle();
});

describe("MultiCloudWorkload in preview", () => {
  it("knows the plan, its cost and its source", async () => {
    expect(await isKnown(workload.plan)).toBe(true);
    const plan = (await valueOf(workload.plan)) as unknown as Plan;
    expect(plan.workload).toBe("web");
    expect(plan.totals.replicas).toBe(24);
    expect(await valueOf(workload.monthlyCostUsd)).toBe(plan.totals.monthlyUsd);
    expect(await valueOf(workload.placementSource)).toBe("computed");
  });

  it("leaves group identifiers unknown until the groups exist", async () => {
    expect(await isKnown(workload.groups)).toBe(false);
    const policy = h.ofType("aws:autoscaling/policy:Policy")[0]!;
    expect(pulumi.isUnknown(policy.inputs.autoscalingGroupName)).toBe(true);
    const autoscaler = h.ofType("gcp:compute/regionAutoscaler:RegionAutoscaler")[0]!;
    expect(pulumi.isUnknown(autoscaler.inputs.target)).toBe(true);
  });

  it("registers the whole graph, with known sizes", () => {
    expect(h.resources).toHaveLength(56);
    const asg = h.ofType("aws:autoscaling/group:Group").map((r) => [r.name, r.inputs.minSize, r.inputs.maxSize]);
    expect(asg).toEqual([
      ["web-aws-us-east-1-m7i-xlarge", 3, 5],
      ["web-aws-us-west-2-m7i-xlarge", 2, 3],
    ]);
  });

  it("passes the stack's gcp:project on to the GCP providers it creates", () => {
    expect(h.ofType("pulumi:providers:gcp").map((p) => [p.name, p.inputs.project, p.inputs.region])).toEqual([["web-gcp-us-central1", "acme-staging", "us-central1"]]);
  });

  it("shows the plan table and the not-pinned warning on the component, naming this stack's config file", () => {
    const urn = "urn:pulumi:staging::project::multicloud:index:MultiCloudWorkload::web";
    const table = h.logs.find((l) => l.severity === "info" && l.message.startsWith("web: computed placement (not pinned)"));
    expect(table?.urn).toBe(urn);
    expect(table?.message).toMatch(/provider\s+│\s+region/);
    const warnings = h.logs.filter((l) => l.severity === "warning");
    expect(warnings.map((w) => [w.urn, w.message.includes("multicloud plan SPEC --stack-config Pulumi.staging.yaml --write")])).toEqual([[urn, true]]);
  });

  it("fails the preview on bad args, with nothing registered under the component", async () => {
    const preview = await setupPulumi({ preview: true });
    const bad = new MultiCloudWorkload("api", webArgs({ demand: { replicas: 0, cpu: 2, memoryGiB: 8 } }));
    const message = await bad.ready().then(() => "no failure", (err: Error) => err.message);
    expect(message).toBe('invalid MultiCloudWorkload "api" args: demand.replicas: expected a number >= 1, got 0');
    await valueOf(bad.urn);
    expect(preview.resources.map((r) => r.type)).toEqual(["multicloud:index:MultiCloudWorkload"]);
  });
});
