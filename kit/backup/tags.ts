/**
 * Tags of every backup resource: the user's tags plus one naming the backup. The spec only admits
 * tags valid as GCP labels (the strictest of the three clouds), so one map serves every cloud.
 * Keys are sorted so that resource inputs are byte-stable.
 */
import type { TagInputs } from "../workload/tags";

export const BACKUP_TAG = "multicloud-backup";
export const MANAGED_BY_TAG = "managed-by";

/** A value may be an Output (another resource's, or a secret): the component checks it once known. */
export function backupTags(userTags: Readonly<TagInputs>, slug: string): TagInputs {
  const merged: TagInputs = { ...userTags, [BACKUP_TAG]: slug.slice(0, 63), [MANAGED_BY_TAG]: "pulumi-multicloud" };
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]!]));
}
