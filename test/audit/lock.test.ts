/**
 * Concurrent writers of one audit log (core/audit/lock.ts, core/audit/log-file.ts): two real
 * processes appending 50 lines each leave 100 lines whose chain verifies, each writer's lines in
 * its own order; a lock left by a dead process or older than the stale limit is broken; a live
 * holder makes a writer wait, then fail naming the holder and the fix; a stack config changed
 * since the command read it is never overwritten.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { checkChain } from "../../core/audit/chain";
import { commitAudited, type AuditedWrite } from "../../core/audit/log-file";
import { withFileLock } from "../../core/audit/lock";
import type { AuditEntryDraft } from "../../core/audit/entry";

const root = path.resolve(__dirname, "../..");

function files() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-audit-lock-"));
  const config = path.join(dir, "Pulumi.dev.yaml");
  fs.writeFileSync(config, "config: {}\n");
  return { dir, config, log: path.join(dir, "Pulumi.dev.placements.log") };
}

const draft = (workload: string): AuditEntryDraft => ({
  v: 1,
  time: "2026-07-20T12:00:00.000Z",
  actor: { name: "t", source: "MULTICLOUD_ACTOR" },
  command: "plan --write",
  workload,
  before: null,
  after: { specHash: `sha256:${"a".repeat(64)}`, planHash: `sha256:${"b".repeat(64)}`, monthlyUsd: 1 },
  reasons: [],
  prices: {},
});

function write(f: ReturnType<typeof files>, extra: Partial<AuditedWrite> = {}): AuditedWrite {
  return { logFile: f.log, stackConfigFile: f.config, stackConfigText: fs.readFileSync(f.config, "utf8"), pinnedBefore: [], drafts: [draft("web")], writeConfig: () => fs.writeFileSync(f.config, "config: { x: 1 }\n"), ...extra };
}

function writer(f: ReturnType<typeof files>, tag: string, start: string): Promise<{ code: number | null; stderr: string }> {
  const config = path.join(f.dir, `Pulumi.${tag}.yaml`);
  fs.writeFileSync(config, "config: {}\n");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "fixtures/append-many.ts"), f.log, config, tag, "50", start], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => {
    child.stdout.once("data", () => readyCount++);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}
let readyCount = 0;

describe("the audit log lock", () => {
  it("two processes appending 50 lines each at once leave 100 lines whose chain verifies", async () => {
    const f = files();
    const start = path.join(f.dir, "go");
    readyCount = 0;
    const done = Promise.all([writer(f, "alpha", start), writer(f, "beta", start)]);
    // Start both together, once both are loaded, so that their appends overlap.
    const deadline = Date.now() + 50_000;
    while (readyCount < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    fs.writeFileSync(start, "");
    const results = await done;
    expect(results.map((r) => r.stderr)).toEqual(["", ""]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);

    const text = fs.readFileSync(f.log, "utf8");
    const check = checkChain(text);
    expect(check.ok).toBe(true);
    expect(check.entries).toHaveLength(100);
    expect(check.entries.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    for (const tag of ["alpha", "beta"]) {
      expect(check.entries.filter((e) => e.workload === tag).map((e) => e.reasons[0])).toEqual(Array.from({ length: 50 }, (_, i) => `${tag} #${i}`));
      expect(fs.readFileSync(path.join(f.dir, `Pulumi.${tag}.yaml`), "utf8")).toBe(`${tag}: 50\n`);
    }
    expect(fs.existsSync(`${f.log}.lock`)).toBe(false);
  }, 90_000);

  it("breaks a lock left by a process that is gone", () => {
    const f = files();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    fs.writeFileSync(`${f.log}.lock`, JSON.stringify({ pid: dead, host: os.hostname(), since: "2026-07-20T12:00:00.000Z", nonce: "crashed" }));
    expect(commitAudited(write(f))).toHaveLength(1);
    expect(fs.existsSync(`${f.log}.lock`)).toBe(false);
    expect(checkChain(fs.readFileSync(f.log, "utf8")).ok).toBe(true);
  });

  it("breaks a lock older than the stale limit, whoever holds it", () => {
    const f = files();
    fs.writeFileSync(`${f.log}.lock`, JSON.stringify({ pid: 1, host: "another-host", since: "2026-07-20T12:00:00.000Z", nonce: "old" }));
    const old = new Date(Date.now() - 60 * 60_000);
    fs.utimesSync(`${f.log}.lock`, old, old);
    expect(commitAudited(write(f, { lock: { staleMs: 10 * 60_000 } }))).toHaveLength(1);
  });

  it("waits for a live holder, then fails naming it and the fix; the holder's lock stays", () => {
    const f = files();
    const lock = `${f.log}.lock`;
    const holder = JSON.stringify({ pid: process.pid, host: os.hostname(), since: "2026-07-20T12:00:00.000Z", nonce: "someone-else" });
    fs.writeFileSync(lock, holder);
    const config = fs.readFileSync(f.config, "utf8");
    expect(() => commitAudited(write(f, { lock: { timeoutMs: 100 } }))).toThrow(
      `the audit log ${f.log} is locked by process ${process.pid} on ${os.hostname()} since 2026-07-20T12:00:00.000Z (${lock}): another \`multicloud ... --write\` is running; wait for it, or, if none is running, delete ${lock}`,
    );
    expect(fs.readFileSync(lock, "utf8")).toBe(holder);
    expect(fs.readFileSync(f.config, "utf8")).toBe(config);
    expect(fs.existsSync(f.log)).toBe(false);
  });

  it("releases the lock when the guarded work throws", () => {
    const f = files();
    expect(() => withFileLock(`${f.log}.lock`, "x", () => { throw new Error("boom"); })).toThrow("boom");
    expect(fs.existsSync(`${f.log}.lock`)).toBe(false);
  });

  it("never overwrites a stack config changed since the command read it", () => {
    const f = files();
    const w = write(f);
    fs.writeFileSync(f.config, "config: { edited: true }\n");
    expect(() => commitAudited(w)).toThrow(`${f.config} changed while this command ran (another \`--write\`, or an editor): nothing was written; run the command again`);
    expect(fs.readFileSync(f.config, "utf8")).toBe("config: { edited: true }\n");
    expect(fs.existsSync(f.log)).toBe(false);
  });
});
