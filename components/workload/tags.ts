/**
 * One tag map for every cloud: the user's tags plus tags naming the workload and the plan it
 * realises. AWS and Azure take tags as given (after validation); GCP labels are normalised to its
 * rules. Pure. The checks run before anything is registered (each cloud's emitter runs its own in
 * `prepare`), so a tag a cloud would reject, or two tags that would collapse into one GCP label,
 * fail the preview with the tag named.
 */
import type { SpecProblem } from "../../core/spec/issues";

export const WORKLOAD_TAG = "multicloud-workload";
export const PLAN_TAG = "multicloud-plan";

const GCP_MAX = 63;
const AZURE_FORBIDDEN = /[<>%&\\?/]/;

/** User tags plus the workload and plan tags; keys sorted so outputs are byte-stable. */
export function workloadTags(userTags: Readonly<Record<string, string>>, workload: string, planHash: string): Record<string, string> {
  const merged: Record<string, string> = { ...userTags, [WORKLOAD_TAG]: workload, [PLAN_TAG]: planTagValue(planHash) };
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]!]));
}

/** `sha256:3f2a…` -> the first 16 hex digits: short, and a valid label value everywhere. */
export function planTagValue(planHash: string): string {
  return planHash.replace(/^sha256:/, "").slice(0, 16);
}

/** GCP label rules: lower-case letters, digits, '_' and '-'; keys start with a letter; <= 63 characters. */
export function gcpLabelKey(key: string): string {
  let out = key.toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  if (!/^[a-z]/.test(out)) out = `tag_${out}`;
  return out.slice(0, GCP_MAX);
}

export function gcpLabelValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, GCP_MAX);
}

export function gcpLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [gcpLabelKey(k), gcpLabelValue(v)]));
}

/** Keys the component sets itself. */
export function reservedTagProblems(tags: Readonly<Record<string, string>>): SpecProblem[] {
  return Object.keys(tags)
    .filter((key) => key === WORKLOAD_TAG || key === PLAN_TAG)
    .map((key) => ({ path: ["tags", key], message: "is set by the component (it names the workload and its plan): use another key" }));
}

export function awsTagProblems(tags: Readonly<Record<string, string>>): SpecProblem[] {
  return Object.keys(tags)
    .sort()
    .filter((key) => key.length > 128 || tags[key]!.length > 256 || key.toLowerCase().startsWith("aws:"))
    .map((key) => ({ path: ["tags", key], message: "AWS allows keys of at most 128 characters, values of at most 256, and reserves the aws: prefix" }));
}

export function azureTagProblems(tags: Readonly<Record<string, string>>): SpecProblem[] {
  return Object.keys(tags)
    .sort()
    .filter((key) => key.length > 512 || tags[key]!.length > 256 || AZURE_FORBIDDEN.test(key))
    .map((key) => ({ path: ["tags", key], message: "Azure allows keys of at most 512 characters without < > % & \\ ? /, and values of at most 256" }));
}

/** Tags that would become the same GCP label once normalised. */
export function gcpLabelProblems(tags: Readonly<Record<string, string>>): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const byLabel = new Map<string, string>();
  // The component's own tags first, so a collision is reported on the user's key.
  for (const key of [WORKLOAD_TAG, PLAN_TAG, ...Object.keys(tags).sort()]) {
    const label = gcpLabelKey(key);
    const first = byLabel.get(label);
    if (first === undefined) byLabel.set(label, key);
    else if (first !== key) {
      const other = first === WORKLOAD_TAG || first === PLAN_TAG ? `the component's ${first} tag` : `tags.${first}`;
      problems.push({ path: ["tags", key], message: `becomes the GCP label "${label}", like ${other}: GCP label keys are lower-case letters, digits, _ and -, so rename one of them` });
    }
  }
  return problems;
}
