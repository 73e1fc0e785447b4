/**
 * Issue 17's fuzz test: `multicloud plan` over mutated specs and mutated catalog files (fast-check,
 * fixed seed, bounded runs). Whatever the input, a run ends in a plan (exit 0, JSON on stdout) or
 * in one user error (exit 1) that names the file, line or field at fault: never "internal error",
 * never a stack trace, never a value echoed at full length.
 *
 * Specs start from the examples' specs (examples/<name>/workload.yaml); one to three mutations
 * each: a field deleted, a value of the wrong type, a huge, tiny, negative or non-finite number,
 * a very long string, an unknown key, a value nested one level too deep or too shallow. Catalogs
 * start from exact rows for the spec's regions (test/helpers/catalog.ts); mutations: a cell
 * emptied or replaced (non-numbers, extreme numbers, a very long text), a column added or
 * dropped, a row repeated, CR-only line endings.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { catalogCsv, offer } from "../helpers/catalog";
import { cli } from "../helpers/cli";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLES = ["web", "batch-spot", "cache", "gpu-inference"] as const;
const BASES: Record<string, unknown> = Object.fromEntries(EXAMPLES.map((e) => [e, parse(fs.readFileSync(path.join(ROOT, "examples", e, "workload.yaml"), "utf8"))]));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-fuzz-"));
  // Offline and with an empty cache: the embedded snapshot or the mutated file, nothing else.
  vi.stubEnv("MULTICLOUD_CACHE_DIR", path.join(dir, "cache"));
  vi.stubEnv("MULTICLOUD_LIVE", "");
});
afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});


// ---- spec mutations ------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Every path to a value inside `value` (the root excluded). */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

/** Stands for a 50,000-character string (expanded when the file is written, so a counterexample prints short). */
const LONG = "<50000 x>";
function expandLong(value: Json): Json {
  if (value === LONG) return "x".repeat(50_000);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(expandLong);
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: expandLong(v), enumerable: true, writable: true, configurable: true });
  return out;
}
const numbers = fc.constantFrom(1e308, -1e308, 1e25, 1e-13, 5e-324, -1, -0.5, 0, 2 ** 53 + 1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1, 3.5, 1_000_000);
const wrongTypes = fc.constantFrom<Json>("two", "", true, null, [], {}, [1, 2], { value: 1 }, "1e3", LONG);

type Mutation =
  | { kind: "number"; at: number; value: number }
  | { kind: "delete"; at: number }
  | { kind: "replace"; at: number; value: Json }
  | { kind: "unknown-key"; at: number; key: string; value: Json }
  | { kind: "nest-deeper"; at: number }
  | { kind: "nest-shallower"; at: number };

/** Numbers a schema accepts at many places, at the edges of what the solver sees: valid specs that stress the model. */
const edgeNumbers = fc.constantFrom(1, 2, 0.001, 0.01, 0.5, 0.99, 1, 8, 65_535, 100_000, 1e6, 1e9, 1e15, 2 ** 31, 1e-6);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Weighted up: a number swapped for another often still passes the schema and reaches the solver.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("number" as const), at: fc.nat(), value: fc.oneof(edgeNumbers, numbers) }) },
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: fc.oneof(numbers as fc.Arbitrary<Json>, wrongTypes) }),
  fc.record({ kind: fc.constant("unknown-key" as const), at: fc.nat(), key: fc.constantFrom("replica", "memory", "regoin", "zzz", LONG, "__proto__", "constructor"), value: fc.oneof(numbers as fc.Arbitrary<Json>, wrongTypes) }),
  fc.record({ kind: fc.constant("nest-deeper" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("nest-shallower" as const), at: fc.nat() }),
);

function getIn(root: Json, p: Path): Json {
  return p.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root);
}

function setIn(root: Json, p: Path, value: Json | undefined): void {
  const parent = getIn(root, p.slice(0, -1)) as Record<string | number, Json> | Json[];
  const key = p[p.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete (parent as Record<string, Json>)[key];
  } else (parent as Record<string | number, Json>)[key] = value;
}

function mutate(base: Json, mutations: readonly Mutation[]): Json {
  const spec = structuredClone(base);
  for (const m of mutations) {
    const all = pathsOf(spec);
    // "number" mutations pick among the numeric leaves only.
    const paths = m.kind === "number" ? all.filter((q) => typeof getIn(spec, q) === "number") : all;
    if (paths.length === 0) continue;
    const p = paths[m.at % paths.length]!;
    const current = getIn(spec, p);
    switch (m.kind) {
      case "delete":
        setIn(spec, p, undefined);
        break;
      case "number":
      case "replace":
        setIn(spec, p, m.value);
        break;
      case "unknown-key": {
        const target = current !== null && typeof current === "object" && !Array.isArray(current) ? current : (getIn(spec, p.slice(0, -1)) as Json);
        const key = m.key === LONG ? "k".repeat(50_000) : m.key;
        if (target !== null && typeof target === "object" && !Array.isArray(target)) Object.defineProperty(target, key, { value: m.value, enumerable: true, writable: true, configurable: true });
        break;
      }
      case "nest-deeper":
        setIn(spec, p, Array.isArray(current) || typeof current !== "object" ? [current] : { inner: current });
        break;
      case "nest-shallower":
        if (current !== null && typeof current === "object") setIn(spec, p, Object.values(current)[0] ?? null);
        break;
    }
  }
  return spec;
}

// ---- catalog mutations ---------------------------------------------------------------------

/** Every region the base specs name, so that an unmutated catalog plans every example. */
const REGIONS: Record<string, string[]> = {
  aws: ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"],
  azure: ["eastus", "westeurope", "northeurope"],
  gcp: ["us-central1", "us-east1", "us-east4", "europe-west1", "europe-west4"],
};
const TYPES: Record<string, Array<{ instanceType: string; vcpu: number; memoryGiB: number; gpus?: number; gpuType?: string; usd: number }>> = {
  aws: [
    { instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16, usd: 0.2016 },
    { instanceType: "r7i.2xlarge", vcpu: 8, memoryGiB: 64, usd: 0.5292 },
    { instanceType: "m7i.48xlarge", vcpu: 192, memoryGiB: 768, usd: 9.6768 },
    { instanceType: "g6.xlarge", vcpu: 4, memoryGiB: 16, gpus: 1, gpuType: "l4", usd: 0.8048 },
  ],
  azure: [
    { instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, usd: 0.192 },
    { instanceType: "Standard_E8s_v5", vcpu: 8, memoryGiB: 64, usd: 0.504 },
  ],
  gcp: [
    { instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16, usd: 0.1942 },
    { instanceType: "n2-highmem-8", vcpu: 8, memoryGiB: 64, usd: 0.5241 },
    { instanceType: "g2-standard-4", vcpu: 4, memoryGiB: 16, gpus: 1, gpuType: "l4", usd: 0.7068 },
  ],
};

/**
 * The catalog the mutations start from: exact rows for every region of the base specs, small
 * enough that a plan solves in milliseconds (the embedded snapshot's solves are other tests' job).
 */
const BASE_ROWS = Object.entries(REGIONS).flatMap(([provider, regions]) =>
  regions.flatMap((region, r) =>
    TYPES[provider]!.map((t, i) =>
      offer({ provider, region, instanceType: t.instanceType, vcpu: t.vcpu, memoryGiB: t.memoryGiB, gpus: t.gpus ?? 0, gpuType: t.gpuType ?? null, onDemandHourlyUsd: Math.round(t.usd * (1 + r / 20) * 1e4) / 1e4, spotHourlyUsd: i % 2 === 0 ? Math.round(t.usd * 0.4 * 1e4) / 1e4 : null }),
    ),
  ),
);

const CELLS = ["100000", "1000000", "10000", "0.000001", "1e-9", "0.25", "0.125", "", "abc", "-1", "0", "1e308", "1e25", "1e-13", "5e-324", "NaN", "Infinity", "0x10", "1,5", " 4 ", '"4"', "true", "arm64", "aws", LONG];

type CsvMutation =
  | { kind: "cell"; row: number; column: number; value: string }
  | { kind: "add-column"; row: number }
  | { kind: "drop-column"; row: number; column: number }
  | { kind: "repeat-row"; row: number }
  | { kind: "cr-only" };

const csvMutation: fc.Arbitrary<CsvMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("cell" as const), row: fc.nat(), column: fc.nat(), value: fc.constantFrom(...CELLS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("add-column" as const), row: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop-column" as const), row: fc.nat(), column: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("repeat-row" as const), row: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cr-only" as const) }) },
);

function mutateCsv(mutations: readonly CsvMutation[]): string {
  const rows = catalogCsv(BASE_ROWS).trimEnd().split("\n").map((line) => line.split(","));
  let eol = "\n";
  for (const m of mutations) {
    if (m.kind === "cr-only") {
      eol = "\r";
      continue;
    }
    // Row 0 is the header: one mutation in four goes there (1 in 40 rows would be too rare).
    const row = rows[m.row % 4 === 0 ? 0 : m.row % rows.length]!;
    const value = m.kind === "cell" && m.value === LONG ? "x".repeat(20_000) : m.kind === "cell" ? m.value : "";
    if (m.kind === "cell") row[m.column % row.length] = value.includes(",") || value.includes('"') ? `"${value.replace(/"/g, '""')}"` : value;
    else if (m.kind === "add-column") row.push("extra");
    else if (m.kind === "drop-column") row.splice(m.column % row.length, 1);
    else rows.push([...row]);
  }
  return `${rows.map((r) => r.join(",")).join(eol)}${eol}`;
}

// ---- the property --------------------------------------------------------------------------

const scenario = fc.record({
  example: fc.constantFrom(...EXAMPLES),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  // Mostly a catalog file (none or a few mutations): fast solves; sometimes the embedded snapshot.
  catalog: fc.option(fc.array(csvMutation, { maxLength: 2 }), { nil: undefined, freq: 10 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** A field path as messages write it (demand.cpu, providers.aws.regions[0], constraints.quotas...). */
const FIELD = /\b(name|demand|instance|providers|constraints|scaling|traffic|compliance)\b(\.[\w/-]+|\[\d+\])*/;

/** How the runs ended, so that the property is seen to reach both the planner and the validation. */
const outcomes = { plans: 0, errors: 0 };

async function check(s: Scenario, n: number): Promise<void> {
  const spec = path.join(dir, `spec-${n}.yaml`);
  fs.writeFileSync(spec, stringify(expandLong(mutate(BASES[s.example] as Json, s.mutations))));
  const argv = ["plan", spec, "--offline", "--format", "json"];
  let catalog: string | undefined;
  if (s.catalog) {
    catalog = path.join(dir, `prices-${n}.csv`);
    fs.writeFileSync(catalog, mutateCsv(s.catalog));
    argv.push("--catalog", catalog);
  }
  const r = await cli(...argv);
  const where = `${spec}${catalog ? ` + ${catalog}` : ""}:\n${r.stderr.slice(0, 2000)}`;
  expect(r.stderr, where).not.toMatch(/internal error|This is a bug/);
  expect(r.stderr, where).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr.length, where).toBeLessThan(20_000); // long values are never echoed whole
  expect([0, 1], where).toContain(r.code);
  if (r.code === 0) {
    expect(JSON.parse(r.stdout), where).toMatchObject({ totals: { replicas: expect.any(Number) } });
    outcomes.plans++;
    return;
  }
  outcomes.errors++;
  const error = r.stderr.split("\n").find((l) => l.startsWith("error: "));
  expect(error, where).toBeDefined();
  // Names the file (and line), or the field of the spec at fault.
  const names = r.stderr.includes(path.basename(spec)) || (catalog !== undefined && r.stderr.includes(path.basename(catalog))) || FIELD.test(r.stderr);
  expect(names, where).toBe(true);
}

describe("fuzz: mutated specs and catalogs end in a plan or a user error naming the fault", () => {
  it("holds for 60 seeded scenarios", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => check(s, n++)),
      // Bounded so that the whole file takes seconds: a plan solves in well under a second even on a busy machine.
      { seed: 1717, numRuns: 60, endOnFailure: true },
    );
    expect(outcomes.plans).toBeGreaterThanOrEqual(3);
    expect(outcomes.errors).toBeGreaterThanOrEqual(30);
  }, 60_000);
});
