/**
 * `multicloud audit`: the listing in its three formats (golden strings), `--workload`, and
 * `--verify` exiting 0 on an intact chain and 1 naming the first line that was edited, deleted or
 * reordered; through the CLI's main entry in process, on logs sealed with fixed times.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkChain, sealEntries } from "../../core/audit/chain";
import { parseLines, renderAuditJson, renderAuditMarkdown, renderAuditTable } from "../../core/audit/render";
import { auditLogPath, buildEntry, pricesOf, type AuditEntryDraft } from "../../core/audit/entry";
import { checkPins } from "../../core/audit/pins-check";
import { cli } from "./scenario";

function draft(i: number, workload: string, before: number | null, after: number, reasons: string[]): AuditEntryDraft {
  return {
    v: 1,
    time: `2026-07-2${i}T09:30:00.000Z`,
    actor: i === 1 ? { name: "alice@example.com", source: "git" } : { name: "octocat", source: "github-actions", run: "https://github.com/acme/infra/actions/runs/42" },
    command: i === 1 ? "plan --write" : "drift --write",
    workload,
    before: before === null ? null : { specHash: `sha256:${"1".repeat(64)}`, planHash: `sha256:${"2".repeat(64)}`, monthlyUsd: before },
    after: { specHash: `sha256:${"1".repeat(64)}`, planHash: `sha256:${String(i + 2).repeat(64)}`, monthlyUsd: after },
    reasons,
    prices: { aws: { source: "file", asOf: "2026-07-20", ageDays: i } },
  };
}

const TWO = sealEntries([draft(1, "web", null, 730, ["pinned by plan: first pin of this workload"]), draft(2, "web", 730, 657, ["price-change: gcp prices fell"])], undefined, 0);
const listing = (lines: string[]) => ({ log: "Pulumi.prod.placements.log", rows: parseLines(lines), total: lines.length, chain: checkChain(lines.map((l) => `${l}\n`).join("")) });
const HEAD = "sha256:a06dcdae8a0e50b72863034bc32efa2a62c952e66c2b0892d382624b38be3b8a";

/** A stack config and its log of `lines` (the audit command reads only the log, except --init). */
function logDir(lines: string[]): { stack: string; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-audit-cli-"));
  const stack = path.join(dir, "Pulumi.prod.yaml");
  fs.writeFileSync(stack, "config: {}\n");
  fs.writeFileSync(auditLogPath(stack), lines.map((l) => `${l}\n`).join(""));
  return { stack, log: auditLogPath(stack) };
}

function five(): string[] {
  const drafts = [
    draft(1, "web", null, 730, ["pinned by plan: first pin of this workload"]),
    draft(2, "api", null, 146, ["pinned by plan: first pin of this workload"]),
    draft(3, "web", 730, 657, ["price-change: gcp prices fell"]),
    draft(4, "api", 146, 120, ["price-change: aws prices fell"]),
    draft(5, "web", 657, 584, ["price-change: finishing the deferred move"]),
  ];
  return sealEntries(drafts, undefined, 0);
}

describe("audit renderings", () => {
  it("renders the table (golden)", () => {
    expect(renderAuditTable(listing(TWO))).toBe(
      [
        "Pulumi.prod.placements.log: 2 lines",
        "┌──────┬──────────────────────┬──────────────────────────┬───────────────┬──────────┬────────────────┬───────────────┬──────────────────────────────┬────────────────────────────────────────────┐",
        "│ line │ time (UTC)           │ actor                    │ command       │ workload │ before $/month │ after $/month │ plan                         │ reasons                                    │",
        "├──────┼──────────────────────┼──────────────────────────┼───────────────┼──────────┼────────────────┼───────────────┼──────────────────────────────┼────────────────────────────────────────────┤",
        "│    1 │ 2026-07-21 09:30:00Z │ alice@example.com (git)  │ plan --write  │ web      │              - │       $730.00 │ - -> 333333333333            │ pinned by plan: first pin of this workload │",
        "│    2 │ 2026-07-22 09:30:00Z │ octocat (github-actions) │ drift --write │ web      │        $730.00 │       $657.00 │ 222222222222 -> 444444444444 │ price-change: gcp prices fell              │",
        "└──────┴──────────────────────┴──────────────────────────┴───────────────┴──────────┴────────────────┴───────────────┴──────────────────────────────┴────────────────────────────────────────────┘",
        `hash chain intact: 2 lines from the genesis, head ${HEAD}`,
        "",
      ].join("\n"),
    );
  });

  it("renders markdown for a pull request or an auditor (golden)", () => {
    expect(renderAuditMarkdown(listing(TWO))).toBe(
      [
        "### Placement audit log: `Pulumi.prod.placements.log`",
        "",
        `2 lines; hash chain intact: 2 lines from the genesis, head ${HEAD}.`,
        "",
        "| Line | Time (UTC) | Actor | Command | Workload | Before | After | Plan | Reasons | Prices |",
        "| --: | --- | --- | --- | --- | --: | --: | --- | --- | --- |",
        "| 1 | 2026-07-21 09:30:00Z | alice@example.com (git) | `plan --write` | `web` | - | $730.00 | `- -> 333333333333` | pinned by plan: first pin of this workload | aws file 2026-07-20 (1d) |",
        "| 2 | 2026-07-22 09:30:00Z | octocat (github-actions) [run](https://github.com/acme/infra/actions/runs/42) | `drift --write` | `web` | $730.00 | $657.00 | `222222222222 -> 444444444444` | price-change: gcp prices fell | aws file 2026-07-20 (2d) |",
        "",
      ].join("\n"),
    );
  });

  it("renders JSON: the lines as written, and the chain's state", () => {
    const json = JSON.parse(renderAuditJson(listing(TWO)));
    expect(json.chain).toEqual({ intact: true, lines: 2, head: HEAD });
    expect(json.entries).toEqual(TWO.map((l) => JSON.parse(l)));
  });

  it("builds an entry from pins: hashes, monthly costs, and each provider's price source and age", () => {
    const plan = { workload: "web", specHash: `sha256:${"1".repeat(64)}`, prices: { gcp: { source: "live", asOf: "2026-07-01" }, aws: { source: "snapshot", asOf: "2026-06" } }, allocations: [], totals: { monthlyUsd: 730 } };
    const now = new Date("2026-07-20T12:00:00Z");
    expect(pricesOf(plan as never, now)).toEqual({ aws: { source: "snapshot", asOf: "2026-06", ageDays: 49 }, gcp: { source: "live", asOf: "2026-07-01", ageDays: 19 } });
    const e = buildEntry({ command: "plan --write", actor: { name: "a", source: "os" }, now, before: undefined, after: { specHash: plan.specHash, plan: plan as never }, reasons: ["r"] });
    expect(e).toMatchObject({ v: 1, time: "2026-07-20T12:00:00.000Z", workload: "web", before: null, after: { specHash: plan.specHash, monthlyUsd: 730 } });
    expect(e.after.planHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("finds a pin no log line records, and a pin that differs from its workload's last line", () => {
    const plan = (monthlyUsd: number) => ({ workload: "web", specHash: `sha256:${"1".repeat(64)}`, prices: {}, allocations: [], totals: { monthlyUsd } }) as never;
    const entries = checkChain(TWO.map((l) => `${l}\n`).join("")).entries;
    const pin = (monthlyUsd: number) => ({ specHash: `sha256:${"1".repeat(64)}`, plan: plan(monthlyUsd) });
    expect(checkPins("P.yaml", { api: pin(10) }, entries)).toEqual([{ workload: "api", message: "P.yaml pins api, but no line of the log records it: it was pinned without `--write`, or its lines were removed" }]);
    expect(checkPins("P.yaml", { web: pin(657) }, entries)).toMatchObject([{ workload: "web", line: 2 }]);
  });

  it("names the log beside the stack config", () => {
    expect(auditLogPath(path.join("infra", "Pulumi.prod.yaml"))).toBe(path.join("infra", "Pulumi.prod.placements.log"));
    expect(auditLogPath("stack.yml")).toBe("stack.placements.log");
  });
});

describe("multicloud audit", () => {
  it("is listed in --help", async () => {
    const r = await cli("--help");
    expect(r.stdout).toMatch(/^ {2}audit \[options\] +the placement audit log/m);
    expect((await cli("audit", "--help")).stdout).toContain("--verify");
  });

  it("lists the log, one workload's lines with --workload, as a table or JSON", async () => {
    const { stack, log } = logDir(five());
    const table = await cli("audit", "--stack-config", stack, "--workload", "api");
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toBe(`${log}: 5 lines, 2 for workload api`);
    expect(table.stdout).toMatch(/│ +2 │ 2026-07-22/);
    expect(table.stdout).not.toMatch(/│ +1 │ 2026-07-21/);
    const json = JSON.parse((await cli("audit", "--stack-config", stack, "--format", "json")).stdout);
    expect(json.entries.map((e: { seq: number; workload: string }) => `${e.seq}:${e.workload}`)).toEqual(["1:web", "2:api", "3:web", "4:api", "5:web"]);
    const typo = await cli("audit", "--stack-config", stack, "--workload", "wbe");
    expect(typo.stderr).toBe(`warning: --workload wbe: no line of ${log} names it (did you mean "web"?); it records api, web\n`);
  });

  it("--verify exits 0 on an intact chain and prints its head", async () => {
    const { stack, log } = logDir(five());
    const r = await cli("audit", "--stack-config", stack, "--verify");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${log.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: intact: 5 lines from the genesis, each matching its own hash and the prev of the line after it; head sha256:[0-9a-f]{64}\n${stack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: its 0 pinned placements match the last log line of each workload\n$`));
  });

  it.each([
    ["an edited line", (l: string[]) => (l[2] = l[2]!.replace('"monthlyUsd":657', '"monthlyUsd":600')), 3, "its content no longer matches its hash: the line was edited"],
    ["a deleted line", (l: string[]) => l.splice(1, 1), 2, "it was written as line 3: 1 line was deleted before it, or lines were reordered"],
    ["two reordered lines", (l: string[]) => ([l[3], l[4]] = [l[4]!, l[3]!]), 4, "it was written as line 5: 1 line was deleted before it, or lines were reordered"],
  ])("--verify exits 1 on %s, naming the first line that no longer matches", async (_what, tamper, line, reason) => {
    const lines = five();
    tamper(lines);
    const { stack, log } = logDir(lines);
    const r = await cli("audit", "--stack-config", stack, "--verify");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${log}:${line}: BROKEN at line ${line}: ${reason}\n`);
    expect(r.stderr).toBe(
      `error: ${log}:${line}: the audit log's hash chain is broken at line ${line}: ${reason}. Restore the log from version control (e.g. \`git checkout -- ${log}\`), then run the command again; \`multicloud audit --verify\` checks it\n`,
    );
    const json = await cli("audit", "--stack-config", stack, "--verify", "--format", "json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ log, intact: false, line, reason });
    // The listing still shows every line, and says the chain is broken.
    const listed = await cli("audit", "--stack-config", stack);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`HASH CHAIN BROKEN at line ${line}: ${reason}`);
  });

  it("a missing log is an error saying what creates it", async () => {
    const { stack, log } = logDir([]);
    fs.rmSync(log);
    const r = await cli("audit", "--stack-config", stack, "--verify");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: no audit log at ${log}: the first \`multicloud plan SPEC --stack-config ${stack} --write\` (or \`drift --write\`) creates it; for placements pinned before audit logging, run \`multicloud audit --stack-config ${stack} --init\`\n`,
    );
  });
});
