/**
 * The policies of DESIGN.md "Compliance and audit", in one list: the pack (./index.ts) serves
 * them, and the tests call each one's validation function directly, as the engine would.
 *
 * Resource policies see one resource's inputs at a time; stack policies see every resource's
 * outputs with their parents and dependencies, which the rules spanning two resources need (an S3
 * bucket and its encryption configuration) and the rules on a component's outputs (a
 * MultiCloudWorkload's placement source, cost and deployed spec).
 */
import type { Policies } from "@pulumi/policy";
import { encryptionAtRest } from "./rules/encryption";
import { noPublicIp } from "./rules/public-ip";
import { imdsv2 } from "./rules/imdsv2";
import { requiredTags } from "./rules/required-tags";
import { allowedGeographies } from "./rules/geographies";
import { backupImmutability } from "./rules/backup-immutability";
import { monthlyCostCap, placementsPinned } from "./rules/placements";

export const POLICY_PACK_NAME = "multicloud-compliance";

export const policies: Policies = [
  encryptionAtRest,
  noPublicIp,
  imdsv2,
  requiredTags,
  allowedGeographies,
  backupImmutability,
  placementsPinned,
  monthlyCostCap,
];
