/**
 * Renderings of the audit log for `multicloud audit`: a terminal table, markdown (a PR comment or
 * an auditor's evidence), and JSON (the lines as written, for tools). Pure and deterministic: the
 * same log gives the same bytes. Listing shows every readable line, and says whether the chain
 * verifies (`--verify` is the check that exits 1).
 */
import Table from "cli-table3";
import { usd } from "../util/units";
import type { ChainCheck } from "./chain";
import type { AuditEntry, AuditPin } from "./entry";
import type { PinMismatch } from "./pins-check";

export interface AuditListing {
  log: string;
  /** Every line of the log by position (1-based), or undefined where a line is not readable JSON. */
  rows: { line: number; entry: AuditEntry | undefined }[];
  /** Lines in the log, before any --workload filter. */
  total: number;
  workload?: string;
  chain: ChainCheck;
}

/** Each line parsed on its own, so a listing still shows the lines around a damaged one. */
export function parseLines(lines: readonly string[]): AuditListing["rows"] {
  return lines.map((text, i) => {
    try {
      const value = JSON.parse(text) as unknown;
      const ok = value !== null && typeof value === "object" && typeof (value as AuditEntry).workload === "string" && typeof (value as AuditEntry).after === "object";
      return { line: i + 1, entry: ok ? (value as AuditEntry) : undefined };
    } catch {
      return { line: i + 1, entry: undefined };
    }
  });
}

const short = (hash: string | undefined) => (hash ? hash.replace(/^sha256:/, "").slice(0, 12) : "-");
const cost = (pin: AuditPin | null) => (pin ? usd(pin.monthlyUsd) : "-");
const when = (time: string) => time.replace("T", " ").replace(/\.\d+Z$/, "Z");
const actorText = (e: AuditEntry) => `${e.actor?.name ?? "?"} (${e.actor?.source ?? "?"})`;
const planChange = (e: AuditEntry) => `${short(e.before?.planHash)} -> ${short(e.after?.planHash)}`;
const prices = (e: AuditEntry) =>
  Object.entries(e.prices ?? {})
    .map(([p, v]) => `${p} ${v.source} ${v.asOf} (${v.ageDays}d)`)
    .join(", ");

function chainLine(listing: AuditListing): string {
  const c = listing.chain;
  return c.ok
    ? `hash chain intact: ${listing.total} line${listing.total === 1 ? "" : "s"} from the genesis, head ${c.head}`
    : `HASH CHAIN BROKEN at line ${c.line}: ${c.reason} (run \`multicloud audit --verify\`)`;
}

function summary(listing: AuditListing): string {
  const filter = listing.workload === undefined ? "" : `, ${listing.rows.length} for workload ${listing.workload}`;
  return `${listing.total} line${listing.total === 1 ? "" : "s"}${filter}`;
}

export function renderAuditTable(listing: AuditListing): string {
  const t = new Table({
    head: ["line", "time (UTC)", "actor", "command", "workload", "before $/month", "after $/month", "plan", "reasons"],
    style: { head: [], border: [], compact: true },
    colAligns: ["right", "left", "left", "left", "left", "right", "right", "left", "left"],
  });
  for (const { line, entry: e } of listing.rows) {
    t.push(e ? [String(line), when(e.time), actorText(e), e.command, e.workload, cost(e.before), cost(e.after), planChange(e), (e.reasons ?? []).join("; ")] : [String(line), "(unreadable line)", "", "", "", "", "", "", ""]);
  }
  return `${[`${listing.log}: ${summary(listing)}`, t.toString(), chainLine(listing)].join("\n")}\n`;
}

export function renderAuditMarkdown(listing: AuditListing): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const row = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const out = [
    `### Placement audit log: \`${listing.log}\``,
    "",
    `${summary(listing)}; ${chainLine(listing)}.`,
    "",
    row(["Line", "Time (UTC)", "Actor", "Command", "Workload", "Before", "After", "Plan", "Reasons", "Prices"]),
    row(["--:", "---", "---", "---", "---", "--:", "--:", "---", "---", "---"]),
  ];
  for (const { line, entry: e } of listing.rows) {
    out.push(
      e
        ? row([String(line), when(e.time), `${actorText(e)}${e.actor?.run ? ` [run](${e.actor.run})` : ""}`, `\`${e.command}\``, `\`${e.workload}\``, cost(e.before), cost(e.after), `\`${planChange(e)}\``, (e.reasons ?? []).join("; "), prices(e)])
        : row([String(line), "(unreadable line)", "", "", "", "", "", "", "", ""]),
    );
  }
  return `${out.join("\n")}\n`;
}

export function renderAuditJson(listing: AuditListing): string {
  const c = listing.chain;
  const chain = c.ok ? { intact: true, lines: listing.total, head: c.head } : { intact: false, line: c.line, reason: c.reason };
  return `${JSON.stringify({ log: listing.log, chain, entries: listing.rows.map((r) => r.entry ?? { line: r.line, unreadable: true }) }, null, 2)}\n`;
}

/** What `--verify` found beyond the chain: the stack config's pins against the log (undefined: no stack config to check). */
export interface PinsResult {
  file: string;
  checked: number;
  mismatches: PinMismatch[];
}

/** `--verify`: lines for people, or JSON. */
export function renderVerify(log: string, total: number, chain: ChainCheck, format: "table" | "markdown" | "json", pins?: PinsResult): string {
  if (format === "json") {
    const pinsBody = pins ? { pins: { file: pins.file, checked: pins.checked, mismatches: pins.mismatches } } : {};
    const body = chain.ok ? { log, intact: true, lines: total, head: chain.head, ...pinsBody } : { log, intact: false, line: chain.line, reason: chain.reason };
    return `${JSON.stringify(body, null, 2)}\n`;
  }
  const out = [
    chain.ok
      ? `${log}: intact: ${total} line${total === 1 ? "" : "s"} from the genesis, each matching its own hash and the prev of the line after it; head ${chain.head}`
      : `${log}:${chain.line}: BROKEN at line ${chain.line}: ${chain.reason}`,
  ];
  if (chain.ok && pins) {
    out.push(
      pins.mismatches.length === 0
        ? `${pins.file}: its ${pins.checked} pinned placement${pins.checked === 1 ? "" : "s"} match${pins.checked === 1 ? "es" : ""} the last log line of each workload`
        : `${pins.file}: DOES NOT MATCH the log:`,
      ...pins.mismatches.map((m) => `  ${m.message}`),
    );
  }
  return `${out.map((l) => (format === "markdown" && !l.startsWith("  ") ? `**${l}**` : l)).join("\n")}\n`;
}
