/**
 * `plan --write` and `drift --write` with the audit log, through the CLI's main entry in process:
 * each appends exactly one line per changed workload, whose hashes and costs are the ones written
 * to the stack config; nothing changed, no line; the stack config and the log change together or
 * not at all (a missing log beside pinned placements, a broken chain, a log that cannot be written,
 * a config that cannot be written); and the actor never carries a token.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { restoreEnv } from "../helpers/env";
import * as fs from "node:fs";
import * as path from "node:path";
import { readStackConfig } from "../../core/placement/stack-config";
import { planHash } from "../../core/plan/plan";
import { CLOUDS } from "../../clouds/registry";
import { cli, logLines, scenario, STACK, type Scenario } from "./scenario";

const saved = { ...process.env };
beforeEach(() => {
  for (const k of ["MULTICLOUD_ACTOR", "GITHUB_ACTOR", "GITHUB_TOKEN", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITLAB_CI"]) delete process.env[k];
  process.env.MULTICLOUD_ACTOR = "release-bot";
});
afterEach(() => restoreEnv(saved));

/** The one error line of a failed command (stale-price warnings may come before it); never an internal error. */
function errorLine(stderr: string): string {
  expect(stderr).not.toContain("internal error");
  return stderr.split("\n").find((l) => l.startsWith("error: ")) ?? "";
}

const pinArgs = (s: Scenario, spec = s.web, catalog = s.before) => ["plan", spec, "--catalog", catalog, "--stack-config", s.stack, "--write", "--format", "json"];

/** What the stack config pins for a workload, as the log should record it. */
function pinned(s: Scenario, workload: string) {
  const p = readStackConfig(s.stack, CLOUDS).placements[workload]!;
  return { specHash: p.specHash, planHash: planHash(p.plan), monthlyUsd: p.plan.totals.monthlyUsd };
}

describe("plan --write and the audit log", () => {
  it("appends one line per pin whose hashes and costs are those of the stack config; the same pin again appends none", async () => {
    const s = scenario();
    expect((await cli(...pinArgs(s))).code).toBe(0);
    const [first, ...rest] = logLines(s);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      v: 1,
      seq: 1,
      command: "plan --write",
      workload: "web",
      actor: { name: "release-bot", source: "MULTICLOUD_ACTOR" },
      before: null,
      after: pinned(s, "web"),
      reasons: ["pinned by plan: first pin of this workload"],
      prices: { aws: { source: "file", asOf: "2026-07-20" }, gcp: { source: "file", asOf: "2026-07-20" } },
    });
    expect(first!.after.monthlyUsd).toBe(730); // 10 x m.large at $0.10/h x 730 h
    expect(first!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const log = fs.readFileSync(s.log, "utf8");
    const config = fs.readFileSync(s.stack, "utf8");
    const again = await cli(...pinArgs(s));
    expect(again.stderr).toContain("already pins this plan for web; left unchanged");
    expect(fs.readFileSync(s.log, "utf8")).toBe(log);
    expect(fs.readFileSync(s.stack, "utf8")).toBe(config);
  });

  it("records the replaced pin as before, and why: the spec change", async () => {
    const s = scenario();
    await cli(...pinArgs(s));
    const firstPin = pinned(s, "web");
    fs.writeFileSync(s.web, "name: web\ndemand: { replicas: 12, cpu: 2, memoryGiB: 8 }\nproviders: { aws: {}, gcp: {} }\n");
    expect((await cli(...pinArgs(s))).code).toBe(0);
    const lines = logLines(s);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ seq: 2, before: firstPin, after: pinned(s, "web"), reasons: ["pinned by plan: spec changed: demand.replicas: 10 -> 12"] });
    expect(lines[1]!.after.monthlyUsd).toBe(876);
    const verify = await cli("audit", "--stack-config", s.stack, "--verify");
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`${s.stack}: its 1 pinned placement matches the last log line of each workload`);
  });

  it("--verify ties the log to the stack config: the last line removed (which the chain alone cannot see) shows", async () => {
    const s = scenario();
    await cli(...pinArgs(s));
    const firstLog = fs.readFileSync(s.log, "utf8");
    fs.writeFileSync(s.web, "name: web\ndemand: { replicas: 12, cpu: 2, memoryGiB: 8 }\nproviders: { aws: {}, gcp: {} }\n");
    await cli(...pinArgs(s));
    fs.writeFileSync(s.log, firstLog);
    const r = await cli("audit", "--stack-config", s.stack, "--verify");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${s.stack}: DOES NOT MATCH the log:\n  ${s.stack} pins web at plan ${pinned(s, "web").planHash} ($876/month), but the log's last line for it (line 1) records plan`);
    expect(errorLine(r.stderr)).toBe(`error: ${s.stack} does not match its audit log ${s.log}: web; restore the config or the log from version control, or re-pin with \`--write\``);
  });
});

describe("drift --write and the audit log", () => {
  it("appends one line per workload it re-pins, none for the others, none when nothing drifts", async () => {
    const s = scenario();
    await cli(...pinArgs(s));
    await cli(...pinArgs(s, s.api));
    const webBefore = pinned(s, "web");
    const apiBefore = pinned(s, "api");
    expect(logLines(s)).toHaveLength(2);

    const quiet = await cli("drift", "--stack-config", s.stack, "--catalog", s.before, "--write");
    expect(quiet.code).toBe(0);
    expect(logLines(s)).toHaveLength(2);

    const moved = await cli("drift", "--stack-config", s.stack, "--catalog", s.after, "--write", "--format", "json");
    expect(moved.code).toBe(2);
    const lines = logLines(s);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ seq: 3, command: "drift --write", workload: "web", before: webBefore, after: pinned(s, "web") });
    expect(lines[2]!.before.monthlyUsd).toBe(730);
    expect(lines[2]!.after.monthlyUsd).toBe(JSON.parse(moved.stdout).workloads.find((w: { workload: string }) => w.workload === "web").afterMonthlyUsd);
    expect(lines[2]!.reasons.some((r: string) => r.startsWith("price-change: "))).toBe(true);
    expect(pinned(s, "api")).toEqual(apiBefore);
    expect((await cli("audit", "--stack-config", s.stack, "--verify")).code).toBe(0);
  });
});

/**
 * Makes the stack config's atomic write fail after the log line is appended, for root too:
 * writeFileAtomic (core/util/files.ts) writes `.<name>.<pid>.tmp` first, and here that name is a
 * link to a folder (this process's pid: the CLI runs in process).
 */
function blockConfigWrite(s: Scenario): void {
  fs.symlinkSync(s.dir, path.join(s.dir, `.Pulumi.prod.yaml.${process.pid}.tmp`));
}

describe("the stack config and its log change together or not at all", () => {
  it("refuses to write when the log is missing but the config already pins placements; --init starts it", async () => {
    const s = scenario();
    await cli(...pinArgs(s));
    fs.rmSync(s.log);
    const config = fs.readFileSync(s.stack, "utf8");
    const r = await cli(...pinArgs(s, s.api));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: the audit log ${s.log} is missing, but ${s.stack} already pins web`);
    expect(r.stderr).toContain(`multicloud audit --stack-config ${s.stack} --init`);
    expect(fs.readFileSync(s.stack, "utf8")).toBe(config);
    expect(fs.existsSync(s.log)).toBe(false);

    const init = await cli("audit", "--stack-config", s.stack, "--init");
    expect(init).toMatchObject({ code: 0, stderr: `started the audit log ${s.log} with 1 line (one per pinned workload)\n` });
    expect(logLines(s)[0]).toMatchObject({ command: "audit --init", workload: "web", before: pinned(s, "web"), after: pinned(s, "web") });
    expect((await cli("audit", "--stack-config", s.stack, "--init")).stderr).toMatch(/already exists/);
    expect((await cli(...pinArgs(s, s.api))).code).toBe(0);
    expect(logLines(s).map((l) => l.workload)).toEqual(["web", "api"]);
    expect((await cli("audit", "--stack-config", s.stack, "--verify")).code).toBe(0);
  });

  it("refuses to write on a broken chain, naming the line, and leaves both files as they were", async () => {
    const s = scenario();
    await cli(...pinArgs(s));
    fs.writeFileSync(s.log, fs.readFileSync(s.log, "utf8").replace('"release-bot"', '"someone-else"'));
    const log = fs.readFileSync(s.log, "utf8");
    const config = fs.readFileSync(s.stack, "utf8");
    const r = await cli(...pinArgs(s, s.api));
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/^error: .*Pulumi\.prod\.placements\.log:1: the audit log's hash chain is broken at line 1: its content no longer matches its hash/);
    expect(fs.readFileSync(s.log, "utf8")).toBe(log);
    expect(fs.readFileSync(s.stack, "utf8")).toBe(config);
  });

  it("an unwritable log (here a folder in its place) is an error before the stack config changes", async () => {
    const s = scenario();
    fs.mkdirSync(s.log);
    const r = await cli(...pinArgs(s));
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/^error: cannot read the audit log .*Pulumi\.prod\.placements\.log: EISDIR.*nothing was changed$/);
    expect(fs.readFileSync(s.stack, "utf8")).toBe(STACK);
    expect(fs.existsSync(`${s.log}.lock`)).toBe(false);
  });

  it("rolls the log back to its previous bytes when the stack config cannot be written", async () => {
    const s = scenario();
    await cli(...pinArgs(s));
    const log = fs.readFileSync(s.log, "utf8");
    const config = fs.readFileSync(s.stack, "utf8");
    blockConfigWrite(s);
    const r = await cli(...pinArgs(s, s.api));
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/^error: cannot write .*Pulumi\.prod\.yaml: EISDIR/);
    expect(fs.readFileSync(s.log, "utf8")).toBe(log);
    expect(fs.readFileSync(s.stack, "utf8")).toBe(config);
    expect(fs.existsSync(`${s.log}.lock`)).toBe(false);
  });

  it("removes a log it created when the first config write fails", async () => {
    const s = scenario();
    blockConfigWrite(s);
    expect((await cli(...pinArgs(s))).code).toBe(1);
    expect(fs.existsSync(s.log)).toBe(false);
  });
});

describe("the actor", () => {
  it("is the CI's actor and run URL, and never a token from the environment", async () => {
    const s = scenario();
    const token = "ghs_Xq7Jd9Lm2Pz4Rt6Vw8Yb0Nc3Kf5Hs1Ga7Ue";
    delete process.env.MULTICLOUD_ACTOR;
    Object.assign(process.env, {
      GITHUB_TOKEN: token,
      GITHUB_ACTOR: "octocat",
      GITHUB_SERVER_URL: `https://x-access-token:${token}@github.com`,
      GITHUB_REPOSITORY: "acme/infra",
      GITHUB_RUN_ID: "1658821493",
    });
    await cli(...pinArgs(s));
    expect(logLines(s)[0]!.actor).toEqual({ name: "octocat", source: "github-actions", run: "https://github.com/acme/infra/actions/runs/1658821493" });
    process.env.MULTICLOUD_ACTOR = token; // pasted by mistake
    await cli(...pinArgs(s, s.api));
    expect(logLines(s)[1]!.actor).toEqual({ name: "[redacted]", source: "MULTICLOUD_ACTOR" });
    expect(fs.readFileSync(s.log, "utf8")).not.toContain(token);
    expect(fs.readFileSync(s.log, "utf8")).not.toContain(token.slice(4, 20));
  });
});
