/**
 * The audit log on disk and the one way to change a stack config with it: never a config change
 * without its log line, never a log line without its config change.
 *
 * `commitAudited`, in this order:
 * 1. take the lock beside the log (./lock.ts): a log that cannot be locked is an error, nothing changed;
 * 2. read the log and verify its whole chain: a broken chain is an error (restore it before writing),
 *    so a tampered line is caught at the next write as well as by `--verify`;
 *    a missing log is started only when the stack config pins nothing yet (see `missingLogError`);
 * 3. re-read the stack config: it must be the bytes the command planned from (another writer, or an
 *    editor, changed it meanwhile: run again);
 * 4. append the new lines with one write and fsync: an unwritable log is an error, config unchanged;
 * 5. write the stack config (atomically: temp file and rename); if that fails, the log is cut back
 *    to its previous length (or removed if this write created it) and the error is raised;
 * 6. release the lock.
 * A crash (power loss, kill -9) between 4 and 5 leaves lines whose change is not in the config:
 * the chain stays intact, and `multicloud audit --verify` reports the config not matching the log's
 * last line for that workload (./pins-check.ts). Lines that say what was attempted and by whom are
 * the safer side for an audit trail; a config change with no line is what must never happen.
 */
import * as fs from "node:fs";
import { UserError } from "../util/errors";
import { checkChain, sealEntries, splitLog } from "./chain";
import type { AuditEntry, AuditEntryDraft } from "./entry";
import { withFileLock, type LockOptions } from "./lock";

/** The log's text, or undefined when the file does not exist. */
export function readAuditLogText(logFile: string): string | undefined {
  try {
    return fs.readFileSync(logFile, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserError(`cannot read the audit log ${logFile}: ${(err as Error).message}: it must be a readable file (JSON lines) beside the stack config; nothing was changed`);
  }
}

/** The verified entries of a log; a broken chain is a UserError naming the line. */
export function readVerifiedLog(logFile: string): AuditEntry[] {
  const text = readAuditLogText(logFile) ?? "";
  const check = checkChain(text);
  if (!check.ok) throw brokenChainError(logFile, check.line, check.reason);
  return check.entries;
}

export function brokenChainError(logFile: string, line: number, reason: string): UserError {
  return new UserError(
    `${logFile}:${line}: the audit log's hash chain is broken at line ${line}: ${reason}. ` +
      `Restore the log from version control (e.g. \`git checkout -- ${logFile}\`), then run the command again; \`multicloud audit --verify\` checks it`,
  );
}

export function missingLogError(logFile: string, stackConfigFile: string, pinned: readonly string[]): UserError {
  return new UserError(
    `the audit log ${logFile} is missing, but ${stackConfigFile} already pins ${pinned.join(", ")}: a deleted log must not restart silently. ` +
      `Restore it (e.g. \`git checkout -- ${logFile}\`), or, if these placements were pinned before audit logging, start the log with ` +
      `\`multicloud audit --stack-config ${stackConfigFile} --init\`; the stack config was not changed`,
  );
}

export interface AuditedWrite {
  logFile: string;
  /** The stack config as the command read it: it must still hold exactly these bytes. */
  stackConfigFile: string;
  stackConfigText: string;
  /** Workloads the stack config pinned before this write: with any, a missing log is an error. */
  pinnedBefore: readonly string[];
  drafts: readonly AuditEntryDraft[];
  /** Writes the stack config (throws on failure). */
  writeConfig: () => void;
  lock?: LockOptions;
}

/** Appends the drafts' lines and writes the stack config, both or neither (see the module comment). */
export function commitAudited(w: AuditedWrite): AuditEntry[] {
  if (w.drafts.length === 0) return [];
  return withFileLock(`${w.logFile}.lock`, `the audit log ${w.logFile}`, () => {
    const text = readAuditLogText(w.logFile);
    if (text === undefined && w.pinnedBefore.length > 0) throw missingLogError(w.logFile, w.stackConfigFile, w.pinnedBefore);
    const check = checkChain(text ?? "");
    if (!check.ok) throw brokenChainError(w.logFile, check.line, check.reason);
    let current: string;
    try {
      current = fs.readFileSync(w.stackConfigFile, "utf8");
    } catch (err) {
      throw new UserError(`cannot read ${w.stackConfigFile} again before writing it: ${(err as Error).message}`);
    }
    if (current !== w.stackConfigText) {
      throw new UserError(`${w.stackConfigFile} changed while this command ran (another \`--write\`, or an editor): nothing was written; run the command again`);
    }
    const { lines } = splitLog(text ?? "");
    const sealed = sealEntries(w.drafts, lines[lines.length - 1], lines.length);
    const previousLength = Buffer.byteLength(text ?? "", "utf8");
    appendLines(w.logFile, sealed, w.stackConfigFile);
    try {
      w.writeConfig();
    } catch (err) {
      rollBack(w.logFile, text === undefined ? undefined : previousLength, err as Error);
      throw err;
    }
    return sealed.map((line) => JSON.parse(line) as AuditEntry);
  }, w.lock);
}

/** One `write` of whole lines, then fsync: the lines are on disk before the config changes. */
export function appendLines(logFile: string, lines: readonly string[], stackConfigFile?: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(logFile, "a", 0o644);
    fs.writeSync(fd, lines.map((l) => `${l}\n`).join(""));
    fs.fsyncSync(fd);
  } catch (err) {
    throw new UserError(
      `cannot append to the audit log ${logFile}: ${(err as Error).message}: make the file and its folder writable` +
        (stackConfigFile ? `; ${stackConfigFile} was not changed` : ""),
    );
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Cuts the log back to `length` bytes (undefined: this write created it, so remove it). */
function rollBack(logFile: string, length: number | undefined, cause: Error): void {
  try {
    if (length === undefined) fs.rmSync(logFile, { force: true });
    else fs.truncateSync(logFile, length);
  } catch (err) {
    throw new UserError(
      `${cause.message}; and the lines just appended to ${logFile} could not be removed (${(err as Error).message}): ` +
        `remove its last lines by hand${length === undefined ? " (delete the file)" : ` (truncate it to ${length} bytes)`}`,
    );
  }
}
