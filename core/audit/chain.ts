/**
 * The hash chain of the audit log. Each line is the canonical JSON (keys sorted, ../util/hash.ts)
 * of one entry with three fields added when it is sealed:
 *
 * - `seq`: its 1-based line number, so a deleted or moved line says where it went missing;
 * - `prev`: `sha256:<hex>` of the previous line's exact UTF-8 bytes (without the newline); the
 *   first line's prev is GENESIS, 64 zeros, so deleting the first line shows too;
 * - `hash`: contentHash("multicloud-audit", 1, entry without `hash`), so a line edited without
 *   re-hashing is named itself, even the last line.
 *
 * An edit that recomputes `hash` still changes the line's bytes, so the next line's `prev` no
 * longer matches. What a chain alone cannot show: truncating the last lines, or rewriting the whole
 * file; only an external anchor (the log committed in git, a recorded head hash) shows those.
 */
import { createHash } from "node:crypto";
import { canonicalJson, contentHash } from "../util/hash";
import { AUDIT_LOG_VERSION, type AuditEntry, type AuditEntryDraft } from "./entry";

export const GENESIS = `sha256:${"0".repeat(64)}`;

/** sha256 of one line's bytes, as the next line's `prev` records it. */
export function lineHash(line: string): string {
  return `sha256:${createHash("sha256").update(line, "utf8").digest("hex")}`;
}

function entryHash(entry: Omit<AuditEntry, "hash">): string {
  return contentHash("multicloud-audit", AUDIT_LOG_VERSION, entry);
}

/**
 * Lines (without newlines) for `drafts`, continuing a chain whose last line is `lastLine`
 * (undefined: an empty log) and which holds `count` lines.
 */
export function sealEntries(drafts: readonly AuditEntryDraft[], lastLine: string | undefined, count: number): string[] {
  let prev = lastLine === undefined ? GENESIS : lineHash(lastLine);
  return drafts.map((draft, i) => {
    const unsealed = { ...draft, seq: count + i + 1, prev };
    const line = canonicalJson({ ...unsealed, hash: entryHash(unsealed) });
    prev = lineHash(line);
    return line;
  });
}

export type ChainCheck =
  | { ok: true; entries: AuditEntry[]; head: string }
  /** `line` is 1-based; `entries` are the lines before it, which do verify. */
  | { ok: false; line: number; reason: string; entries: AuditEntry[] };

/** Splits log text into lines; a last line without its newline is a torn write, reported by checkChain. */
export function splitLog(text: string): { lines: string[]; torn: boolean } {
  if (text === "") return { lines: [], torn: false };
  const lines = text.split("\n");
  const torn = lines[lines.length - 1] !== "";
  if (!torn) lines.pop();
  return { lines, torn };
}

/** Verifies every line from the genesis; stops at the first line that does not match. */
export function checkChain(text: string): ChainCheck {
  const { lines, torn } = splitLog(text);
  const entries: AuditEntry[] = [];
  let prev = GENESIS;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!;
    const fail = (reason: string): ChainCheck => ({ ok: false, line: n, reason, entries });
    if (torn && n === lines.length) return fail("the line is incomplete (no newline at its end): a write was cut off, or the line was edited");
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return fail("not valid JSON: the line was edited");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return fail("not a JSON object: the line was edited");
    const entry = parsed as AuditEntry;
    if (canonicalJson(entry) !== line) return fail("not in the form the CLI writes (key order or spacing changed): the line was edited");
    const { hash, ...unsealed } = entry;
    if (typeof hash !== "string" || entryHash(unsealed) !== hash) return fail("its content no longer matches its hash: the line was edited");
    if (entry.seq !== n) {
      return fail(
        typeof entry.seq === "number" && entry.seq > n
          ? `it was written as line ${entry.seq}: ${entry.seq - n} line${entry.seq - n === 1 ? " was" : "s were"} deleted before it, or lines were reordered`
          : `it was written as line ${String(entry.seq)}: lines were inserted or reordered before it`,
      );
    }
    if (entry.prev !== prev) {
      if (n === 1) return fail("it does not start the chain (its prev is not the genesis value): lines before it were deleted");
      // Line n is intact and in place, so what changed is line n - 1 (edited and re-hashed) or
      // what lay between them: name the earlier line, the first whose content no longer matches.
      return {
        ok: false,
        line: n - 1,
        reason: `its bytes no longer match the sha256 that line ${n} records as prev: line ${n - 1} was edited, or lines were deleted or inserted after it`,
        entries: entries.slice(0, -1),
      };
    }
    entries.push(entry);
    prev = lineHash(line);
  }
  return { ok: true, entries, head: prev };
}
