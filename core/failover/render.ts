/**
 * Renderings of failover drills: a terminal table per workload, markdown for a pull-request
 * comment (a headline, a table, the DNS weights in a collapsible block), and JSON. Pure.
 */
import Table from "cli-table3";
import { usd } from "../util/units";
import type { FailoverReport, LossOutcome } from "./drill";

export { FAILOVER_FORMATS, type FailoverFormat } from "../util/cli-choices";

const pct = (n: number, of: number) => `${of > 0 ? Math.round((n / of) * 1000) / 10 : 0}%`;

function cells(l: LossOutcome): string[] {
  return [
    `${l.kind} ${l.lost}`,
    `${l.servedAtOnce}/${l.demand} (${pct(l.servedAtOnce, l.demand)})`,
    `${l.servedAfterScaleOut}/${l.demand} (${pct(l.servedAfterScaleOut, l.demand)})`,
    `+${l.addedInstances}`,
    `+${usd(l.extraMonthlyUsd)}`,
    l.failures.length === 0 ? "ok" : "FAIL",
  ];
}

const HEADINGS = ["lost", "served at once", "after scale-out", "instances", "$/month while failed over", "result"];

function summary(r: FailoverReport): string {
  const failed = r.losses.filter((l) => l.failures.length > 0).length;
  const need = r.requiredAtOnce > 0 ? `${Math.round(r.requiredAtOnce * 100)}% of demand at once and ` : "";
  return `${r.workload}: ${r.losses.length - failed} of ${r.losses.length} losses keep ${need}full demand (${r.demand} replicas) after scale-out`;
}

function weightsLine(l: LossOutcome): string {
  return l.weights.map((w) => `${w.provider}/${w.region} ${w.weight} (${Math.round(w.share * 1000) / 10}%)`).join(", ") || "none";
}

export function renderFailoverTable(reports: readonly FailoverReport[]): string {
  return reports
    .map((r) => {
      const table = new Table({ head: HEADINGS, style: { head: [], border: [], compact: true }, colAligns: ["left", "right", "right", "right", "right", "left"] });
      table.push(...r.losses.map(cells));
      const failures = r.losses.flatMap((l) => l.failures.map((f) => `  ${l.kind} ${l.lost}: ${f}`));
      const weights = r.losses.map((l) => `  without ${l.lost}: ${weightsLine(l)}`);
      return [summary(r), table.toString(), "DNS weights that remain:", ...weights, ...(failures.length > 0 ? ["failures:", ...failures] : []), ""].join("\n");
    })
    .join("\n");
}

export function renderFailoverMarkdown(reports: readonly FailoverReport[]): string {
  const row = (c: string[]) => `| ${c.join(" | ")} |`;
  const failed = reports.filter((r) => !r.passed).length;
  const head = failed === 0 ? `### Failover drill: every loss is covered (${reports.length} workload${reports.length === 1 ? "" : "s"})` : `### Failover drill: ${failed} workload${failed === 1 ? "" : "s"} not covered`;
  const body = reports.flatMap((r) => [
    "",
    `**${summary(r)}**`,
    "",
    row(HEADINGS),
    row(["---", "--:", "--:", "--:", "--:", "---"]),
    ...r.losses.map((l) => row(cells(l))),
    "",
    "<details><summary>DNS weights that remain, and why a loss fails</summary>",
    "",
    ...r.losses.map((l) => `- without ${l.lost}: ${weightsLine(l)}${l.failures.length > 0 ? `; **${l.failures.join("; ")}**` : ""}`),
    "",
    "</details>",
  ]);
  return [head, ...body, ""].join("\n");
}

export function renderFailoverJson(reports: readonly FailoverReport[]): string {
  return `${JSON.stringify({ workloads: reports }, null, 2)}\n`;
}
