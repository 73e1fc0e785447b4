/**
 * The placement record reader: shape errors name their `multicloud:placements.<workload>.<field>`
 * path; a matching spec gets its pinned plan back unchanged; a changed spec is stale with the change
 * named; a matching spec whose plan no longer satisfies it is an error that says what to run.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { planSpec, validateSpec, type Plan, type WorkloadSpec } from "../../core";
import { choosePinnedPlan, readPlacementRecord, type PinnedPlacement } from "../../core/placement/record";
import { catalogOf, offer } from "../helpers/catalog";
import { CLOUDS } from "../../clouds/registry";

const catalog = catalogOf([
  offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", onDemandHourlyUsd: 0.2 }),
  offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", onDemandHourlyUsd: 0.19 }),
]);

const input = {
  name: "web",
  demand: { replicas: 8, cpu: 2, memoryGiB: 8 },
  providers: { aws: { regions: ["us-east-1"] }, gcp: { regions: ["us-central1"] } },
  constraints: { maxProviderShare: 0.5 },
};

let spec: WorkloadSpec;
let plan: Plan;
beforeAll(async () => {
  spec = validateSpec(input, catalog, CLOUDS);
  plan = await planSpec(spec, catalog);
});

/** The record as Pulumi hands it to a program: structured YAML config, delivered as JSON. */
function viaStackConfig(entries: Record<string, unknown>): unknown {
  const file = stringify({ config: { "multicloud:placements": entries } });
  const config = (parse(file) as { config: Record<string, unknown> }).config;
  return JSON.parse(JSON.stringify(config["multicloud:placements"]));
}

function entry(overrides: Partial<PinnedPlacement> = {}): PinnedPlacement {
  return { specHash: plan.specHash, spec, plan, ...overrides };
}

describe("readPlacementRecord", () => {
  it("reads an absent key as an empty record", () => {
    expect(readPlacementRecord(undefined, CLOUDS)).toEqual({});
    expect(choosePinnedPlan(readPlacementRecord(undefined, CLOUDS), spec, CLOUDS)).toEqual({ kind: "absent" });
  });

  it("reads a record written to Pulumi.<stack>.yaml as structured config", () => {
    const record = readPlacementRecord(viaStackConfig({ web: entry() }), CLOUDS);
    expect(Object.keys(record)).toEqual(["web"]);
    expect(record.web!.plan).toEqual(plan);
    expect(record.web!.spec).toEqual(spec);
  });

  it("rejects a value that is not a mapping", () => {
    expect(() => readPlacementRecord(["web"], CLOUDS)).toThrow(/multicloud:placements: expected a mapping of workload name/);
  });

  it("names the field path of every shape problem", () => {
    const broken = JSON.parse(JSON.stringify(entry())) as Record<string, any>;
    delete broken.plan.allocations[0].count;
    broken.plan.allocations[0].lifecycle = "reserved";
    broken.specHash = "md5:123";
    let message = "";
    try {
      readPlacementRecord({ web: broken }, CLOUDS);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/3 problems/);
    expect(message).toContain("multicloud:placements.web.specHash: expected a hash of the form sha256:");
    expect(message).toContain("multicloud:placements.web.plan.allocations[0].count: is required");
    expect(message).toMatch(/multicloud:placements\.web\.plan\.allocations\[0\]\.lifecycle: expected one of on-demand, spot/);
  });

  it("rejects an entry whose plan was computed for another spec", () => {
    const other = { ...plan, specHash: `sha256:${"0".repeat(64)}` };
    expect(() => readPlacementRecord({ web: entry({ plan: other }) }, CLOUDS)).toThrow(
      /multicloud:placements\.web\.plan\.specHash: .*the plan was not computed for this spec/,
    );
  });

  it("rejects an entry keyed under another workload's name", () => {
    expect(() => readPlacementRecord({ api: entry() }, CLOUDS)).toThrow(/multicloud:placements\.api\.spec\.name: is "web", but the entry is keyed "api"/);
  });
});

describe("choosePinnedPlan", () => {
  it("returns the pinned plan, unchanged, when the spec hash matches", () => {
    const choice = choosePinnedPlan(readPlacementRecord(viaStackConfig({ web: entry() }), CLOUDS), spec, CLOUDS);
    expect(choice).toEqual({ kind: "pinned", plan });
  });

  it("ignores scaling, which shapes autoscalers but not the placement", () => {
    const rescaled = validateSpec({ ...input, scaling: { targetCpuUtilization: 40, maxScaleOut: 3 } }, catalog, CLOUDS);
    expect(choosePinnedPlan({ web: entry() }, rescaled, CLOUDS).kind).toBe("pinned");
  });

  it("is stale, naming what changed, when the spec changed", () => {
    const grown = validateSpec({ ...input, demand: { ...input.demand, replicas: 12 } }, catalog, CLOUDS);
    const choice = choosePinnedPlan({ web: entry() }, grown, CLOUDS);
    expect(choice.kind).toBe("stale");
    expect(choice.kind === "stale" && choice.reason).toBe("the spec changed since its placement was pinned (demand.replicas: 8 -> 12)");
  });

  it("is absent for a workload the record does not hold", () => {
    const api = validateSpec({ ...input, name: "api" }, catalog, CLOUDS);
    expect(choosePinnedPlan({ web: entry() }, api, CLOUDS)).toEqual({ kind: "absent" });
  });

  it("refuses a matching plan that no longer satisfies its spec, naming the command that fixes it", () => {
    const shrunk: Plan = { ...plan, allocations: plan.allocations.map((a) => ({ ...a, count: 1, replicas: 1 })) };
    expect(() => choosePinnedPlan({ web: entry({ plan: shrunk }) }, spec, CLOUDS, "Pulumi.prod.yaml")).toThrow(
      /multicloud:placements\.web: the pinned plan no longer satisfies its spec \(demand\.replicas: places 2 of 8 demanded replicas\).*multicloud drift --stack-config Pulumi\.prod\.yaml --write/,
    );
  });
});
