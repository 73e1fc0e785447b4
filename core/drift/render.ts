/**
 * Renderings of a drift report: JSON for machines, a terminal table, and markdown for a
 * pull-request comment modelled on Infracost's (a headline with the monthly delta, one summary
 * table, details per workload in a collapsible block). Pure, pinned by golden files.
 */
import Table from "cli-table3";
import { usd } from "../util/units";
import type { AllocationChange } from "./diff";
import type { WorkloadDrift } from "./drift";

export interface DriftReport {
  workloads: WorkloadDrift[];
  /** Workloads that could not be re-planned (infeasible today, a bad pin), with why: the others are still reported. */
  failed?: { workload: string; error: string }[];
}

function failedLines(report: DriftReport): string[] {
  return (report.failed ?? []).map((f) => `${f.workload}: could not be re-planned: ${f.error}`);
}

export function proposedCount(report: DriftReport): number {
  return report.workloads.filter((w) => w.propose).length;
}

function signedUsd(x: number): string {
  return `${x < 0 ? "-" : x > 0 ? "+" : ""}${usd(Math.abs(x))}`;
}

function signedPct(x: number): string {
  return `${x > 0 ? "+" : ""}${x.toFixed(1)}%`;
}

function changeSummary(changes: readonly AllocationChange[]): string {
  if (changes.length === 0) return "none";
  const count = (k: string) => changes.filter((c) => c.kind === k).length;
  return (["+", "~", "-"] as const).filter((k) => count(k) > 0).map((k) => `${k}${count(k)}`).join(" ");
}

function why(w: WorkloadDrift): string {
  return [...new Set(w.reasons.map((r) => r.kind))].join(", ");
}

function headline(report: DriftReport): string {
  const proposed = report.workloads.filter((w) => w.propose);
  const before = report.workloads.reduce((s, w) => s + w.beforeMonthlyUsd, 0);
  const delta = proposed.reduce((s, w) => s + w.deltaMonthlyUsd, 0);
  if (proposed.length === 0) return `no placement change proposed for ${report.workloads.length} workload${report.workloads.length === 1 ? "" : "s"} (${usd(before)}/month)`;
  const pct = before > 0 ? (delta / before) * 100 : 0;
  const direction = delta < 0 ? "decrease" : delta > 0 ? "increase" : "stay";
  const amount = delta === 0 ? "the same" : `by ${usd(Math.abs(delta))} (${signedPct(pct)})`;
  return `${proposed.length} placement change${proposed.length === 1 ? "" : "s"} proposed: monthly cost would ${direction} ${amount}, from ${usd(before)} to ${usd(before + delta)}`;
}

function changeRows(changes: readonly AllocationChange[]): string[][] {
  return changes.map((c) => [c.kind, c.provider, c.region, c.instanceType, c.lifecycle, `${c.countBefore} -> ${c.countAfter}`, `${c.replicasBefore} -> ${c.replicasAfter}`]);
}

const CHANGE_HEADINGS = ["", "provider", "region", "instance type", "lifecycle", "count", "replicas"];

function detailLines(w: WorkloadDrift): string[] {
  const d = w.disruption;
  return [
    ...w.reasons.map((r) => `${r.kind}: ${r.message}`),
    ...(w.propose ? [`disruption: ${d.moved} of ${d.replicas} replicas move (budget ${d.budget})${d.note ? `; ${d.note}` : ""}`] : []),
    `pinned at ${usd(w.pinnedMonthlyUsd)}/month; at today's prices ${usd(w.beforeMonthlyUsd)}/month`,
  ];
}

export function renderDriftTable(report: DriftReport): string {
  const out = [headline(report), ""];
  const summary = new Table({ head: ["workload", "proposed", "before $/month", "after $/month", "delta", "changes", "why"], style: { head: [], border: [], compact: true }, colAligns: ["left", "left", "right", "right", "right", "left", "left"] });
  for (const w of report.workloads) {
    summary.push([w.workload, w.propose ? "yes" : "no", usd(w.beforeMonthlyUsd), usd(w.afterMonthlyUsd), `${signedUsd(w.deltaMonthlyUsd)} (${signedPct(w.deltaPct)})`, changeSummary(w.changes), why(w)]);
  }
  out.push(summary.toString());
  for (const w of report.workloads) {
    out.push("", `${w.workload}:`);
    if (w.changes.length > 0) {
      const t = new Table({ head: CHANGE_HEADINGS, style: { head: [], border: [], compact: true } });
      t.push(...changeRows(w.changes));
      out.push(t.toString());
    }
    out.push(...detailLines(w).map((l) => `  ${l}`));
  }
  if ((report.failed ?? []).length > 0) out.push("", ...failedLines(report));
  return `${out.join("\n")}\n`;
}

/** `appliedTo`: the stack config the proposals were written to (`--write`), so the text does not ask to apply them. */
export function renderDriftMarkdown(report: DriftReport, appliedTo?: string): string {
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const out = [
    `### multicloud drift: ${headline(report)}`,
    "",
    row(["Workload", "Proposed", "Before", "After", "Monthly delta", "Changes", "Why"]),
    row(["---", "---", "--:", "--:", "--:", "---", "---"]),
    ...report.workloads.map((w) =>
      row([`\`${w.workload}\``, w.propose ? "yes" : "no", usd(w.beforeMonthlyUsd), usd(w.afterMonthlyUsd), `${signedUsd(w.deltaMonthlyUsd)} (${signedPct(w.deltaPct)})`, `\`${changeSummary(w.changes)}\``, why(w)]),
    ),
    "",
  ];
  for (const w of report.workloads) {
    out.push(`<details><summary><code>${w.workload}</code>: ${w.propose ? `${changeSummary(w.changes)}, ${signedUsd(w.deltaMonthlyUsd)}/month` : "no change"}</summary>`, "");
    if (w.changes.length > 0) {
      out.push(row(CHANGE_HEADINGS.map((h) => h || " ")), row(["---", "---", "---", "---", "---", "--:", "--:"]), ...changeRows(w.changes).map(row), "");
    }
    out.push(...detailLines(w).map((l) => `- ${l}`), "", "</details>", "");
  }
  if ((report.failed ?? []).length > 0) out.push("**Not re-planned:**", "", ...failedLines(report).map((l) => `- ${l}`), "");
  const next =
    proposedCount(report) === 0
      ? "Nothing to apply."
      : appliedTo
        ? `Written to \`${appliedTo}\` by \`multicloud drift --write\`: review the config diff here, merge, then \`pulumi up\`.`
        : "Apply with `multicloud drift --stack-config <file> --write`, review the config diff, then `pulumi up`.";
  out.push(next, "");
  return out.join("\n");
}

export function renderDriftJson(report: DriftReport): string {
  return `${JSON.stringify({ proposed: proposedCount(report), workloads: report.workloads, ...(report.failed?.length ? { failed: report.failed } : {}) }, null, 2)}\n`;
}
