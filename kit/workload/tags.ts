/**
 * One tag map for every cloud: the user's tags plus tags naming the workload and the plan it
 * realises. Each cloud's own rules (lengths, characters, GCP's label normalisation) live in
 * `clouds/<cloud>/tags.ts` and run before anything is registered, so a tag a cloud would reject
 * fails the preview with the tag named. Pure.
 *
 * A tag's value may be another resource's output (or a secret): the keys are always plain (the
 * compliance rules and each cloud's key rules check them before anything is registered); a value
 * is checked when it is a plain string, and otherwise reaches the resources as the Output it is.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SpecProblem } from "../../core/spec/issues";
import { FROM_OUTPUT } from "../../core/spec/traffic";

/** Tags as the resources take them: plain keys, each value a string or an Output of one. */
export type TagInputs = Record<string, pulumi.Input<string>>;

export const WORKLOAD_TAG = "multicloud-workload";
export const PLAN_TAG = "multicloud-plan";

/** User tags plus the workload and plan tags; keys sorted so outputs are byte-stable. */
export function workloadTags(userTags: Readonly<TagInputs>, workload: string, planHash: string): TagInputs {
  const merged: TagInputs = { ...userTags, [WORKLOAD_TAG]: workload, [PLAN_TAG]: planTagValue(planHash) };
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]!]));
}

/** `sha256:3f2a…` -> the first 16 hex digits: short, and a valid label value everywhere. */
export function planTagValue(planHash: string): string {
  return planHash.replace(/^sha256:/, "").slice(0, 16);
}

/** Keys the component sets itself. */
export function reservedTagProblems(tags: Readonly<Record<string, unknown>>): SpecProblem[] {
  return Object.keys(tags)
    .filter((key) => key === WORKLOAD_TAG || key === PLAN_TAG)
    .map((key) => ({ path: ["tags", key], message: "is set by the component (it names the workload and its plan): use another key" }));
}

/**
 * The tags as the planning core sees them: plain values as given (a number or boolean too, for the
 * core to reject), FROM_OUTPUT for a value another resource computes, an Output or a Promise (the
 * core checks that a required tag is there; it never sees a secret). The caller has checked that
 * an object value is one of those.
 */
export function plainTags(tags: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, typeof v === "object" && v !== null ? FROM_OUTPUT : v]));
}
