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

export function awsTagProblems(tags: Readonly<Record<string, string>>): SpecProblem[] {
  return Object.keys(tags)
    .sort()
    .filter((key) => key.length > MAX_KEY || tags[key]!.length > MAX_VALUE || key.toLowerCase().startsWith("aws:"))
    .map((key) => ({ path: ["tags", key], message: `AWS allows keys of at most ${MAX_KEY} characters (EC2's limit), values of at most ${MAX_VALUE}, and reserves the aws: prefix` }));
}
