/**
 * `multicloud plan` as a user runs it: exit codes, one-line errors on stderr without stack traces,
 * the three formats, --out, and byte-identical JSON across runs. In process through `run()`, plus
 * one real process through bin/multicloud.js.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { catalogCsv, offer } from "./helpers/catalog";
import { cli } from "./helpers/cli";

const root = path.resolve(__dirname, "..");


function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "mc-cli-"));
}

/** A three-cloud catalog with exact prices, so outputs are pinned regardless of the snapshot. */
function writeScenario(dir: string): { spec: string; catalog: string } {
  const catalog = path.join(dir, "prices.csv");
  fs.writeFileSync(
    catalog,
    catalogCsv([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2016, spotHourlyUsd: 0.09 }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.2xlarge", vcpu: 8, memoryGiB: 32, onDemandHourlyUsd: 0.4032, spotHourlyUsd: 0.18 }),
      offer({ provider: "azure", region: "eastus", instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.192 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.1942, spotHourlyUsd: 0.0467 }),
    ]),
  );
  fs.utimesSync(catalog, new Date("2026-07-20T12:00:00Z"), new Date("2026-07-20T12:00:00Z"));
  const spec = path.join(dir, "workload.yaml");
  fs.writeFileSync(
    spec,
    [
      "name: web",
      "demand: { replicas: 48, cpu: 2, memoryGiB: 8 }",
      "providers:",
      "  aws: { regions: [us-east-1] }",
      "  azure: { regions: [eastus] }",
      "  gcp: { regions: [us-central1] }",
      "constraints: { minProviders: 2, maxProviderShare: 0.5, maxSpotShare: 0.25 }",
      "",
    ].join("\n"),
  );
  return { spec, catalog };
}

describe("multicloud plan", () => {
  it("prints the plan as JSON in the DESIGN.md shape, byte-identical across runs", async () => {
    const { spec, catalog } = writeScenario(tempDir());
    const first = await cli("plan", spec, "--catalog", catalog, "--format", "json");
    const second = await cli("plan", spec, "--catalog", catalog, "--format", "json");
    expect(first.code).toBe(0);
    // The catalog file is dated 2026-07-20, more than 90 days ago: stale, a warning per provider and
    // `stale: true` in the plan (and nothing else on stderr).
    expect(first.stderr).toMatch(/^(warning: (aws|azure|gcp): file prices as of 2026-07-20 are \d+ months old \(stale after 90 days\): update the --catalog file\n){3}$/);
    const plan = JSON.parse(first.stdout);
    expect(Object.keys(plan)).toEqual(["workload", "specHash", "demand", "prices", "allocations", "totals", "explain", "solver"]);
    expect(plan.prices).toEqual({ aws: { source: "file", asOf: "2026-07-20", stale: true }, azure: { source: "file", asOf: "2026-07-20", stale: true }, gcp: { source: "file", asOf: "2026-07-20", stale: true } });
    // By hand: GCP spot is the cheapest replica slot ($0.02335) but capped at 12 (25%); Azure
    // ($0.096/slot) then GCP on-demand ($0.0971) fill the rest, each provider capped at 24 (50%).
    expect(plan.allocations).toEqual([
      { provider: "azure", region: "eastus", instanceType: "Standard_D4s_v5", lifecycle: "on-demand", count: 12, replicasPerInstance: 2, replicas: 24, vcpu: 4, memoryGiB: 16, gpus: 0, gpuType: null, hourlyUsd: 0.192 },
      { provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", lifecycle: "on-demand", count: 6, replicasPerInstance: 2, replicas: 12, vcpu: 4, memoryGiB: 16, gpus: 0, gpuType: null, hourlyUsd: 0.1942 },
      { provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", lifecycle: "spot", count: 6, replicasPerInstance: 2, replicas: 12, vcpu: 4, memoryGiB: 16, gpus: 0, gpuType: null, hourlyUsd: 0.0467 },
    ]);
    expect(plan.totals).toEqual({ replicas: 48, vcpu: 96, memoryGiB: 384, hourlyUsd: 3.7494, monthlyUsd: 2737.06 });
    expect(plan.solver).toMatchObject({ status: "optimal", gap: 0 });
    const withoutTiming = (text: string) => text.replace(/"ms": \d+/, '"ms": 0');
    expect(withoutTiming(second.stdout)).toBe(withoutTiming(first.stdout));
  });

  it("renders the table and markdown outputs (golden files)", async () => {
    const { spec, catalog } = writeScenario(tempDir());
    for (const format of ["table", "markdown"] as const) {
      const { code, stdout } = await cli("plan", spec, "--catalog", catalog, "--format", format);
      expect(code).toBe(0);
      // Ages depend on today's date and timings on the machine: pin both.
      const stable = stdout.replace(/\(\d+ months? old\)|\(under a month old\)/g, "(N months old)").replace(/\d+ ms/g, "N ms");
      await expect(stable).toMatchFileSnapshot(`golden/plan.${format === "table" ? "txt" : "md"}`);
    }
  });

  it("writes --out atomically and says so on stderr", async () => {
    const dir = tempDir();
    const { spec, catalog } = writeScenario(dir);
    const out = path.join(dir, "plan.json");
    const { code, stdout, stderr } = await cli("plan", spec, "--catalog", catalog, "--format", "json", "--out", out);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr.replace(/^warning: .* prices as of .*\n/gm, "")).toBe(`wrote the json plan for web to ${out}\n`);
    expect(JSON.parse(fs.readFileSync(out, "utf8")).workload).toBe("web");
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it.each([
    [["plan", "/nope/workload.yaml"], /^error: spec file not found: \/nope\/workload.yaml\n$/],
    [["plan", "SPEC", "--catalog", "/nope/prices.csv"], /^error: catalog file not found: \/nope\/prices.csv\n$/],
    [["plan", "SPEC", "--format", "xml"], /error: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, json, markdown./],
    [["plan"], /error: missing required argument 'spec'/],
    [["plna"], /error: unknown command 'plna'/],
  ])("exits 1 with a clear message for %j", async (argv, message) => {
    const { spec } = writeScenario(tempDir());
    const { code, stdout, stderr } = await cli(...argv.map((a) => (a === "SPEC" ? spec : a)));
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 1 with the conflicting constraints when the spec is infeasible", async () => {
    const dir = tempDir();
    const { catalog } = writeScenario(dir);
    const spec = path.join(dir, "tight.yaml");
    fs.writeFileSync(spec, "name: tight\ndemand: { replicas: 48, cpu: 2, memoryGiB: 8 }\nproviders: { aws: {}, gcp: {} }\nconstraints: { maxMonthlyUsd: 1000 }\n");
    const { code, stderr } = await cli("plan", spec, "--catalog", catalog);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: infeasible: .*constraints\.maxMonthlyUsd \(1000; without it the cheapest plan costs \$[\d,.]+\/month\)\n$/);
  });

  it("reports every spec problem with its line", async () => {
    const dir = tempDir();
    const { catalog } = writeScenario(dir);
    const spec = path.join(dir, "bad.yaml");
    fs.writeFileSync(spec, "name: web\ndemand:\n  replicas: -3\n  cpu: 2\n  memoryGiB: 8\nproviders: { aws: {} }\nconstrains: {}\n");
    const { code, stderr } = await cli("plan", spec, "--catalog", catalog);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: invalid workload spec (2 problems):\n  ${spec}:3: demand.replicas: expected a number >= 1, got -3\n  ${spec}:7: constrains: unknown field (did you mean "constraints"?); expected one of: name, demand, instance, providers, constraints, scaling, compliance, tags, traffic\n`,
    );
  });

  it("runs as a real process from bin/ on the embedded snapshot (the README's first command)", () => {
    if (!fs.existsSync(path.join(root, "dist", "provider", "cli", "main.js"))) execFileSync("npm", ["run", "build"], { cwd: root });
    const result = spawnSync(process.execPath, [path.join(root, "bin", "multicloud.js"), "plan", "examples/web/workload.yaml"], { cwd: root, encoding: "utf8", env: { ...process.env, MULTICLOUD_OFFLINE: "1" } });
    // Nothing on stderr but the embedded snapshot's staleness (prices older than 90 days).
    expect(result.stderr.replace(/^warning: \w+: snapshot prices as of \S+ are \d+ months? old \(stale after 90 days\).*\n/gm, "")).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^web: 48 replicas \(2 vCPU, 8 GiB each\) on \d+ instances, \$[\d,.]+\/month\n/);
    expect(result.stdout).toMatch(/prices: aws: snapshot prices as of/);
  });
});
