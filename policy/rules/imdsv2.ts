/**
 * IMDSv2: EC2 instances answer metadata (and their role's credentials) only to session-token
 * requests, which a server-side request forgery cannot make. Required on every launch template
 * and instance of the stack: `metadataOptions.httpTokens: "required"`, or the metadata endpoint
 * turned off (`httpEndpoint: "disabled"`). Left out, EC2 defaults to "optional" (IMDSv1 allowed).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { records, violation, type StackResource } from "../resources";

const TYPES = new Set(["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance"]);

/** Why a resource lets IMDSv1 through, or undefined. */
export function imdsProblem(resource: StackResource): string | undefined {
  if (!TYPES.has(resource.type)) return undefined;
  const options = records(resource.props.metadataOptions)[0] ?? {};
  if (options.httpEndpoint === "disabled" || options.httpTokens === "required") return undefined;
  return violation(
    resource,
    `metadataOptions.httpTokens is ${options.httpTokens === undefined ? "not set (EC2 then allows IMDSv1)" : `"${options.httpTokens}"`}`,
    "instances must require IMDSv2 session tokens",
    'set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } (MultiCloudWorkload does this on its own launch templates)',
  );
}

export const imdsv2: ResourceValidationPolicy = {
  name: "multicloud-imdsv2",
  description: "EC2 launch templates and instances require IMDSv2 (metadataOptions.httpTokens = required).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const problem = imdsProblem(args);
    if (problem) reportViolation(problem);
  },
};
