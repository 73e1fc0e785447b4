/**
 * The audit log's hash chain (core/audit/chain.ts): sealed lines verify; an edit (with or without
 * a recomputed hash), a deletion, a reordering or a torn write is reported at the first line whose
 * content no longer matches. A fast-check property runs every kind of tamper at every position.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkChain, GENESIS, lineHash, sealEntries } from "../../core/audit/chain";
import { contentHash, canonicalJson } from "../../core/util/hash";
import type { AuditEntryDraft } from "../../core/audit/entry";

function draft(i: number): AuditEntryDraft {
  return {
    v: 1,
    time: `2026-07-${String(1 + (i % 28)).padStart(2, "0")}T09:00:00.000Z`,
    actor: { name: "alice@example.com", source: "git" },
    command: "plan --write",
    workload: `w${i % 3}`,
    before: i === 0 ? null : { specHash: `sha256:${"a".repeat(64)}`, planHash: `sha256:${"b".repeat(64)}`, monthlyUsd: 100 + i },
    after: { specHash: `sha256:${"a".repeat(64)}`, planHash: `sha256:${"c".repeat(64)}`, monthlyUsd: 200 + i },
    reasons: ["pinned by plan: first pin of this workload"],
    prices: { aws: { source: "file", asOf: "2026-07-01", ageDays: i } },
  };
}

function chain(n: number): string[] {
  return sealEntries(Array.from({ length: n }, (_, i) => draft(i)), undefined, 0);
}

const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join("");

/** An edit that keeps the line's own hash consistent: what a careful forger does. */
function editAndRehash(line: string, change: (e: Record<string, unknown>) => void): string {
  const { hash: _hash, ...entry } = JSON.parse(line) as Record<string, unknown>;
  change(entry);
  return canonicalJson({ ...entry, hash: contentHash("multicloud-audit", 1, entry) });
}

describe("the audit hash chain", () => {
  it("seals lines that verify, starting from the documented genesis (64 zeros)", () => {
    const lines = chain(5);
    expect(GENESIS).toBe(`sha256:${"0".repeat(64)}`);
    expect(JSON.parse(lines[0]!).prev).toBe(GENESIS);
    expect(JSON.parse(lines[3]!).prev).toBe(lineHash(lines[2]!));
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3, 4, 5]);
    const check = checkChain(text(lines));
    expect(check).toMatchObject({ ok: true, head: lineHash(lines[4]!) });
    expect(check.entries.map((e) => e.workload)).toEqual(["w0", "w1", "w2", "w0", "w1"]);
  });

  it("continues a chain: lines appended later verify with the earlier ones", () => {
    const first = chain(3);
    const more = sealEntries([draft(3), draft(4)], first[2], 3);
    expect(checkChain(text([...first, ...more])).ok).toBe(true);
    expect(text([...first, ...more])).toBe(text(chain(5)));
  });

  it("an empty log verifies, with the genesis as its head", () => {
    expect(checkChain("")).toEqual({ ok: true, entries: [], head: GENESIS });
  });

  it("names a line edited without re-hashing it, even the last one", () => {
    const lines = chain(4);
    for (const k of [1, 3]) {
      const edited = [...lines];
      edited[k] = edited[k]!.replace('"monthlyUsd":20', '"monthlyUsd":10');
      expect(checkChain(text(edited))).toMatchObject({ ok: false, line: k + 1, reason: "its content no longer matches its hash: the line was edited" });
    }
  });

  it("names a line edited and re-hashed: the next line's prev no longer matches it", () => {
    const lines = chain(4);
    lines[1] = editAndRehash(lines[1]!, (e) => (e.actor = { name: "mallory", source: "os" }));
    const check = checkChain(text(lines));
    expect(check).toMatchObject({ ok: false, line: 2 });
    expect(!check.ok && check.reason).toMatch(/line 2 was edited/);
    expect(check.entries).toHaveLength(1);
  });

  it("names a line whose spacing or key order was changed", () => {
    const lines = chain(3);
    lines[2] = JSON.stringify(JSON.parse(lines[2]!), null, 1).replace(/\n/g, "");
    expect(checkChain(text(lines))).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/not in the form the CLI writes/) });
  });

  it("names the place of a deleted line: the first, or one in the middle", () => {
    const lines = chain(5);
    expect(checkChain(text(lines.slice(1)))).toMatchObject({ ok: false, line: 1, reason: expect.stringMatching(/written as line 2: 1 line was deleted before it/) });
    expect(checkChain(text([...lines.slice(0, 2), ...lines.slice(3)]))).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/deleted/) });
  });

  it("names the first of two reordered lines", () => {
    const lines = chain(5);
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    expect(checkChain(text(lines))).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/written as line 4/) });
  });

  it("names a torn last line (no newline) and a line that is not JSON", () => {
    const lines = chain(3);
    expect(checkChain(text(lines).slice(0, -10))).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/incomplete/) });
    expect(checkChain(text([lines[0]!, "{oops", lines[2]!]))).toMatchObject({ ok: false, line: 2, reason: "not valid JSON: the line was edited" });
  });

  it("cannot see the last line deleted: only an external anchor (the head, git) shows that", () => {
    const lines = chain(4);
    const truncated = checkChain(text(lines.slice(0, 3)));
    expect(truncated.ok).toBe(true);
    expect(truncated.ok && truncated.head).not.toBe(lineHash(lines[3]!)); // the recorded head no longer matches
  });

  it("property: every edit, re-hashed edit, deletion or swap at line k is reported at line k", () => {
    const tamper = fc.record({
      n: fc.integer({ min: 2, max: 12 }),
      kind: fc.constantFrom("edit", "rehash", "delete", "swap"),
      at: fc.nat(),
    });
    fc.assert(
      fc.property(tamper, ({ n, kind, at }) => {
        const lines = chain(n);
        // The last line can be edited (not re-hashed) and is otherwise out of the chain's reach.
        const k = kind === "edit" ? at % n : at % (n - 1);
        const out = [...lines];
        if (kind === "edit") out[k] = out[k]!.replace(/"workload":"w\d"/, '"workload":"forged"');
        if (kind === "rehash") out[k] = editAndRehash(out[k]!, (e) => (e.workload = "forged"));
        if (kind === "delete") out.splice(k, 1);
        if (kind === "swap") [out[k], out[k + 1]] = [out[k + 1]!, out[k]!];
        const check = checkChain(text(out));
        expect(check.ok).toBe(false);
        expect(!check.ok && check.line).toBe(k + 1);
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});
