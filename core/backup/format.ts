/**
 * Human renderings of a backup plan (terminal table, pull-request markdown); JSON is the plan
 * itself. Pure, so golden tests pin the output.
 */
import Table from "cli-table3";
import type { OutputFormat } from "../plan/format";
import { usd } from "../util/units";
import type { BackupPlan, CostSummary } from "./plan";

export function renderBackupPlan(plan: BackupPlan, format: OutputFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(plan, null, 2)}\n`;
    case "markdown":
      return renderMarkdown(plan);
    case "table":
      return renderTable(plan);
  }
}

const money = (n: number): string => usd(n, n !== 0 && Math.abs(n) < 1 ? 4 : 2);
const place = (p: { provider: string; region: string }): string => `${p.provider}/${p.region}`;

function headline(plan: BackupPlan): string {
  const d = plan.destination;
  return `${plan.name}: ${place(plan.source)} -> ${place(d)} (${d.storeKind} via ${d.transferService}${d.pinned ? ", pinned" : ""}), ${money(d.monthlyUsd)}/month`;
}

function lifecycleLine(plan: BackupPlan): string {
  return plan.lifecycle.map((s) => (s.fromDay === 0 ? s.storageClass : `${s.storageClass} from day ${s.fromDay}`)).join(" -> ");
}

function retentionLine(plan: BackupPlan): string {
  const r = plan.retention;
  const kind = r.immutable ? (r.locked ? "immutable, locked" : "immutable, unlocked") : "versions kept";
  return `${r.days} days (${kind})`;
}

function runnerRows(plan: BackupPlan): string[][] {
  const best = plan.destination.monthlyUsd;
  return plan.runnersUp.map((c: CostSummary) => [place(c), money(c.storageUsd), money(c.egressUsd), money(c.operationsUsd), money(c.monthlyUsd), `+${money(c.monthlyUsd - best)}`]);
}

function priceLines(plan: BackupPlan): string[] {
  return Object.entries(plan.prices).map(([p, a]) => `${p}: storage ${a.storage}, egress ${a.egress}, requests and transfer ${a.operations}`);
}

/** Exclusions grouped by reason: "reason: a/x, b/y". */
function excludedLine(plan: BackupPlan): string {
  if (plan.excluded.length === 0) return "none";
  const byReason = new Map<string, string[]>();
  for (const e of plan.excluded) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e.region ? `${e.provider}/${e.region}` : e.provider]);
  return [...byReason].map(([reason, where]) => `${where.join(", ")} (${reason})`).join("; ");
}

const BREAKDOWN_HEAD = ["category", "item", "how", "$/month"];
const RUNNERS_HEAD = ["candidate", "storage", "egress", "operations", "$/month", "vs chosen"];

function renderTable(plan: BackupPlan): string {
  const style = { head: [], border: [], compact: true };
  const breakdown = new Table({ head: BREAKDOWN_HEAD, style, colAligns: ["left", "left", "left", "right"] });
  breakdown.push(...plan.breakdown.map((i) => [i.category, i.item, i.detail, money(i.usd)]));
  breakdown.push(["total", "", "", money(plan.destination.monthlyUsd)]);
  const runners = new Table({ head: RUNNERS_HEAD, style, colAligns: ["left", "right", "right", "right", "right", "right"] });
  runners.push(...runnerRows(plan));
  return [
    headline(plan),
    `route: ${plan.destination.route}`,
    breakdown.toString(),
    `first full copy (one-off): ${money(plan.initialCopyUsd)}`,
    `schedule: every ${plan.schedule.everyHours} h · lifecycle: ${lifecycleLine(plan)} · retention: ${retentionLine(plan)}`,
    plan.runnersUp.length > 0 ? `runners-up:\n${runners.toString()}` : "runners-up: none",
    `excluded: ${excludedLine(plan)}`,
    `prices: ${priceLines(plan).join("; ")}`,
    ...plan.notes.map((n) => `note: ${n}`),
    `spec ${plan.specHash.slice(0, 19)}`,
    "",
  ].join("\n");
}

function renderMarkdown(plan: BackupPlan): string {
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    `### ${plan.name}: ${money(plan.destination.monthlyUsd)}/month`,
    "",
    `${headline(plan)}.`,
    "",
    row(BREAKDOWN_HEAD),
    row(["---", "---", "---", "--:"]),
    ...plan.breakdown.map((i) => row([i.category, i.item, i.detail, money(i.usd)])),
    row(["**total**", "", "", `**${money(plan.destination.monthlyUsd)}**`]),
    "",
    "<details><summary>Runners-up, schedule and prices</summary>",
    "",
    ...(plan.runnersUp.length > 0 ? [row(RUNNERS_HEAD), row(["---", "--:", "--:", "--:", "--:", "--:"]), ...runnerRows(plan).map(row), ""] : []),
    `- route: ${plan.destination.route}`,
    `- first full copy (one-off): ${money(plan.initialCopyUsd)}`,
    `- schedule: every ${plan.schedule.everyHours} h; lifecycle: ${lifecycleLine(plan)}; retention: ${retentionLine(plan)}`,
    `- excluded: ${excludedLine(plan)}`,
    ...priceLines(plan).map((l) => `- prices ${l}`),
    ...plan.notes.map((n) => `- note: ${n}`),
    `- spec hash: \`${plan.specHash}\``,
    "",
    "</details>",
    "",
  ].join("\n");
}
