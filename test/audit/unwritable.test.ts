/**
 * A log the user cannot write (a read-only file, a read-only folder) is an error before the stack
 * config changes: the config stays byte-identical. Permissions do not bind root, so when the tests
 * run as root the CLI runs as `nobody` in a real process (bin/multicloud.js, as users run it).
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { cli, logLines, scenario, STACK } from "./scenario";

const root = path.resolve(__dirname, "../..");
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** The CLI in a process of its own, as an unprivileged user. */
function cliAsUser(dir: string, ...argv: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, "bin", "multicloud.js"), ...argv], {
    cwd: root,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: dir, MULTICLOUD_CACHE_DIR: path.join(dir, "cache"), MULTICLOUD_ACTOR: "unprivileged", MULTICLOUD_OFFLINE: "1" },
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr };
}

function readable(s: ReturnType<typeof scenario>) {
  // mkdtemp makes 0700 folders: let the unprivileged user read the inputs.
  for (const f of [s.web, s.api, s.before, s.stack]) fs.chmodSync(f, 0o644);
}

describe("an unwritable audit log", () => {
  it("a read-only log file: the command fails naming it, the stack config stays byte-identical", async () => {
    const s = scenario();
    expect((await cli("plan", s.web, "--catalog", s.before, "--stack-config", s.stack, "--write")).code).toBe(0);
    const config = fs.readFileSync(s.stack, "utf8");
    const log = fs.readFileSync(s.log, "utf8");
    readable(s);
    fs.chmodSync(s.dir, 0o777); // the folder is writable: only the log is not
    fs.chmodSync(s.log, 0o444);
    const r = cliAsUser(s.dir, "plan", s.api, "--catalog", s.before, "--stack-config", s.stack, "--write");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`error: cannot append to the audit log ${s.log}: EACCES.*make the file and its folder writable; ${s.stack} was not changed`));
    expect(fs.readFileSync(s.stack, "utf8")).toBe(config);
    expect(fs.readFileSync(s.log, "utf8")).toBe(log);
    expect(logLines(s)).toHaveLength(1);
    expect(fs.existsSync(`${s.log}.lock`)).toBe(false);
  }, 90_000);

  it("a read-only folder: the log cannot be created, and the stack config stays byte-identical", () => {
    const s = scenario();
    readable(s);
    fs.chmodSync(s.dir, 0o555);
    const r = cliAsUser(s.dir, "plan", s.web, "--catalog", s.before, "--stack-config", s.stack, "--write");
    fs.chmodSync(s.dir, 0o755);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`error: cannot create the lock file ${s.log}\\.lock for the audit log ${s.log}: EACCES.*make its folder writable; nothing was changed`));
    expect(fs.readFileSync(s.stack, "utf8")).toBe(STACK);
    expect(fs.existsSync(s.log)).toBe(false);
  }, 90_000);
});
