/**
 * What changed between the spec a placement was pinned for and the spec now: the reason a pinned
 * plan is stale, in words a reviewer can check ("demand.replicas: 48 -> 60"). Pure.
 *
 * Only the fields that decide a placement are compared (`placementSpec`: scaling is left out, as it
 * is from the spec hash). Lists are compared as whole values: a region added to a list is one change.
 */
import type { WorkloadSpec } from "../spec/schema";
import { placementSpec } from "../plan/plan";
import { canonicalJson } from "../util/hash";

export interface SpecChange {
  path: string;
  before: unknown;
  after: unknown;
}

export function specChanges(before: WorkloadSpec, after: WorkloadSpec): SpecChange[] {
  const out: SpecChange[] = [];
  walk(placementSpec(before), placementSpec(after), "", out);
  return out;
}

/** "demand.replicas: 48 -> 60; providers.gcp: (absent) -> {...}", at most `limit` changes. */
export function describeSpecChanges(changes: readonly SpecChange[], limit = 5): string {
  const shown = changes.slice(0, limit).map((c) => `${c.path}: ${show(c.before)} -> ${show(c.after)}`);
  const more = changes.length > limit ? `; and ${changes.length - limit} more` : "";
  return `${shown.join("; ")}${more}`;
}

function walk(a: unknown, b: unknown, path: string, out: SpecChange[]): void {
  if (isRecord(a) && isRecord(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      walk(a[key], b[key], path === "" ? key : `${path}.${key}`, out);
    }
    return;
  }
  if (canonicalJson(a) !== canonicalJson(b)) out.push({ path, before: a, after: b });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? "(absent)" : canonicalJson(value);
}
