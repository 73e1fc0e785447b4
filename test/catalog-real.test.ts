/**
 * Real price files (DESIGN.md "Price catalog file", issues 12 and 17): fractional vCPUs and GPU
 * slices, GPUs the source does not name, plans that name the GPU model, and rows that are invalid
 * or absurd (negative, unparsable, beyond the documented ceilings) rejected with line and column.
 */
import { describe, expect, it } from "vitest";
import { parseCatalogCsv, planWorkload, planHash, UserError, type Plan } from "../core";
import { CATALOG_LIMITS } from "../core/catalog/csv";
import { wholeTimes } from "../core/optimizer/options";
import { planSchema } from "../core/placement/plan-schema";
import { renderPlan } from "../core/plan/format";
import { CLOUDS } from "../clouds/registry";

const HEADER = "provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd";

function parse(text: string) {
  return parseCatalogCsv(text, "prices.csv", "2026-11-01", CLOUDS);
}

function problems(text: string): string[] {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return [...(err as UserError).problems];
  }
  throw new Error("expected the catalog to be rejected");
}

/** Real-world rows: a shared-core type, GPU slices, a GPU whose model the source does not name. */
const REAL = [
  HEADER,
  "gcp,us-central1,e2-micro,0.25,1,0,,x86_64,0.00837643,0.0050265",
  "gcp,us-central1,e2-small,0.5,2,0,,x86_64,0.0168,",
  "gcp,us-central1,n2-standard-2,2,8,0,,x86_64,0.097118,",
  "azure,eastus,Standard_NC4as_T4_v3_slice,0.5,3.5,0.125,t4,x86_64,0.066,",
  "azure,eastus,Standard_NV4as_v4,4,14,0.25,,x86_64,0.17,",
  "aws,us-east-1,g4ad.xlarge,4,16,1,,x86_64,0.37853,0.15",
  "aws,us-east-1,g6.xlarge,4,16,1,L4,x86_64,0.8048,0.3",
  "",
].join("\n");

async function plan(spec: object, csv = REAL): Promise<Plan> {
  const catalog = parse(csv);
  return planWorkload(spec, catalog, CLOUDS);
}

describe("real price files", () => {
  it("reads fractional vCPUs, fractional GPUs and unnamed GPUs exactly", () => {
    const offers = parse(REAL).offers.map((o) => [o.instanceType, o.vcpu, o.memoryGiB, o.gpus, o.gpuType, o.burstable]);
    expect(offers).toEqual([
      ["g4ad.xlarge", 4, 16, 1, null, false],
      ["g6.xlarge", 4, 16, 1, "l4", false],
      ["Standard_NC4as_T4_v3_slice", 0.5, 3.5, 0.125, "t4", false],
      ["Standard_NV4as_v4", 4, 14, 0.25, null, false],
      ["e2-micro", 0.25, 1, 0, null, true],
      ["e2-small", 0.5, 2, 0, null, true],
      ["n2-standard-2", 2, 8, 0, null, false],
    ]);
  });

  it("plans on fractional vCPUs exactly (4 x 0.25 vCPU replicas on e2-micro)", async () => {
    const p = await plan({
      name: "tiny",
      demand: { replicas: 4, cpu: 0.25, memoryGiB: 0.5 },
      instance: { allowBurstable: true },
      providers: { gcp: { regions: ["us-central1"] } },
    });
    // e2-micro hosts 1 (0.25 vCPU) at $0.00837643, e2-small 2 (0.5 vCPU) at $0.0084 per replica.
    expect(p.allocations.map((a) => [a.instanceType, a.count, a.replicasPerInstance, a.vcpu, a.gpus, a.gpuType])).toEqual([["e2-micro", 4, 1, 0.25, 0, null]]);
    expect(p.totals).toMatchObject({ replicas: 4, vcpu: 1, memoryGiB: 4, hourlyUsd: 0.033506 });
  });

  it("fits fractional amounts without float noise", () => {
    expect(wholeTimes(0.3, 0.1)).toBe(3); // 0.3 / 0.1 = 2.9999999999999996
    expect(wholeTimes(0.25, 0.25)).toBe(1);
    expect(wholeTimes(0.125, 1)).toBe(0);
    expect(wholeTimes(1, 0.125)).toBe(8);
    expect(wholeTimes(15.999, 8)).toBe(1);
    expect(wholeTimes(0.7, 0.1)).toBe(7);
  });

  it("places an unnamed GPU only for a spec that names no gpuType, and names the model in the plan", async () => {
    const spec = (gpuType?: string) => ({
      name: "infer",
      demand: { replicas: 2, cpu: 4, memoryGiB: 16, gpus: 1 },
      ...(gpuType ? { instance: { gpuType } } : {}),
      providers: { aws: { regions: ["us-east-1"] } },
    });
    const any = await plan(spec());
    expect(any.allocations.map((a) => [a.instanceType, a.count, a.gpus, a.gpuType])).toEqual([["g4ad.xlarge", 2, 1, "unnamed"]]);
    const l4 = await plan(spec("l4"));
    expect(l4.allocations.map((a) => [a.instanceType, a.count, a.gpus, a.gpuType])).toEqual([["g6.xlarge", 2, 1, "l4"]]);

    // JSON: gpuType right after gpus; table and markdown name it where GPUs show.
    const json = renderPlan(any, "json");
    expect(json).toMatch(/"gpus": 1,\n\s+"gpuType": "unnamed",\n\s+"hourlyUsd"/);
    expect(renderPlan(any, "table")).toMatch(/vCPU \/ GiB \/ GPU/);
    expect(renderPlan(any, "table")).toContain("4 / 16 / 1 x unnamed");
    expect(renderPlan(l4, "markdown")).toContain("| 4 / 16 / 1 x l4 |");
  });

  it("uses GPU slices as ordinary capacity for a spec without GPUs, and records the slice", async () => {
    const p = await plan({
      name: "slice",
      demand: { replicas: 1, cpu: 0.5, memoryGiB: 3 },
      providers: { azure: { regions: ["eastus"] } },
    });
    expect(p.allocations.map((a) => [a.instanceType, a.vcpu, a.memoryGiB, a.gpus, a.gpuType])).toEqual([["Standard_NC4as_T4_v3_slice", 0.5, 3.5, 0.125, "t4"]]);
    // A pinned plan with fractional GPUs and gpuType reads back through the plan schema.
    expect(planSchema.safeParse(JSON.parse(renderPlan(p, "json"))).success).toBe(true);
  });

  it("keeps older pinned plans readable and their hash unchanged (gpuType is in no hash)", async () => {
    const p = await plan({ name: "web", demand: { replicas: 4, cpu: 2, memoryGiB: 8 }, providers: { gcp: { regions: ["us-central1"] } } });
    expect(p.allocations.every((a) => a.gpuType === null)).toBe(true);
    const older = { ...p, allocations: p.allocations.map(({ gpuType: _g, ...a }) => a) };
    expect(planSchema.safeParse(JSON.parse(JSON.stringify(older))).success).toBe(true);
    expect(planHash(older)).toBe(planHash(p));
    // Without GPUs, the JSON differs from before only by the added `"gpuType": null` lines.
    const before = renderPlan(older, "json").split("\n");
    const after = renderPlan(p, "json").split("\n");
    expect(after.filter((l) => !/^\s+"gpuType": null,$/.test(l))).toEqual(before);
    expect(after.length - before.length).toBe(p.allocations.length);
    // ...and the table and markdown do not change at all.
    expect(renderPlan(p, "table", new Date("2026-11-01"))).toBe(renderPlan(older, "table", new Date("2026-11-01")));
    expect(renderPlan(p, "markdown", new Date("2026-11-01"))).toBe(renderPlan(older, "markdown", new Date("2026-11-01")));
    expect(planSchema.safeParse({ ...JSON.parse(renderPlan(p, "json")), allocations: [{ ...p.allocations[0], gpuType: "" }] }).success).toBe(false);
  });
});

describe("invalid and absurd rows", () => {
  it("names the line and the column of a negative price, a bad number and non-positive sizes", () => {
    expect(
      problems(
        [
          HEADER,
          "aws,us-east-1,m7i.large,2,8,0,,x86_64,-0.1,",
          "aws,us-east-1,m7i.xlarge,4,16,0,,x86_64,0.2,-0.05",
          "aws,us-east-1,m7i.2xlarge,0,32,0,,x86_64,0.4,",
          "aws,us-east-1,m7i.4xlarge,16,0,0,,x86_64,0.8,",
          "aws,us-east-1,m7i.8xlarge,32,128,-1,,x86_64,0,",
          "aws,us-east-1,m7i.12xlarge,4x,192,0,,x86_64,2.4,",
          "",
        ].join("\n"),
      ),
    ).toEqual([
      'prices.csv:2: column onDemandHourlyUsd: expected a price in $/hour > 0 and <= 10000, got "-0.1"',
      'prices.csv:3: column spotHourlyUsd: expected a price in $/hour > 0 and <= 10000, or empty when there is no spot offer, got "-0.05"',
      'prices.csv:4: column vcpu: expected a number > 0 and <= 100000 (fractions for shared-core types, e.g. 0.25), got "0"',
      'prices.csv:5: column memoryGiB: expected a number > 0 and <= 1000000, got "0"',
      'prices.csv:6: column gpus: expected a number >= 0 and <= 10000 (fractions for GPU slices, e.g. 0.125), got "-1"',
      'prices.csv:6: column onDemandHourlyUsd: expected a price in $/hour > 0 and <= 10000, got "0"',
      'prices.csv:7: column vcpu: expected a number > 0 and <= 100000 (fractions for shared-core types, e.g. 0.25), got "4x"',
    ]);
  });

  it("rejects numbers beyond the documented ceilings, which would break the solver", () => {
    expect(CATALOG_LIMITS).toEqual({ vcpu: 100_000, memoryGiB: 1_000_000, gpus: 10_000, hourlyUsd: 10_000 });
    const rows = [
      HEADER,
      "aws,us-east-1,m7i.large,2,8,0,,x86_64,1e25,",
      "aws,us-east-1,m7i.xlarge,1e308,16,0,,x86_64,0.2,",
      "aws,us-east-1,m7i.2xlarge,8,1e308,0,,x86_64,0.4,",
      "aws,us-east-1,m7i.4xlarge,16,64,0,,x86_64,0.8,10000.01",
      "aws,us-east-1,m7i.8xlarge,100001,64,0,,x86_64,0.8,",
      // At the ceilings exactly: accepted.
      "aws,us-east-1,huge,100000,1000000,10000,h100,x86_64,10000,10000",
      "",
    ];
    const found = problems(rows.join("\n"));
    expect(found).toEqual([
      'prices.csv:2: column onDemandHourlyUsd: expected a price in $/hour > 0 and <= 10000, got "1e25"',
      'prices.csv:3: column vcpu: expected a number > 0 and <= 100000 (fractions for shared-core types, e.g. 0.25), got "1e308"',
      'prices.csv:4: column memoryGiB: expected a number > 0 and <= 1000000, got "1e308"',
      'prices.csv:5: column spotHourlyUsd: expected a price in $/hour > 0 and <= 10000, or empty when there is no spot offer, got "10000.01"',
      'prices.csv:6: column vcpu: expected a number > 0 and <= 100000 (fractions for shared-core types, e.g. 0.25), got "100001"',
    ]);
    expect(parse(`${HEADER}\n${rows[6]}\n`).offers).toHaveLength(1);
  });

  it("names a missing required column in the header", () => {
    const header = HEADER.replace(",gpuType", "");
    const [message] = problems(`${header}\naws,us-east-1,m7i.large,2,8,0,x86_64,0.1,\n`);
    expect(message).toMatch(/^prices\.csv:1: expected the header "provider,region,instanceType,.*\(missing column gpuType\)$/);
  });

  it("reads a quote-free file and the same file with quoted cells alike", () => {
    const plain = parse(REAL).offers;
    const quoted = parse(REAL.replace(/e2-micro/, '"e2-micro"').replace(/^(gcp,us-central1,e2-small)/m, '"gcp","us-central1","e2-small"')).offers;
    expect(quoted).toEqual(plain);
    expect(parse(REAL.replace(/\n/g, "\r\n")).offers).toEqual(plain);
    expect(parse(`\ufeff${REAL}`).offers).toEqual(plain);
  });
});
