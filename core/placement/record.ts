/**
 * The placement record (DESIGN.md "Placement record and drift"): stack config key
 * `multicloud:placements`, an object keyed by workload name whose values are
 * `{ specHash, spec, plan }` (the normalised spec a plan was computed for, and that plan). The
 * `multicloud plan --write` and `multicloud drift --write` commands write it; the component reads it.
 *
 * Reading is strict about shape (every problem names its `multicloud:placements.<workload>.<field>`
 * path) and decides nothing; `choosePinnedPlan` then decides, for one spec, between the pinned plan,
 * a stale record (the spec changed: recompute and say so) and no record. A record whose spec still
 * matches but whose plan no longer satisfies it is an error, never silently replaced: the fix is a
 * reviewed `multicloud drift --write`.
 */
import { z } from "zod";
import { workloadSpecSchema, type WorkloadSpec } from "../spec/schema";
import { perCloudSet, type CloudSet } from "../clouds/cloud-set";
import { describeIssues, formatPath, type SpecProblem } from "../spec/issues";
import { specHash, type Plan } from "../plan/plan";
import { verifyPlan } from "../plan/verify";
import { UserError } from "../util/errors";
import { HASH_PATTERN, planSchema } from "./plan-schema";
import { describeSpecChanges, specChanges } from "./spec-changes";

export const PLACEMENTS_CONFIG_KEY = "multicloud:placements";

export interface PinnedPlacement {
  specHash: string;
  spec: WorkloadSpec;
  plan: Plan;
  /**
   * Set by `drift --write` when a disruption budget held a move back: the monthly cost of the
   * optimum being moved towards. Later drift runs finish that move without re-applying the
   * savings threshold to its remainder.
   */
  moveInProgress?: { optimumMonthlyUsd: number };
}

export type PinnedChoice =
  | { kind: "pinned"; plan: Plan }
  | { kind: "stale"; reason: string }
  | { kind: "absent" };

const entrySchema = perCloudSet((clouds) =>
  z.looseObject({
    specHash: z.string().regex(HASH_PATTERN, "expected a hash of the form sha256:<64 hex digits>"),
    spec: workloadSpecSchema(clouds),
    plan: planSchema,
    moveInProgress: z.strictObject({ optimumMonthlyUsd: z.number().min(0) }).optional(),
  }),
);

/**
 * Validates the raw value of `multicloud:placements` (parsed structured config; absent = no
 * record). Throws one UserError listing every problem.
 */
export function readPlacementRecord(raw: unknown, clouds: CloudSet): Record<string, PinnedPlacement> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw recordError([{ path: [], message: "expected a mapping of workload name to { specHash, spec, plan }" }]);
  }
  const out: Record<string, PinnedPlacement> = {};
  const problems: SpecProblem[] = [];
  for (const workload of Object.keys(raw).sort()) {
    const value = (raw as Record<string, unknown>)[workload];
    const schema = entrySchema(clouds);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      problems.push(...describeIssues(schema, value, parsed.error.issues).map((p) => ({ ...p, path: [workload, ...p.path] })));
      continue;
    }
    const { specHash: hash, spec, plan, moveInProgress } = parsed.data;
    const consistency: SpecProblem[] = [];
    if (spec.name !== workload) consistency.push({ path: [workload, "spec", "name"], message: `is "${spec.name}", but the entry is keyed "${workload}"` });
    if (plan.workload !== workload) consistency.push({ path: [workload, "plan", "workload"], message: `is "${plan.workload}", but the entry is keyed "${workload}"` });
    if (plan.specHash !== hash) consistency.push({ path: [workload, "plan", "specHash"], message: `is ${plan.specHash}, but the entry's specHash is ${hash}: the plan was not computed for this spec` });
    if (consistency.length > 0) {
      problems.push(...consistency);
      continue;
    }
    out[workload] = { specHash: hash, spec: spec as WorkloadSpec, plan: plan as Plan, ...(moveInProgress ? { moveInProgress } : {}) };
  }
  if (problems.length > 0) throw recordError(problems);
  return out;
}

/**
 * The pinned plan for `spec`, if the record has one for the same spec. `stackConfig` names the
 * stack config file in messages (e.g. `Pulumi.dev.yaml`).
 */
export function choosePinnedPlan(record: Readonly<Record<string, PinnedPlacement>>, spec: WorkloadSpec, clouds: CloudSet, stackConfig = "Pulumi.<stack>.yaml"): PinnedChoice {
  const entry = record[spec.name];
  if (!entry) return { kind: "absent" };
  const hash = specHash(spec);
  if (entry.specHash !== hash) {
    const changes = specChanges(entry.spec, spec);
    const what = changes.length > 0 ? describeSpecChanges(changes) : `spec hash ${entry.specHash} -> ${hash}`;
    return { kind: "stale", reason: `the spec changed since its placement was pinned (${what})` };
  }
  const violations = verifyPlan(entry.plan, spec, clouds);
  if (violations.length > 0) {
    const lines = violations.map((v) => `${v.path}: ${v.message}`);
    throw new UserError(
      `${PLACEMENTS_CONFIG_KEY}.${spec.name}: the pinned plan no longer satisfies its spec (${lines.join("; ")}). ` +
        `Re-plan it and review the change with \`multicloud drift --stack-config ${stackConfig} --write\`.`,
      lines,
    );
  }
  return { kind: "pinned", plan: entry.plan };
}

function recordError(problems: readonly SpecProblem[]): UserError {
  const lines = problems.map((p) => `${PLACEMENTS_CONFIG_KEY}${p.path.length > 0 ? `.${formatPath(p.path)}` : ""}: ${p.message}`);
  const head = lines.length === 1 ? `invalid placement record: ${lines[0]}` : `invalid placement record (${lines.length} problems):\n  ${lines.join("\n  ")}`;
  return new UserError(head, lines);
}
