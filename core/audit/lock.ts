/**
 * A cross-process lock beside the audit log, so that concurrent `--write`s never interleave lines
 * or fork the chain: `<log>.lock` created with O_EXCL (`wx`), holding {pid, host, since, nonce}.
 *
 * Waiting: retry every 10-30 ms until `timeoutMs`, then an error naming the holder and the fix.
 * Stale locks (a writer that crashed): the holder's pid is gone on this host, or the lock is older
 * than `staleMs` (a writer on another host sharing the folder). Breaking one is itself serialised
 * by a short-lived `<log>.lock.break` (also O_EXCL) and re-checks the holder under it, so two
 * waiters cannot both break the lock and one of them delete the other's fresh lock.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { randomBytes } from "node:crypto";
import { UserError } from "../util/errors";

export interface LockOptions {
  /** How long to wait for another writer (default 30 s). */
  timeoutMs?: number;
  /** A lock older than this is stale whoever holds it (default 10 minutes). */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  nonce: string;
}

const BREAK_STALE_MS = 5_000;

/** Runs `fn` holding `lockFile`; `what` names the guarded file in messages. */
export function withFileLock<T>(lockFile: string, what: string, fn: () => T, options: LockOptions = {}): T {
  const me: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), nonce: randomBytes(8).toString("hex") };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const staleMs = options.staleMs ?? 10 * 60_000;
  for (;;) {
    if (tryCreate(lockFile, JSON.stringify(me), what)) break;
    if (breakIfStale(lockFile, staleMs)) continue;
    if (Date.now() >= deadline) {
      const holder = readHolder(lockFile);
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : "another process";
      throw new UserError(`${what} is locked by ${who} (${lockFile}): another \`multicloud ... --write\` is running; wait for it, or, if none is running, delete ${lockFile}`);
    }
    sleep(10 + Math.floor(Math.random() * 20));
  }
  try {
    return fn();
  } finally {
    // Remove only our own lock: if it was (wrongly) broken as stale, the new holder's stays.
    if (readHolder(lockFile)?.nonce === me.nonce) fs.rmSync(lockFile, { force: true });
  }
}

/** True when the lock was created; false when someone holds it; a UserError when it cannot be created at all. */
function tryCreate(lockFile: string, content: string, what: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockFile, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new UserError(`cannot create the lock file ${lockFile} for ${what}: ${(err as Error).message}: make its folder writable; nothing was changed`);
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readHolder(lockFile: string): Holder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockFile, "utf8")) as Partial<Holder>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.nonce === "string" ? (parsed as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function isStale(lockFile: string, staleMs: number): boolean {
  let ageMs: number;
  try {
    ageMs = Date.now() - fs.statSync(lockFile).mtimeMs;
  } catch {
    return false; // gone: the next try creates it
  }
  if (ageMs > staleMs) return true;
  const holder = readHolder(lockFile);
  // An unreadable holder is a lock being written right now, unless it stays so for long.
  if (!holder) return ageMs > BREAK_STALE_MS;
  return holder.host === os.hostname() && !alive(holder.pid);
}

function breakIfStale(lockFile: string, staleMs: number): boolean {
  if (!isStale(lockFile, staleMs)) return false;
  const breaker = `${lockFile}.break`;
  try {
    fs.closeSync(fs.openSync(breaker, "wx"));
  } catch {
    // Another waiter is breaking it; a breaker left by a crash is removed once old.
    try {
      if (Date.now() - fs.statSync(breaker).mtimeMs > BREAK_STALE_MS) fs.rmSync(breaker, { force: true });
    } catch {
      /* gone already */
    }
    return false;
  }
  try {
    // Re-checked under the breaker: the lock may have been broken and re-taken meanwhile.
    if (!isStale(lockFile, staleMs)) return false;
    fs.rmSync(lockFile, { force: true });
    return true;
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, ms);
}
