/**
 * One tag map for every cloud: the user's tags plus tags naming the workload and the plan it
 * realises. Each cloud's own rules (lengths, characters, GCP's label normalisation) live in
 * `clouds/<cloud>/tags.ts` and run before anything is registered, so a tag a cloud would reject
 * fails the preview with the tag named. Pure.
 */
import type { SpecProblem } from "../../core/spec/issues";

export const WORKLOAD_TAG = "multicloud-workload";
export const PLAN_TAG = "multicloud-plan";

/** User tags plus the workload and plan tags; keys sorted so outputs are byte-stable. */
export function workloadTags(userTags: Readonly<Record<string, string>>, workload: string, planHash: string): Record<string, string> {
  const merged: Record<string, string> = { ...userTags, [WORKLOAD_TAG]: workload, [PLAN_TAG]: planTagValue(planHash) };
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]!]));
}

/** `sha256:3f2a…` -> the first 16 hex digits: short, and a valid label value everywhere. */
export function planTagValue(planHash: string): string {
  return planHash.replace(/^sha256:/, "").slice(0, 16);
}

/** Keys the component sets itself. */
export function reservedTagProblems(tags: Readonly<Record<string, string>>): SpecProblem[] {
  return Object.keys(tags)
    .filter((key) => key === WORKLOAD_TAG || key === PLAN_TAG)
    .map((key) => ({ path: ["tags", key], message: "is set by the component (it names the workload and its plan): use another key" }));
}
