/**
 * Required tags (DESIGN.md "Compliance and audit", `compliance.requiredTags`): keys the `tags` map
 * of a workload or backup must carry, with a value, so that every resource the component creates
 * can be attributed (owner, cost centre) by the clouds' own cost and inventory tools.
 *
 * Two kinds of problem, both named with the key:
 * - a required key missing from `tags` (or given an empty value): the fix is to add it;
 * - a required key one of the spec's clouds would reject (AWS reserves `aws:`, Azure forbids
 *   `< > % & \ ? /`) or carry under another key (GCP label keys are lower-case letters, digits,
 *   `_` and `-`: `Cost-Center` becomes `cost-center`). Such a rule could never be met as written
 *   on that cloud, and the policy pack would look for the key the rule names: the fix is to
 *   require the key the cloud keeps.
 *
 * The cloud rules come from the adapters (`tagProblems`, `carriedTagKey`), never named here.
 */
import type { CloudSet } from "../clouds/cloud-set";
import type { SpecProblem } from "./issues";

/** What the check needs: the rules, the tags, and the clouds the tags will be carried on. */
export interface RequiredTagsInput {
  requiredTags: readonly string[] | undefined;
  tags: Readonly<Record<string, string>> | undefined;
  /** Names of the clouds whose resources carry the tags (the spec's providers, a backup's two clouds). */
  providers: readonly string[];
}

export function requiredTagProblems({ requiredTags, tags, providers }: RequiredTagsInput, clouds: CloudSet): SpecProblem[] {
  if (!requiredTags || requiredTags.length === 0) return [];
  const problems: SpecProblem[] = [];
  requiredTags.forEach((key, i) => {
    const path = ["compliance", "requiredTags", i];
    for (const name of providers.filter((p) => clouds.has(p))) {
      const cloud = clouds.get(name);
      const rejected = cloud.tagProblems({ [key]: "x" });
      if (rejected.length > 0) {
        problems.push({ path, message: `"${key}" cannot be a tag key on ${cloud.displayName} (${rejected[0]!.message}): require a key every cloud of the spec accepts` });
        continue;
      }
      const carried = cloud.carriedTagKey?.(key) ?? key;
      if (carried !== key) {
        problems.push({ path, message: `"${key}" is carried on ${cloud.displayName} as the key "${carried}" (its own key rules): require "${carried}" instead, so the key is the same on every cloud` });
      }
    }
  });
  const given = tags ?? {};
  for (const key of requiredTags) {
    const value = Object.hasOwn(given, key) ? given[key] : undefined;
    if (value === undefined) {
      problems.push({ path: ["tags"], message: `missing required tag "${key}" (compliance.requiredTags): add ${tagPath(key)} with its value` });
    } else if (value.trim() === "") {
      problems.push({ path: ["tags", key], message: `required tag "${key}" (compliance.requiredTags) is empty: give it a value` });
    }
  }
  return problems;
}

/** `tags.owner`, or `tags["cost.center"]` for a key that is not a plain name. */
function tagPath(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `tags.${key}` : `tags[${JSON.stringify(key)}]`;
}
