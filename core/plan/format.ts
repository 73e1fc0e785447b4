/**
 * Human renderings of a plan: a terminal table and pull-request markdown. JSON is the plan itself.
 * Renderers are pure (the clock is passed in) so that golden-file tests pin their output.
 */
import { UNNAMED_GPU, type Plan } from "./plan";
import { HOURS_PER_MONTH, usd } from "../util/units";
import type { OutputFormat } from "../util/cli-choices";

export { FORMATS, type OutputFormat } from "../util/cli-choices";

export function renderPlan(plan: Plan, format: OutputFormat, now: Date = new Date()): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(plan, null, 2)}\n`;
    case "markdown":
      return renderMarkdown(plan, now);
    case "table":
      return renderTable(plan, now);
  }
}


/** Where demand came from, when metrics decided it: "demand from metrics: p95 CPU 42% ... -> 31 replicas". */
function demandLine(plan: Plan): string | undefined {
  const m = plan.demand.metrics;
  if (plan.demand.source !== "metrics" || !m) return undefined;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const observed = m.observedUtilization === undefined ? "no usable samples" : `p${m.percentile} utilization ${pct(m.observedUtilization)}`;
  const forecast = m.forecast ? `, forecast peak ${pct(m.forecast.peakUtilization)} over ${m.forecast.days} days` : "";
  const limited = m.limitedBy ? ` (held by ${m.limitedBy})` : "";
  return `demand from metrics: ${observed}${forecast} on ${m.currentReplicas} running replicas, target ${m.targetUtilization}%, ${m.window.start} to ${m.window.end} -> ${plan.demand.replicas} replicas${limited}`;
}

function headline(plan: Plan): string {
  const d = plan.demand;
  const instances = plan.allocations.reduce((sum, a) => sum + a.count, 0);
  const each = `${d.cpu} vCPU, ${d.memoryGiB} GiB${d.gpus > 0 ? `, ${d.gpus} GPU` : ""} each`;
  return `${plan.workload}: ${d.replicas} replicas (${each}) on ${instances} instance${instances === 1 ? "" : "s"}, ${usd(plan.totals.monthlyUsd)}/month`;
}

/** Replicas placed per provider, as "aws 50% (24)". */
export function providerShares(plan: Plan): string[] {
  const byProvider = new Map<string, number>();
  for (const a of plan.allocations) byProvider.set(a.provider, (byProvider.get(a.provider) ?? 0) + a.replicas);
  const total = plan.totals.replicas;
  return [...byProvider.entries()].map(([p, n]) => `${p} ${Math.round((n / total) * 1000) / 10}% (${n})`);
}

/** Whole months between a YYYY-MM[-DD] date and now. */
export function ageInMonths(asOf: string, now: Date): number {
  const [y = 0, m = 1, d = 1] = asOf.split("-").map(Number);
  const months = (now.getUTCFullYear() - y) * 12 + (now.getUTCMonth() + 1 - m) - (now.getUTCDate() < d ? 1 : 0);
  return Math.max(0, months);
}

function priceLines(plan: Plan, now: Date): string[] {
  return Object.entries(plan.prices).map(([p, { source, asOf }]) => {
    const months = ageInMonths(asOf, now);
    return `${p}: ${source} prices as of ${asOf} (${months === 0 ? "under a month old" : `${months} month${months === 1 ? "" : "s"} old`})`;
  });
}

function allocationRows(plan: Plan): string[][] {
  return plan.allocations.map((a) => [
    a.provider,
    a.region,
    a.instanceType,
    a.lifecycle,
    String(a.count),
    `${a.replicas}/${a.count * a.replicasPerInstance}`,
    `${a.vcpu} / ${a.memoryGiB}${a.gpus > 0 ? ` / ${a.gpus} x ${a.gpuType ?? UNNAMED_GPU}` : ""}`,
    usd(a.hourlyUsd, 4),
    usd(a.count * a.hourlyUsd * HOURS_PER_MONTH),
  ]);
}

/** One row per fixed regional cost (load balancer, NAT), lifecycle "fixed", in the totals. */
function overheadRows(plan: Plan): string[][] {
  return (plan.overheads ?? []).map((o) => [o.provider, o.region, o.item, "fixed", "", "", "", usd(o.monthlyUsd / HOURS_PER_MONTH, 4), usd(o.monthlyUsd)]);
}

const HEADINGS = ["provider", "region", "instance type", "lifecycle", "count", "replicas", "vCPU / GiB", "$/h each", "$/month"];

/** The headings; the size column names GPUs (count x model) only when an allocation has some. */
function headings(plan: Plan): string[] {
  if (!plan.allocations.some((a) => a.gpus > 0)) return HEADINGS;
  return HEADINGS.map((h) => (h === "vCPU / GiB" ? "vCPU / GiB / GPU" : h));
}

/** The total row's cell under "$/h each": the whole fleet's $/hour, marked so it is not read as a unit price. */
function fleetHourly(plan: Plan): string {
  return `${usd(plan.totals.hourlyUsd, 4)} (fleet)`;
}

/**
 * The plan's explanation as lines: which constraints bind (and the monthly cost without each), then
 * one line per allowed provider. None for a plan without one (pinned before it existed).
 */
export function explainLines(plan: Plan): string[] {
  const e = plan.explain;
  if (!e) return [];
  const lines: string[] = [];
  if (!e.constraints) lines.push("constraints: not explained (a re-solve without one stopped at the solver's time limit)");
  else if (e.constraints.length > 0) {
    const binding = e.constraints.filter((c) => c.binding).map((c) => `${c.name} binds (${usd(c.monthlyUsdWithout)}/month without it)`);
    const slack = e.constraints.filter((c) => !c.binding).map((c) => c.name);
    const parts = [...binding, ...(slack.length > 0 ? [`${slack.join(", ")} ${slack.length === 1 ? "does" : "do"} not bind`] : [])];
    // Constraints that bind only together (two caps giving the same cap) show in this total alone.
    const all = e.monthlyUsdWithoutAll;
    if (all !== undefined && e.constraints.length > 1 && all < plan.totals.monthlyUsd - 0.01) {
      parts.push(`${binding.length === 0 ? "together they do: " : ""}${usd(all)}/month without all of them`);
    }
    lines.push(`constraints: ${parts.join("; ")}`);
  }
  for (const [provider, p] of Object.entries(e.providers)) lines.push(`${provider}: ${p.used ? "used" : "not used"}: ${p.why}`);
  return lines;
}

function optional(line: string | undefined): string[] {
  return line === undefined ? [] : [line];
}

function renderTable(plan: Plan, now: Date): string {
  // Loaded here, not at import: a plan printed as JSON or markdown does not need it (~6 ms to load).
  const Table = require("cli-table3") as typeof import("cli-table3");
  const table = new Table({
    head: headings(plan),
    style: { head: [], border: [], compact: true },
    colAligns: ["left", "left", "left", "left", "right", "right", "right", "right", "right"],
  });
  table.push(...allocationRows(plan), ...overheadRows(plan));
  const instances = plan.allocations.reduce((sum, a) => sum + a.count, 0);
  table.push(["total", "", "", "", String(instances), String(plan.totals.replicas), `${plan.totals.vcpu} / ${plan.totals.memoryGiB}`, fleetHourly(plan), usd(plan.totals.monthlyUsd)]);
  return [
    headline(plan),
    table.toString(),
    `share by provider: ${providerShares(plan).join(", ")}`,
    ...explainLines(plan),
    ...optional(demandLine(plan)),
    `prices: ${priceLines(plan, now).join("; ")}`,
    `solver: ${plan.solver.status}, gap ${plan.solver.gap}, ${plan.solver.ms} ms · spec ${plan.specHash.slice(0, 19)}`,
    "",
  ].join("\n");
}

function renderMarkdown(plan: Plan, now: Date): string {
  const align = ["---", "---", "---", "---", "--:", "--:", "--:", "--:", "--:"];
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const instances = plan.allocations.reduce((sum, a) => sum + a.count, 0);
  return [
    `### ${plan.workload}: ${usd(plan.totals.monthlyUsd)}/month`,
    "",
    `${headline(plan)}. Share by provider: ${providerShares(plan).join(", ")}.`,
    "",
    row(headings(plan)),
    row(align),
    ...allocationRows(plan).map(row),
    ...overheadRows(plan).map(row),
    row(["**total**", "", "", "", `**${instances}**`, `**${plan.totals.replicas}**`, `${plan.totals.vcpu} / ${plan.totals.memoryGiB}`, fleetHourly(plan), `**${usd(plan.totals.monthlyUsd)}**`]),
    "",
    ...markdownExplain(plan),
    "<details><summary>Prices and solver</summary>",
    "",
    ...optional(demandLine(plan)).map((l) => `- ${l}`),
    ...priceLines(plan, now).map((l) => `- ${l}`),
    `- solver: ${plan.solver.status} (gap ${plan.solver.gap}) in ${plan.solver.ms} ms`,
    `- spec hash: \`${plan.specHash}\``,
    "",
    "</details>",
    "",
  ].join("\n");
}

/** The explanation under the table: a "Why this plan" list (nothing for a plan without one). */
function markdownExplain(plan: Plan): string[] {
  const lines = explainLines(plan);
  return lines.length === 0 ? [] : ["**Why this plan**", "", ...lines.map((l) => `- ${l}`), ""];
}
