/**
 * Placement record and drift, end to end through the CLI on crafted catalogs: pinning, hysteresis,
 * the disruption budget, --write round trips that keep the rest of the stack config, exit codes
 * 0/2/1, and golden files for the markdown and table reports.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { catalogCsv, offer } from "./helpers/catalog";
import type { InstanceOffer } from "../core/catalog/offer";
import { CLOUDS } from "../clouds/registry";
import { cli } from "./helpers/cli";


const STACK = `# Production stack: reviewed by the infra team.
config:
  aws:region: us-east-1   # the default provider's region
  web:domain: example.com
  # secrets stay encrypted
  web:apiKey:
    secure: AAABAKxyz==
`;

function scenario(gcpPrice: number, extra: InstanceOffer[] = [], awsType = "m.large") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-drift-"));
  const write = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
  const spec = write("web.yaml", "name: web\ndemand: { replicas: 10, cpu: 2, memoryGiB: 8 }\nproviders: { aws: {}, gcp: {} }\n");
  const prices = (gcp: number, aws = awsType) =>
    catalogCsv([
      offer({ provider: "aws", region: "us-east-1", instanceType: aws, vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "n.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: gcp }),
      ...extra,
    ]);
  const before = write("before.csv", prices(0.11, "m.large"));
  const after = write("after.csv", prices(gcpPrice));
  const stack = write("Pulumi.prod.yaml", STACK);
  return { dir, spec, before, after, stack };
}

async function pin(s: ReturnType<typeof scenario>) {
  const r = await cli("plan", s.spec, "--catalog", s.before, "--stack-config", s.stack, "--write");
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`pinned the plan for web in ${s.stack}`);
}

describe("multicloud plan --write", () => {
  it("pins the plan and keeps comments, other keys and secrets byte for byte", async () => {
    const s = scenario(0.11);
    await pin(s);
    const text = fs.readFileSync(s.stack, "utf8");
    expect(text.startsWith(STACK)).toBe(true);
    expect(text).toMatch(/^  multicloud:placements:\n    web:\n      specHash: sha256:[0-9a-f]{64}\n/m);
    // Pinning the same plan again leaves the file untouched.
    await cli("plan", s.spec, "--catalog", s.before, "--stack-config", s.stack, "--write");
    expect(fs.readFileSync(s.stack, "utf8")).toBe(text);
  });

  it("keeps every key of a flow-style config mapping", async () => {
    const s = scenario(0.11);
    fs.writeFileSync(s.stack, "# flow style\nconfig: { aws:region: us-east-1, gcp:project: p1 }\n");
    await pin(s);
    const { parse } = await import("yaml");
    const config = parse(fs.readFileSync(s.stack, "utf8")).config;
    expect(Object.keys(config)).toEqual(["aws:region", "gcp:project", "multicloud:placements"]);
    expect(fs.readFileSync(s.stack, "utf8")).toMatch(/^# flow style\n/);
    expect((await cli("drift", "--stack-config", s.stack, "--catalog", s.before)).code).toBe(0);
  });

  it("refuses --write without --stack-config, and a missing stack config", async () => {
    const s = scenario(0.11);
    expect((await cli("plan", s.spec, "--write")).stderr).toBe("error: --write needs --stack-config Pulumi.<stack>.yaml: the file to pin the plan in\n");
    const missing = await cli("plan", s.spec, "--stack-config", path.join(s.dir, "Pulumi.nope.yaml"), "--write");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: stack config file not found: .*Pulumi\.nope\.yaml/);
  });
});

describe("multicloud drift", () => {
  it("exits 0 when the pinned plan is still the optimum", async () => {
    const s = scenario(0.11);
    await pin(s);
    const r = await cli("drift", "--stack-config", s.stack, "--catalog", s.before);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no-change: the pinned plan is still the optimum");
  });

  it("exits 0 when the saving is below --min-savings, and 2 when it is above", async () => {
    const s = scenario(0.098); // 2% cheaper on GCP
    await pin(s);
    const below = await cli("drift", "--stack-config", s.stack, "--catalog", s.after);
    expect(below.code).toBe(0);
    expect(below.stdout).toContain("below-threshold: a re-plan would save 2.00% ($14.60/month), below the 5% threshold");
    const lowered = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--min-savings", "0.5");
    expect(lowered.code).toBe(2);
  });

  it("splits a big move by the disruption budget, then converges: write, drift, write, drift = 0", async () => {
    const s = scenario(0.08); // GCP 20% cheaper: the optimum moves all 10 replicas
    await pin(s);
    const first = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--format", "json", "--write");
    expect(first.code).toBe(2);
    const report = JSON.parse(first.stdout);
    const web = report.workloads[0];
    expect(web.disruption).toMatchObject({ replicas: 10, moved: 5, budget: 5, deferredOptimumMonthlyUsd: 584 });
    expect(web.changes.map((c: { kind: string; instanceType: string; countBefore: number; countAfter: number }) => `${c.kind} ${c.instanceType} ${c.countBefore}->${c.countAfter}`)).toEqual(["~ m.large 10->5", "+ n.large 0->5"]);
    expect(web).toMatchObject({ beforeMonthlyUsd: 730, afterMonthlyUsd: 657, deltaMonthlyUsd: -73, deltaPct: -10 });
    expect(first.stderr).toBe(`wrote 1 proposed placement to ${s.stack}\n`);
    expect(fs.readFileSync(s.stack, "utf8").startsWith(STACK)).toBe(true);

    const second = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--write");
    expect(second.code).toBe(2);
    const third = await cli("drift", "--stack-config", s.stack, "--catalog", s.after);
    expect(third.code).toBe(0);
  });

  it("finishes a move the budget deferred even when its remainder saves less than --min-savings", async () => {
    const s = scenario(0.08); // the full move saves 20%; the first budgeted step 10%, the rest 11.1%
    await pin(s);
    const first = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--min-savings", "15", "--write");
    expect(first.code).toBe(2);
    expect(fs.readFileSync(s.stack, "utf8")).toMatch(/moveInProgress:\n\s+optimumMonthlyUsd: 584\n/);
    const second = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--min-savings", "15", "--format", "json", "--write");
    expect(second.code).toBe(2);
    expect(JSON.parse(second.stdout).workloads[0].reasons[0].message).toBe("continuing the move deferred by the disruption budget: $73.00/month (11.11%) still to save");
    expect(fs.readFileSync(s.stack, "utf8")).not.toContain("moveInProgress");
    expect((await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--min-savings", "15")).code).toBe(0);
  });

  it("proposes nothing for a tie, whatever --min-savings says", async () => {
    const s = scenario(0.1); // GCP now costs what AWS does: moving would save nothing
    await pin(s);
    const r = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--min-savings", "0");
    expect(r.code).toBe(0);
  });

  it("must move off a retired instance type, whatever the savings", async () => {
    const s = scenario(0.2, [], "m.large-v2"); // m.large is gone; GCP is dearer
    await pin(s);
    const r = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--format", "json");
    expect(r.code).toBe(2);
    const web = JSON.parse(r.stdout).workloads[0];
    expect(web.reasons[0]).toEqual({ kind: "retired-type", message: "no longer offered: aws/us-east-1/m.large (on-demand)" });
    expect(web.changes.map((c: { kind: string; instanceType: string }) => `${c.kind} ${c.instanceType}`)).toEqual(["+ m.large-v2", "- m.large"]);
  });

  it("renders the markdown and table reports (golden files)", async () => {
    const s = scenario(0.08);
    await pin(s);
    for (const [format, file] of [["markdown", "drift.md"], ["table", "drift.txt"]] as const) {
      const r = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--format", format);
      expect(r.code).toBe(2);
      await expect(r.stdout).toMatchFileSnapshot(`golden/${file}`);
    }
  });

  it("reads placements of deployed workloads from `pulumi stack export` when the config pins none", async () => {
    const s = scenario(0.08);
    const planned = await cli("plan", s.spec, "--catalog", s.before, "--format", "json");
    const plan = JSON.parse(planned.stdout);
    const { validateSpec } = await import("../core");
    const { parseCatalogCsv } = await import("../core");
    const spec = validateSpec({ name: "web", demand: { replicas: 10, cpu: 2, memoryGiB: 8 }, providers: { aws: {}, gcp: {} } }, parseCatalogCsv(fs.readFileSync(s.before, "utf8"), "c", "2026-01-01", CLOUDS), CLOUDS);
    const exportFile = path.join(s.dir, "stack.json");
    fs.writeFileSync(exportFile, JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:prod::p::multicloud:index:MultiCloudWorkload::web", type: "multicloud:index:MultiCloudWorkload", outputs: { plan, spec } }] } }));
    const r = await cli("drift", "--stack-config", s.stack, "--stack-export", exportFile, "--catalog", s.after, "--write");
    expect(r.code).toBe(2);
    expect(fs.readFileSync(s.stack, "utf8")).toContain("multicloud:placements:\n    web:");
  });

  it("says the proposal is written, not to apply it, in the markdown of --write", async () => {
    const s = scenario(0.08);
    await pin(s);
    const r = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--format", "markdown", "--write");
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("by `multicloud drift --write`: review the config diff here, merge, then `pulumi up`.");
    expect(r.stdout).not.toContain("Apply with");
  });

  it("reports every other workload when one cannot be re-planned today, then exits 1 naming it", async () => {
    const s = scenario(0.2);
    const api = path.join(s.dir, "api.yaml");
    // GCP only, on a budget that today's GCP price (0.11 -> 0.2) breaks.
    fs.writeFileSync(api, "name: api\ndemand: { replicas: 2, cpu: 2, memoryGiB: 8 }\nproviders: { gcp: {} }\nconstraints: { maxMonthlyUsd: 170 }\n");
    expect((await cli("plan", s.spec, "--catalog", s.before, "--stack-config", s.stack, "--write")).code).toBe(0);
    expect((await cli("plan", api, "--catalog", s.before, "--stack-config", s.stack, "--write")).code).toBe(0);
    const r = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--format", "json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.workloads.map((w: { workload: string }) => w.workload)).toEqual(["web"]);
    expect(report.failed).toEqual([{ workload: "api", error: expect.stringMatching(/multicloud:placements\.api: infeasible/) }]);
    expect(r.stderr).toMatch(/^error: .*Pulumi\.prod\.yaml: multicloud:placements\.api: infeasible/m);
  });

  it.each([
    [["--stack-config", "MISSING"], /^error: stack config file not found: /],
    [["--stack-config", "INVALID"], /^error: .*Pulumi\.bad\.yaml: not valid YAML: /],
    [["--stack-config", "EMPTY"], /^error: .*pins no placement under multicloud:placements: pin one with `multicloud plan SPEC --stack-config FILE --write`/],
    [["--stack-config", "BADRECORD"], /^error: .*invalid placement record \(3 problems\):\n  multicloud:placements\.web\.specHash: expected a hash of the form sha256:<64 hex digits>, got "nope"\n/],
    [["--stack-config", "EMPTY", "--max-disruption", "1.5"], /^error: --max-disruption: expected a fraction of replicas in \(0, 1\], got "1\.5"/],
    [["--stack-config", "EMPTY", "--min-savings", "five"], /^error: --min-savings: expected a percentage between 0 and 100, got "five"/],
    [[], /error: required option '--stack-config <file>' not specified/],
  ])("exits 1 with a clear message for %j", async (argv, message) => {
    const s = scenario(0.11);
    const files: Record<string, string> = {
      MISSING: path.join(s.dir, "Pulumi.nope.yaml"),
      INVALID: path.join(s.dir, "Pulumi.bad.yaml"),
      EMPTY: s.stack,
      BADRECORD: path.join(s.dir, "Pulumi.rec.yaml"),
    };
    fs.writeFileSync(files.INVALID!, "config:\n  a: [1, 2\n");
    fs.writeFileSync(files.BADRECORD!, "config:\n  multicloud:placements:\n    web:\n      specHash: nope\n");
    const r = await cli("drift", ...argv.map((a) => files[a] ?? a));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
