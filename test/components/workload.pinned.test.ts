/**
 * Pinned placements: with `multicloud:placements` in stack config, the component deploys the
 * pinned plan for its spec, so new prices change no resource; a changed spec is recomputed with a
 * warning; a pinned plan that no longer satisfies its spec is an error naming the fix.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import { validateSpec, type Plan } from "../../core";
import { SPEC_KEYS } from "../../components/workload/settings";
import { resolveWorkload } from "../../components/workload/resolve";
import { catalogOf, offer } from "../helpers/catalog";
import { setupPulumi, valueOf, type Harness } from "./harness";
import { OFFERS, webArgs } from "./scenario";
import { CLOUDS } from "../../clouds/registry";

const COMPONENT = "multicloud:index:MultiCloudWorkload";

/** New prices: GCP on-demand halves, so an unpinned plan moves capacity to GCP. */
const REPRICED = OFFERS.map((o) => (o.provider === "gcp" ? offer({ ...o, onDemandHourlyUsd: 0.097 }) : o));

interface Run {
  h: Harness;
  workload: MultiCloudWorkload;
  /** Every child resource as registered (type, name, inputs), sorted. */
  children: string[];
  failure?: string;
}

async function deploy(args: MultiCloudWorkloadArgs, placements?: unknown): Promise<Run> {
  const h = await setupPulumi({ stack: "dev", config: placements === undefined ? {} : { "multicloud:placements": placements } });
  const workload = new MultiCloudWorkload("web", args);
  const failure = await workload.ready().then(() => undefined, (err: Error) => err.message);
  await h.settle();
  // Sorted: registration order depends on timing, the graph does not.
  const children = h.resources.filter((r) => r.type !== COMPONENT).map((r) => JSON.stringify([r.type, r.name, r.inputs])).sort();
  return { h, workload, children, failure };
}

/** The placement record entry `multicloud plan --write` would pin for `args` and `plan`. */
function pin(args: MultiCloudWorkloadArgs, plan: Plan): Record<string, unknown> {
  const specInput: Record<string, unknown> = { name: "web" };
  for (const key of SPEC_KEYS) if (args[key] !== undefined) specInput[key] = args[key];
  const spec = validateSpec(specInput, catalogOf(OFFERS), CLOUDS);
  return { web: structuredClone({ specHash: plan.specHash, spec, plan }) };
}

async function planOf(run: Run): Promise<Plan> {
  return (await valueOf(run.workload.plan)) as unknown as Plan;
}

/** The plan the component computes for the scenario today (resolved without deploying). */
let plan: Plan;
beforeAll(async () => {
  plan = (await resolveWorkload(webArgs(), "web", { clouds: CLOUDS, placements: undefined, stackConfig: "Pulumi.dev.yaml" })).plan;
});

describe("a pinned placement", () => {
  it("is deployed as pinned: a price change changes no resource", async () => {
    const computed = await deploy(webArgs());
    expect(await planOf(computed)).toEqual({ ...plan, solver: { ...plan.solver, ms: expect.any(Number) } });
    const record = pin(webArgs(), plan);

    const pinned = await deploy(webArgs(), record);
    const pinnedRepriced = await deploy(webArgs({}, REPRICED), record);
    expect(await valueOf(pinnedRepriced.workload.placementSource)).toBe("pinned");
    expect(await planOf(pinnedRepriced)).toEqual(plan);
    expect(pinnedRepriced.children).toEqual(pinned.children);
    expect(pinned.children).toEqual(computed.children);

    // The same price change, unpinned, does move the placement: the pin is what held it.
    const unpinnedRepriced = await deploy(webArgs({}, REPRICED));
    expect((await planOf(unpinnedRepriced)).allocations).not.toEqual(plan.allocations);
    expect(unpinnedRepriced.children).not.toEqual(pinned.children);
  });

  it("logs the pinned plan without the not-pinned warning", async () => {
    const run = await deploy(webArgs(), pin(webArgs(), plan));
    expect(run.h.logs.find((l) => l.severity === "info" && l.message.startsWith("web: pinned placement (Pulumi.dev.yaml)"))).toBeDefined();
    expect(run.h.logs.filter((l) => l.severity === "warning")).toEqual([]);
  });

  it("keeps the pin when only scaling changes, and resizes the autoscalers", async () => {
    const run = await deploy(webArgs({ scaling: { targetCpuUtilization: 70, maxScaleOut: 3 } }), pin(webArgs(), plan));
    expect(await valueOf(run.workload.placementSource)).toBe("pinned");
    const gcpSpot = plan.allocations.find((a) => a.provider === "gcp" && a.lifecycle === "spot")!;
    const autoscaler = run.h.ofType("gcp:compute/regionAutoscaler:RegionAutoscaler").find((r) => r.name.endsWith("-spot"))!;
    expect(autoscaler.inputs.autoscalingPolicy).toMatchObject({ minReplicas: gcpSpot.count, maxReplicas: gcpSpot.count * 3, cpuUtilization: { target: 0.7 } });
  });

  it("is recomputed, with a warning naming the change and the pin command, when the spec changed", async () => {
    const grown = webArgs({ demand: { replicas: 26, cpu: 2, memoryGiB: 8 } });
    const run = await deploy(grown, pin(webArgs(), plan));
    expect(await valueOf(run.workload.placementSource)).toBe("computed");
    expect((await planOf(run)).totals.replicas).toBe(26);
    const warnings = run.h.logs.filter((l) => l.severity === "warning").map((l) => l.message);
    expect(warnings).toEqual([
      "web: the spec changed since its placement was pinned (demand.replicas: 24 -> 26); a new placement was computed from current prices and is not pinned. " +
        "Pin it with `multicloud plan SPEC --stack-config Pulumi.dev.yaml --write` (SPEC: a file holding this workload's spec).",
    ]);
  });

  it("fails, naming the drift command, when the pinned plan no longer satisfies its spec", async () => {
    const broken: Plan = { ...plan, allocations: plan.allocations.filter((a) => a.provider !== "gcp") };
    const run = await deploy(webArgs(), pin(webArgs(), broken));
    expect(run.failure).toMatch(/^multicloud:placements\.web: the pinned plan no longer satisfies its spec \(demand\.replicas: places 18 of 24 demanded replicas; constraints\.minProviders: uses 2 providers, at least 3 required\)/);
    expect(run.failure).toContain("`multicloud drift --stack-config Pulumi.dev.yaml --write`");
    expect(run.children).toEqual([]);
  });

  it("fails on a malformed record, naming the field", async () => {
    const record = pin(webArgs(), plan) as { web: { plan: Record<string, unknown> } };
    delete record.web.plan.totals;
    const run = await deploy(webArgs(), record);
    expect(run.failure).toBe("invalid placement record: multicloud:placements.web.plan.totals: is required (expected a mapping of fields)");
    expect(run.children).toEqual([]);
  });

  it("warns when the pinned plan's prices are from the snapshot and older than 30 days", async () => {
    const old: Plan = { ...plan, prices: { ...plan.prices, aws: { source: "snapshot", asOf: "2024-04" } } };
    const run = await deploy(webArgs(), pin(webArgs(), old));
    const warnings = run.h.logs.filter((l) => l.severity === "warning").map((l) => l.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^web: aws prices come from the embedded price snapshot, not live price APIs and are \d+ days old \(as of 2024-04\); check the placement against current prices with `multicloud drift --stack-config Pulumi\.dev\.yaml`\.$/,
    );
  });
});
