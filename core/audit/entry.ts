/**
 * One line of the placement audit log (DESIGN.md "Compliance and audit"): who changed which
 * workload's pinned placement, with which command, from what to what, why, and on which prices.
 *
 * The log is `Pulumi.<stack>.placements.log` beside the stack config, one JSON object per line.
 * A line is a plain value; ./chain.ts seals it (`seq`, `prev`, `hash`) and checks a chain of them.
 *
 * Invariants: every field is data the CLI already holds (no secret is ever read into a line: the
 * actor comes from ./actor.ts, which redacts); costs and hashes are those written to the stack
 * config in the same `--write`, so a line can be checked against the file it describes.
 */
import * as path from "node:path";
import type { PinnedPlacement } from "../placement/record";
import { planHash, type Plan } from "../plan/plan";
import type { AuditActor } from "./actor";

/** Bumped when a line's fields change meaning; part of every line's own hash. */
export const AUDIT_LOG_VERSION = 1;

/** The commands that write the log. `audit --init` starts a log for pins made before it existed. */
export type AuditCommand = "plan --write" | "drift --write" | "audit --init";

/** A pinned placement as the log records it: its identity and its monthly cost. */
export interface AuditPin {
  specHash: string;
  planHash: string;
  monthlyUsd: number;
}

/** Where each provider's prices came from, and how old they were when the plan was pinned. */
export interface AuditPrices {
  source: string;
  asOf: string;
  ageDays: number;
}

/** A line before it is sealed into the chain. */
export interface AuditEntryDraft {
  v: typeof AUDIT_LOG_VERSION;
  /** UTC, ISO 8601. */
  time: string;
  actor: AuditActor;
  command: AuditCommand;
  workload: string;
  /** The pin this line replaced; null for a workload's first pin. */
  before: AuditPin | null;
  after: AuditPin;
  reasons: string[];
  prices: Record<string, AuditPrices>;
}

/** A sealed line: 1-based position, sha256 of the previous line's bytes, and its own content hash. */
export interface AuditEntry extends AuditEntryDraft {
  seq: number;
  prev: string;
  hash: string;
}

/** `Pulumi.<stack>.yaml` -> `Pulumi.<stack>.placements.log`, in the same folder (any other name: its stem + `.placements.log`). */
export function auditLogPath(stackConfigFile: string): string {
  const dir = path.dirname(stackConfigFile);
  const stem = path.basename(stackConfigFile).replace(/\.ya?ml$/i, "");
  return path.join(dir, `${stem}.placements.log`);
}

export function auditPin(pinned: Pick<PinnedPlacement, "specHash" | "plan">): AuditPin {
  return { specHash: pinned.specHash, planHash: planHash(pinned.plan), monthlyUsd: pinned.plan.totals.monthlyUsd };
}

export interface EntryInput {
  command: AuditCommand;
  actor: AuditActor;
  now: Date;
  before: Pick<PinnedPlacement, "specHash" | "plan"> | undefined;
  after: Pick<PinnedPlacement, "specHash" | "plan">;
  reasons: readonly string[];
}

export function buildEntry(input: EntryInput): AuditEntryDraft {
  return {
    v: AUDIT_LOG_VERSION,
    time: input.now.toISOString(),
    actor: input.actor,
    command: input.command,
    workload: input.after.plan.workload,
    before: input.before ? auditPin(input.before) : null,
    after: auditPin(input.after),
    reasons: [...input.reasons],
    prices: pricesOf(input.after.plan, input.now),
  };
}

/** Each provider's price source and age in whole days at `now` (asOf YYYY-MM means its first day). */
export function pricesOf(plan: Plan, now: Date): Record<string, AuditPrices> {
  const out: Record<string, AuditPrices> = {};
  for (const provider of Object.keys(plan.prices).sort()) {
    const { source, asOf } = plan.prices[provider]!;
    const [y, m = 1, d = 1] = asOf.split("-").map(Number);
    const days = y === undefined || !Number.isFinite(y) ? 0 : Math.floor((now.getTime() - Date.UTC(y, m - 1, d)) / 86_400_000);
    out[provider] = { source, asOf, ageDays: Math.max(0, days) };
  }
  return out;
}
