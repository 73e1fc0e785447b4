/**
 * AWS tag rules, checked before anything is registered. The workload's tags land on EC2 resources
 * (VPC, subnets, security group, launch template, NAT gateway ...), whose keys are limited to 127
 * characters, one less than most other AWS services allow.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html ("Tag keys ... accept a maximum of 127 Unicode characters. May not begin with aws:")
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
 */
import type { SpecProblem } from "../../core/spec/issues";

const MAX_KEY = 127;
const MAX_VALUE = 256;

/** Keys always; a value only when it is a plain string (an Output's value is AWS's to check). */
export function awsTagProblems(tags: Readonly<Record<string, unknown>>): SpecProblem[] {
  return Object.keys(tags)
    .sort()
    .filter((key) => key.length > MAX_KEY || textLength(tags[key]) > MAX_VALUE || key.toLowerCase().startsWith("aws:"))
    .map((key) => ({ path: ["tags", key], message: `AWS allows keys of at most ${MAX_KEY} characters (EC2's limit), values of at most ${MAX_VALUE}, and reserves the aws: prefix` }));
}

function textLength(value: unknown): number {
  return typeof value === "string" ? value.length : 0;
}
