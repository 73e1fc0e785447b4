/**
 * GCP labels: the common tags normalised to GCP's label rules, and the check that no two tags
 * collapse into one label. https://cloud.google.com/compute/docs/labeling-resources#requirements
 */
import type { SpecProblem } from "../../core/spec/issues";
import { PLAN_TAG, WORKLOAD_TAG } from "../../kit/workload/tags";

const GCP_MAX = 63;

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

/** Tags that would become the same GCP label once normalised. */
export function gcpLabelProblems(tags: Readonly<Record<string, unknown>>): SpecProblem[] {
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
