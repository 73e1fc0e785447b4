/** Every shipped example spec plans on the embedded snapshot, and the plan satisfies its spec. */
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { loadSnapshot, loadSpecFile, planSpec } from "../core";
import { verifyPlan } from "../core/plan/verify";
import { CLOUDS } from "../clouds/registry";

const root = path.resolve(__dirname, "..");
const EXAMPLES = ["web", "batch-spot", "cache", "gpu-inference"];

describe("example specs on the embedded snapshot", () => {
  it.each(EXAMPLES)("examples/%s/workload.yaml plans optimally and satisfies its spec", async (name) => {
    const catalog = loadSnapshot();
    const spec = loadSpecFile(path.join(root, "examples", name, "workload.yaml"), catalog, CLOUDS);
    const plan = await planSpec(spec, catalog);
    expect(plan.solver.status).toBe("optimal");
    expect(plan.totals.replicas).toBe(spec.demand.replicas);
    expect(verifyPlan(plan, spec, CLOUDS)).toEqual([]);
    expect(Object.values(plan.prices).every((p) => p.source === "snapshot")).toBe(true);
  });

  it("uses spot where the batch example allows it, and GPUs of the requested model", async () => {
    const catalog = loadSnapshot();
    const batch = await planSpec(loadSpecFile(path.join(root, "examples/batch-spot/workload.yaml"), catalog, CLOUDS), catalog);
    expect(batch.allocations.some((a) => a.lifecycle === "spot")).toBe(true);
    const gpu = await planSpec(loadSpecFile(path.join(root, "examples/gpu-inference/workload.yaml"), catalog, CLOUDS), catalog);
    expect(new Set(gpu.allocations.map((a) => a.provider))).toEqual(new Set(["aws", "gcp"]));
    for (const a of gpu.allocations) expect(a.gpus).toBeGreaterThanOrEqual(1);
  });
});

describe("plan verification", () => {
  it("catches a plan that breaks its spec", async () => {
    const catalog = loadSnapshot();
    const spec = loadSpecFile(path.join(root, "examples/web/workload.yaml"), catalog, CLOUDS);
    const plan = await planSpec(spec, catalog);
    const moved = { ...plan, allocations: plan.allocations.map((a) => ({ ...a, provider: plan.allocations[0]!.provider, region: plan.allocations[0]!.region })) };
    expect(verifyPlan(moved, spec, CLOUDS).map((v) => v.path)).toContain("constraints.maxProviderShare");
    const short = { ...plan, allocations: plan.allocations.slice(1) };
    expect(verifyPlan(short, spec, CLOUDS).map((v) => v.path)).toContain("demand.replicas");
    const denied = loadSpecFile(path.join(root, "examples/web/workload.yaml"), catalog, CLOUDS);
    denied.instance.families.deny = [plan.allocations[0]!.instanceType.replace(/\..*$/, ".*"), "Standard_*"];
    denied.instance.allowBurstable = false;
    const burstable = { ...plan, allocations: [{ ...plan.allocations[0]!, provider: "aws", instanceType: "t3.2xlarge" }, ...plan.allocations.slice(1)] };
    expect(verifyPlan(burstable, spec, CLOUDS).map((v) => v.path)).toContain("instance.allowBurstable");
    expect(verifyPlan(plan, denied, CLOUDS).map((v) => v.path)).toContain("instance.families.deny");
  });
});
