/**
 * Renderings of a plan review: a terminal table, markdown for a pull-request comment (a headline
 * with the monthly delta, the allocation diff, details in a collapsible block), and JSON. Pure.
 */
import { usd } from "../util/units";
import type { PlanReview } from "./review";

const signed = (x: number) => `${x < 0 ? "-" : x > 0 ? "+" : ""}${usd(Math.abs(x))}`;
const HEADINGS = ["", "provider", "region", "instance type", "lifecycle", "count", "replicas"];

function headline(r: PlanReview, stackConfig: string): string {
  if (r.status === "unchanged") return `${r.workload}: no change to the plan pinned in ${stackConfig} (${usd(r.afterMonthlyUsd)}/month)`;
  if (r.status === "new") return `${r.workload}: not pinned in ${stackConfig} yet: ${usd(r.afterMonthlyUsd)}/month`;
  const pct = r.beforeMonthlyUsd > 0 ? ` (${r.deltaMonthlyUsd > 0 ? "+" : ""}${((r.deltaMonthlyUsd / r.beforeMonthlyUsd) * 100).toFixed(1)}%)` : "";
  return `${r.workload}: ${signed(r.deltaMonthlyUsd)}/month${pct}, from ${usd(r.beforeMonthlyUsd)} to ${usd(r.afterMonthlyUsd)}`;
}

function rows(r: PlanReview): string[][] {
  return r.changes.map((c) => [c.kind, c.provider, c.region, c.instanceType, c.lifecycle, `${c.countBefore} -> ${c.countAfter}`, `${c.replicasBefore} -> ${c.replicasAfter}`]);
}

function details(r: PlanReview, stackConfig: string): string[] {
  return [
    ...(r.specChange ? [`spec: ${r.specChange}`] : []),
    r.status === "unchanged" ? "nothing to pin" : `pin it with \`multicloud plan SPEC --stack-config ${stackConfig} --write\``,
  ];
}

export function renderReviewTable(r: PlanReview, stackConfig: string): string {
  const out = [headline(r, stackConfig)];
  if (r.changes.length > 0) {
    // Loaded here, not at import: a review printed as JSON or markdown does not need it.
    const Table = require("cli-table3") as typeof import("cli-table3");
    const t = new Table({ head: HEADINGS, style: { head: [], border: [], compact: true } });
    t.push(...rows(r));
    out.push(t.toString());
  }
  out.push(...details(r, stackConfig));
  return `${out.join("\n")}\n`;
}

export function renderReviewMarkdown(r: PlanReview, stackConfig: string): string {
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const out = [`### ${headline(r, stackConfig)}`, ""];
  if (r.changes.length > 0) out.push(row(HEADINGS.map((h) => h || " ")), row(["---", "---", "---", "---", "---", "--:", "--:"]), ...rows(r).map(row), "");
  out.push("<details><summary>Details</summary>", "", ...details(r, stackConfig).map((l) => `- ${l}`), "", "</details>", "");
  return out.join("\n");
}

export function renderReviewJson(r: PlanReview): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
