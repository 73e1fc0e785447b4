/**
 * Renderings of a restore plan (terminal text, JSON). Pure: the plan is sorted, so the same
 * listings print the same bytes.
 */
import { usd } from "../util/units";
import type { RestorePlan } from "./restore";
import { LIST_LIMIT, formatBytes } from "./verify-format";

export type RestoreFormat = "table" | "json";

export interface RestoreHeader {
  /** The backup, as a URL. */
  from: string;
  /** The target, as a URL. */
  to: string;
}

const money = (n: number): string => usd(n, n !== 0 && Math.abs(n) < 1 ? 4 : 2);

export function renderRestorePlan(plan: RestorePlan, header: RestoreHeader, format: RestoreFormat, apply: boolean): string {
  if (format === "json") return `${JSON.stringify({ ...plan, from: { url: header.from, ...plan.from }, to: { url: header.to, ...plan.to } }, null, 2)}\n`;
  const lines = [
    `restore ${header.from} -> ${header.to}${plan.inPlace ? " (IN PLACE: replaces current objects of the source)" : ""}`,
    `as of:          ${plan.asOf ?? "now (current versions)"}`,
    `to copy:        ${plan.copy.length} object(s), ${formatBytes(plan.copyBytes)}`,
    `already there:  ${plan.alreadyThere.objects} object(s), ${formatBytes(plan.alreadyThere.bytes)} (not copied again: same size and checksum${plan.alreadyThere.sizeOnly > 0 ? `; ${plan.alreadyThere.sizeOnly} by size alone, see the note` : ""})`,
  ];
  if (plan.asOf) lines.push(`not at as-of:   ${plan.deletedByAsOf} key(s) deleted by then, ${plan.newerOnly.length} with no version that old (not restored)`);
  lines.push(`cost:           ${money(plan.cost.totalUsd)} (egress ${money(plan.cost.egressUsd)}, requests ${money(plan.cost.requestsUsd)})`);
  lines.push(...plan.cost.detail.map((d) => `                ${d}`));
  lines.push("native commands (current versions only):", ...plan.nativeCommands.map((c) => `  ${c}`));
  lines.push(...plan.notes.map((n) => `note: ${n}`));
  if (plan.copy.length > 0) {
    lines.push("objects:");
    lines.push(...plan.copy.slice(0, LIST_LIMIT).map((i) => `  ${i.key} ${formatBytes(i.size)}${i.versionId ? ` (version ${i.versionId}, ${i.lastModified})` : ""}`));
    if (plan.copy.length > LIST_LIMIT) lines.push(`  ... and ${plan.copy.length - LIST_LIMIT} more (--format json lists every one)`);
  }
  if (plan.copy.length === 0) lines.push("", "nothing to copy");
  else if (!apply) lines.push("", "plan only: add --apply to copy");
  return `${lines.join("\n")}\n`;
}
