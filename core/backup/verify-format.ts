/**
 * Renderings of a verify report (terminal table, pull-request markdown, JSON) and the byte counts
 * both verify and restore print. Pure and deterministic: the report's lists are sorted by key, and
 * the human renderings show at most LIST_LIMIT keys per category (JSON lists them all).
 */
import type { OutputFormat } from "../util/cli-choices";
import { bytesOf, type Difference, type Gap, type VerifyReport } from "./verify";

export const LIST_LIMIT = 50;

/** `1.5 MiB (1,572,864 B)`: binary units, as the clouds bill them, with the exact count. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const exact = `${bytes.toLocaleString("en-US")} B`;
  return unit === 0 ? exact : `${Number(value.toFixed(1))} ${units[unit]} (${exact})`;
}

export interface VerifyHeader {
  /** `s3://orders/exports/` */
  source: string;
  destination: string;
}

const count = (items: ReadonlyArray<Gap | Difference>): string => `${items.length} object(s), ${formatBytes(bytesOf(items))}`;

function summaryLines(report: VerifyReport, header: VerifyHeader): string[] {
  const m = report.matched;
  const reasons = Object.entries(m.sizeOnlyBecause).map(([why, n]) => `${n} (${why})`);
  return [
    `source:      ${header.source}  ${report.source.objects} object(s), ${formatBytes(report.source.bytes)}`,
    `backup:      ${header.destination}  ${report.destination.objects} object(s), ${formatBytes(report.destination.bytes)}`,
    `as of:       ${report.asOf ?? "now (no --as-of: objects changed since the last transfer run show as gaps)"}`,
    `missing:     ${count(report.missing)}`,
    `different:   ${count(report.different)}`,
    `extra:       ${count(report.extra)} (kept: the backup never deletes what the source deleted)`,
    `pending:     ${count(report.pending)} (changed after the as-of time; the next run copies them)`,
    `matched:     ${m.byChecksum} by size and MD5, ${m.bySizeOnly} by size only${reasons.length > 0 ? `: ${reasons.join("; ")}` : ""}`,
    `result:      ${report.complete ? "complete" : "GAPS: the backup is missing or has stale copies of the objects below"}`,
  ];
}

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, LIST_LIMIT).map(line);
  if (items.length > LIST_LIMIT) shown.push(`... and ${items.length - LIST_LIMIT} more (--format json lists every one)`);
  return shown;
}

function sections(report: VerifyReport, bullet: string, code: (s: string) => string): string[] {
  const out: string[] = [];
  const section = <T>(title: string, items: readonly T[], line: (item: T) => string) => {
    if (items.length === 0) return;
    out.push("", `${title}:`, ...listed(items, (i) => `${bullet}${line(i)}`));
  };
  section("missing from the backup", report.missing, (g) => `${code(g.key)} ${formatBytes(g.bytes)}`);
  section("different in the backup", report.different, (d) => `${code(d.key)} ${d.detail}`);
  section("extra in the backup", report.extra, (g) => `${code(g.key)} ${formatBytes(g.bytes)}`);
  return out;
}

export function renderVerifyReport(report: VerifyReport, header: VerifyHeader, format: OutputFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify({ ...report, source: { url: header.source, ...report.source }, destination: { url: header.destination, ...report.destination } }, null, 2)}\n`;
    case "markdown":
      return [`### Backup verify: ${report.complete ? "complete" : "gaps found"}`, "", "```", ...summaryLines(report, header), "```", ...sections(report, "- ", (k) => `\`${k}\``), ""].join("\n");
    case "table":
      return [...summaryLines(report, header), ...sections(report, "  ", (k) => k), ""].join("\n");
  }
}
