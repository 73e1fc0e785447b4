/**
 * Azure tag rules, checked before anything is registered.
 * https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
 */
import type { SpecProblem } from "../../core/spec/issues";

const AZURE_FORBIDDEN = /[<>%&\\?/]/;

/** Keys always; a value only when it is a plain string (an Output's value is Azure's to check). */
export function azureTagProblems(tags: Readonly<Record<string, unknown>>): SpecProblem[] {
  return Object.keys(tags)
    .sort()
    .filter((key) => key.length > 512 || (typeof tags[key] === "string" && (tags[key] as string).length > 256) || AZURE_FORBIDDEN.test(key))
    .map((key) => ({ path: ["tags", key], message: "Azure allows keys of at most 512 characters without < > % & \\ ? /, and values of at most 256" }));
}
