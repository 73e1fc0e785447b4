/**
 * The pulumi-multicloud policy pack: `pulumi preview --policy-pack <this folder>` (see
 * PulumiPolicy.yaml and the README's "Policy pack" section). The engine runs the folder with
 * @pulumi/pulumi's policy-pack runner, which loads ./package.json's `main`: this file compiled to
 * dist/policy by `npm ci` / `npm run build` (the runner would otherwise type-check the pack and all
 * it imports with ts-node at every start: minutes on a small machine). It reads the pack's version
 * from ./package.json; constructing the PolicyPack starts the analyzer server.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
  description: "pulumi-multicloud compliance: encryption at rest, no public IPs, IMDSv2, required tags, allowed geographies, immutable backups, pinned placements, a monthly cost cap.",
  enforcementLevel: "mandatory",
  policies,
});
