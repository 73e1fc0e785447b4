/**
 * The smaller review items of issue 12, each as a user meets it through `run([...])`: --live with
 * --offline, offline `prices refresh`, `plan -` from stdin, --out into a missing folder, hints for
 * another cloud's region and a misspelt field, a backup spec given to `plan`, stale prices, CRLF
 * stack configs, the table's fleet total, and GPUs without a gpuType.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../provider/cli/main";
import type { Io } from "../provider/cli/io";
import { catalogCsv, offer } from "./helpers/catalog";
import { planHash, pricesStale, type Plan } from "../core/plan/plan";
import { planSchema } from "../core/placement/plan-schema";
import { readStackConfig } from "../core/placement/stack-config";
import { CLOUDS } from "../clouds/registry";

const root = path.resolve(__dirname, "..");
const DAY = 86_400_000;

async function cli(argv: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), ...(stdin === undefined ? {} : { stdin: async () => stdin }) };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "mc-smaller-"));
}

const SPEC = ["name: web", "demand: { replicas: 8, cpu: 2, memoryGiB: 8 }", "providers:", "  aws: { regions: [us-east-1] }", "  gcp: { regions: [us-central1] }", ""].join("\n");

/** A two-cloud catalog file dated `ageDays` ago (its mtime is its as-of date). */
function scenario(dir: string, ageDays = 0): { spec: string; catalog: string } {
  const catalog = path.join(dir, "prices.csv");
  fs.writeFileSync(
    catalog,
    catalogCsv([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2016 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.1942 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "g2-standard-4", vcpu: 4, memoryGiB: 16, gpus: 1, gpuType: "l4", onDemandHourlyUsd: 0.7 }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "g6.xlarge", vcpu: 4, memoryGiB: 16, gpus: 1, gpuType: "l4", onDemandHourlyUsd: 0.8 }),
    ]),
  );
  const when = new Date(Date.now() - ageDays * DAY);
  fs.utimesSync(catalog, when, when);
  const spec = path.join(dir, "workload.yaml");
  fs.writeFileSync(spec, SPEC);
  return { spec, catalog };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("--live with --offline", () => {
  const dir = tempDir();
  const { spec, catalog } = scenario(dir);
  const commands: Array<[string, string[]]> = [
    ["plan", ["plan", spec, "--catalog", catalog]],
    ["drift", ["drift", "--stack-config", path.join(dir, "Pulumi.none.yaml")]],
    ["failover", ["failover", spec, "--catalog", catalog]],
    ["prices show", ["prices", "show", "m7i.xlarge"]],
    ["prices export", ["prices", "export", "--provider", "aws"]],
  ];

  it.each(commands)("%s: the two flags exclude each other", async (_name, argv) => {
    vi.stubEnv("MULTICLOUD_OFFLINE", "");
    vi.stubEnv("MULTICLOUD_LIVE", "");
    const r = await cli([...argv, "--live", "--offline"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: --live and --offline exclude each other: .*drop one\n$/);
  });

  it.each(commands)("%s: so do --live and MULTICLOUD_OFFLINE=1", async (_name, argv) => {
    vi.stubEnv("MULTICLOUD_OFFLINE", "1");
    vi.stubEnv("MULTICLOUD_LIVE", "");
    const r = await cli([...argv, "--live"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --live and --offline exclude each other: .*--offline \(here MULTICLOUD_OFFLINE=1\) forbids the network/);
  });
});

describe("MULTICLOUD_OFFLINE=1 prices refresh", () => {
  it("refuses before any network work, saying why", async () => {
    vi.stubEnv("MULTICLOUD_OFFLINE", "1");
    const r = await cli(["prices", "refresh", "--provider", "aws", "--regions", "us-east-1"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    // No progress line ("aws: ...") was printed: nothing was fetched.
    expect(r.stderr).toBe("error: prices refresh fetches live prices, and MULTICLOUD_OFFLINE=1 forbids the network: unset MULTICLOUD_OFFLINE to refresh the cache\n");
  });
});

describe("multicloud plan -", () => {
  const comparable = (json: string) => json.replace(/"ms": \d+/, '"ms": 0');

  it("reads a YAML or JSON spec from standard input and plans it as the file", async () => {
    const { spec, catalog } = scenario(tempDir());
    const fromFile = await cli(["plan", spec, "--catalog", catalog, "--format", "json"]);
    const fromYaml = await cli(["plan", "-", "--catalog", catalog, "--format", "json"], SPEC);
    const json = JSON.stringify({ name: "web", demand: { replicas: 8, cpu: 2, memoryGiB: 8 }, providers: { aws: { regions: ["us-east-1"] }, gcp: { regions: ["us-central1"] } } });
    const fromJson = await cli(["plan", "-", "--catalog", catalog, "--format", "json"], json);
    expect(fromFile.code).toBe(0);
    expect([fromYaml.code, fromJson.code]).toEqual([0, 0]);
    expect(comparable(fromYaml.stdout)).toBe(comparable(fromFile.stdout));
    expect(comparable(fromJson.stdout)).toBe(comparable(fromFile.stdout));
  });

  it("names standard input <stdin> in messages", async () => {
    const { catalog } = scenario(tempDir());
    const bad = await cli(["plan", "-", "--catalog", catalog], SPEC.replace("replicas: 8", "replicas: 0"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("error: invalid workload spec: <stdin>:2: demand.replicas: expected a number >= 1, got 0\n");
    const syntax = await cli(["plan", "-", "--catalog", catalog], "name: [web\n");
    expect(syntax.stderr).toMatch(/^error: <stdin>:\d+:\d+: YAML syntax error/);
    const empty = await cli(["plan", "-", "--catalog", catalog], "");
    expect(empty.stderr).toMatch(/^error: <stdin>: the spec is empty/);
  });
});

describe("--out into a missing folder", () => {
  it("fails before reading the spec or planning, naming the folder and no temp file", async () => {
    const dir = tempDir();
    const missing = path.join(dir, "no-such-folder");
    const out = path.join(missing, "plan.json");
    // The spec does not exist either: the folder is reported first, so nothing was planned.
    const r = await cli(["plan", path.join(dir, "nope.yaml"), "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: --out ${out}: the folder ${missing} does not exist (create it first)\n`);
    expect(r.stderr).not.toMatch(/\.tmp/);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe("spec hints", () => {
  it("says which cloud a region belongs to when it is listed under another", async () => {
    const dir = tempDir();
    const spec = path.join(dir, "w.yaml");
    fs.writeFileSync(spec, "name: web\ndemand: { replicas: 2, cpu: 2, memoryGiB: 8 }\nproviders:\n  gcp: { regions: [eastus, us-central1] }\n");
    const r = await cli(["plan", spec, "--offline"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: invalid workload spec: ${spec}:4: providers.gcp.regions[0]: unknown gcp region "eastus" (that is an Azure region: list it under providers.azure)\n`);
  });

  it("suggests memoryGiB for memory, as one problem", async () => {
    const dir = tempDir();
    const spec = path.join(dir, "w.yaml");
    fs.writeFileSync(spec, "name: web\ndemand:\n  replicas: 2\n  cpu: 2\n  memory: 8\nproviders: { aws: {} }\n");
    const r = await cli(["plan", spec, "--offline"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: invalid workload spec: ${spec}:5: demand.memory: unknown field (did you mean "memoryGiB"?); expected one of: replicas, cpu, memoryGiB, gpus, fromMetrics\n`,
    );
  });

  it("points a backup spec given to plan at `multicloud backup plan`, in one line", async () => {
    const spec = path.join(root, "examples/backup/backup.yaml");
    const r = await cli(["plan", spec]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${spec}: this is a backup spec (it has source and sizeGiB, no demand): use \`multicloud backup plan ${spec}\`\n`);
    const piped = await cli(["plan", "-"], fs.readFileSync(spec, "utf8"));
    expect(piped.stderr).toBe("error: <stdin>: this is a backup spec (it has source and sizeGiB, no demand): use `multicloud backup plan FILE`\n");
  });
});

describe("stale prices", () => {
  it("are older than 90 days", () => {
    const now = new Date("2026-11-28T12:00:00Z");
    expect(pricesStale("2024-04", now)).toBe(true);
    expect(pricesStale("2026-08-29", now)).toBe(true);
    expect(pricesStale("2026-08-31", now)).toBe(false);
    expect(pricesStale("2026-11", now)).toBe(false);
  });

  it("warn on stderr and say stale: true in plan.prices; otherwise the plan is the same, hash and bytes", async () => {
    const fresh = scenario(tempDir(), 0);
    const old = scenario(tempDir(), 120);
    const a = await cli(["plan", fresh.spec, "--catalog", fresh.catalog, "--format", "json"]);
    const b = await cli(["plan", old.spec, "--catalog", old.catalog, "--format", "json"]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stderr).toBe("");
    const freshPlan = JSON.parse(a.stdout) as Plan;
    const stalePlan = JSON.parse(b.stdout) as Plan;
    expect(Object.values(freshPlan.prices).every((p) => !("stale" in p))).toBe(true);
    const asOf = stalePlan.prices.aws!.asOf;
    expect(stalePlan.prices).toEqual({ aws: { source: "file", asOf, stale: true }, gcp: { source: "file", asOf, stale: true } });
    // 120 days is 3 or 4 whole months, depending on the months between.
    expect(b.stderr).toMatch(new RegExp(`^warning: aws: file prices as of ${asOf} are [34] months old \\(stale after 90 days\\): update the --catalog file\nwarning: gcp: file prices as of ${asOf} are [34] months old`));
    expect(b.stderr.split("\n").length).toBe(3);
    // Only provenance differs: same decisions, same hash, and the stale plan reads back as a pinned plan.
    expect(planHash(stalePlan)).toBe(planHash(freshPlan));
    const unprovenanced = (json: string) => json.replace(/"ms": \d+/, '"ms": 0').replace(/"prices": \{[\s\S]*?\n  \},\n/, "");
    expect(unprovenanced(b.stdout)).toBe(unprovenanced(a.stdout));
    expect(planSchema.safeParse(stalePlan).success).toBe(true);
  });
});

describe("a CRLF stack config", () => {
  it("keeps CRLF line endings when a plan is pinned into it", async () => {
    const dir = tempDir();
    const { spec, catalog } = scenario(dir);
    const stack = path.join(dir, "Pulumi.prod.yaml");
    const original = ["# Production stack", "config:", "  aws:region: us-east-1", "  app:replicas: \"3\"", ""].join("\r\n");
    fs.writeFileSync(stack, original);
    const r = await cli(["plan", spec, "--catalog", catalog, "--stack-config", stack, "--write"]);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(stack, "utf8");
    expect(text).toMatch(/multicloud:placements:/);
    expect(text.match(/(?<!\r)\n/g)).toBeNull();
    expect(text.startsWith(original.replace(/\r\n$/, ""))).toBe(true);
    expect(Object.keys(readStackConfig(stack, CLOUDS).placements)).toEqual(["web"]);
    // Pinning the same plan again leaves the file byte-identical.
    await cli(["plan", spec, "--catalog", catalog, "--stack-config", stack, "--write"]);
    expect(fs.readFileSync(stack, "utf8")).toBe(text);
  });
});

describe("the table's total row", () => {
  it("marks the fleet's $/h so it is not read as a per-instance price", async () => {
    const { spec, catalog } = scenario(tempDir());
    const table = await cli(["plan", spec, "--catalog", catalog]);
    const total = table.stdout.split("\n").find((l) => l.includes(" total "))!;
    expect(total).toMatch(/\$\d+\.\d{4} \(fleet\)/);
    const markdown = await cli(["plan", spec, "--catalog", catalog, "--format", "markdown"]);
    expect(markdown.stdout).toMatch(/^\| \*\*total\*\* .*\| \$\d+\.\d{4} \(fleet\) \| \*\*\$[\d,.]+\*\* \|$/m);
  });
});

describe("GPUs without instance.gpuType", () => {
  it("warns naming the GPU model the plan picked, and not when gpuType is set", async () => {
    const dir = tempDir();
    const { catalog } = scenario(dir);
    const spec = path.join(dir, "gpu.yaml");
    fs.writeFileSync(spec, "name: gpu\ndemand: { replicas: 2, cpu: 2, memoryGiB: 8, gpus: 1 }\nproviders: { aws: {}, gcp: {} }\n");
    const r = await cli(["plan", spec, "--catalog", catalog, "--format", "json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Plan).allocations.map((a) => a.gpuType)).toEqual(["l4"]);
    expect(r.stderr).toBe("warning: demand.gpus is set without instance.gpuType: the plan uses l4; set instance.gpuType to choose\n");
    fs.writeFileSync(spec, "name: gpu\ndemand: { replicas: 2, cpu: 2, memoryGiB: 8, gpus: 1 }\ninstance: { gpuType: l4 }\nproviders: { aws: {}, gcp: {} }\n");
    const chosen = await cli(["plan", spec, "--catalog", catalog, "--format", "json"]);
    expect(chosen.code).toBe(0);
    expect(chosen.stderr).toBe("");
  });
});
