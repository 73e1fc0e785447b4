/**
 * Child resource names. Names are identity: Pulumi keys state on them, so a changed name replaces
 * the resource. They are pinned by test/components/names.test.ts; change them only with aliases.
 *
 *   per region (provider, network, security group/NSG/firewall, resource group, identity):
 *       `${workload}-${cloud}-${region}`                     web-aws-us-east-1
 *   per region parts (AWS launch template per architecture, AWS subnets):
 *       `${workload}-${cloud}-${region}-${part}`             web-aws-us-east-1-x86-64, web-aws-us-east-1-subnet-0
 *   per group (ASG/VMSS/instance template/MIG and its autoscaler or scaling policy):
 *       `${workload}-${cloud}-${region}-${instanceType}`     web-aws-us-east-1-m7i-xlarge
 *       plus `-${lifecycle}` where a group holds one lifecycle by design (GCP): ...-n2-standard-4-spot
 *
 * Resources of different types may share a name (their URNs differ by type). The workload name is
 * the validated spec name (lower-case letters, digits, '-'). Every name is a valid GCP/Azure name
 * stem: lower-case, at most MAX_NAME characters so that Pulumi's 8-character auto-name suffix still
 * fits GCP's 63; longer names keep a readable head and end in a hash of the full name.
 */
import { createHash } from "node:crypto";
import type { WorkloadGroup } from "../../core/plan/groups";
import { slug } from "../../core/util/slug";

export { slug };

export const MAX_NAME = 55;

export function regionName(workload: string, cloud: string, region: string): string {
  return fit([workload, cloud, region]);
}

/** A per-region part: `${workload}-${cloud}-${region}-${part}` (launch template per arch, subnet). */
export function regionPartName(workload: string, cloud: string, region: string, part: string): string {
  return fit([workload, cloud, region, part]);
}

export function groupName(workload: string, group: WorkloadGroup): string {
  const parts = [workload, group.cloud, group.region, group.instanceType];
  if (group.grouping === "separate") parts.push(group.lifecycle);
  return fit(parts);
}


function fit(parts: readonly string[]): string {
  const name = parts.map(slug).join("-");
  if (name.length <= MAX_NAME) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_NAME - 9).replace(/-+$/, "")}-${hash}`;
}
