/**
 * AWS tag rules, checked before anything is registered.
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
 */
import type { SpecProblem } from "../../core/spec/issues";

export function awsTagProblems(tags: Readonly<Record<string, string>>): SpecProblem[] {
  return Object.keys(tags)
    .sort()
    .filter((key) => key.length > 128 || tags[key]!.length > 256 || key.toLowerCase().startsWith("aws:"))
    .map((key) => ({ path: ["tags", key], message: "AWS allows keys of at most 128 characters, values of at most 256, and reserves the aws: prefix" }));
}
