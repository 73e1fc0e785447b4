/**
 * The backup planner's view of each cloud: its regions (where they are) and its storage facts.
 * One line per cloud in BACKUP_FACTS; everything else in core/backup reaches a cloud through
 * `backupCloud(name)` and never names one. The order of clouds is the registry's
 * (clouds/registry.ts), so iteration is deterministic.
 */
import { CLOUDS } from "../../clouds/registry";
import { awsRegions } from "../../clouds/aws/geography";
import { awsStorage } from "../../clouds/aws/storage-list-prices";
import { azureRegions } from "../../clouds/azure/geography";
import { azureStorage } from "../../clouds/azure/storage-list-prices";
import { gcpRegions } from "../../clouds/gcp/geography";
import { gcpStorage } from "../../clouds/gcp/storage-list-prices";
import { InternalError, UserError, didYouMean } from "../util/errors";
import type { RegionPlace, RegionTable, StorageFacts } from "./types";

export interface BackupCloud {
  name: string;
  displayName: string;
  regions: RegionTable;
  storage: StorageFacts;
}

const BACKUP_FACTS: Readonly<Record<string, Pick<BackupCloud, "regions" | "storage">>> = {
  aws: { regions: awsRegions, storage: awsStorage },
  azure: { regions: azureRegions, storage: azureStorage },
  gcp: { regions: gcpRegions, storage: gcpStorage },
};

export const BACKUP_CLOUDS: readonly BackupCloud[] = CLOUDS.map((adapter) => {
  const facts = BACKUP_FACTS[adapter.name];
  if (!facts) throw new InternalError(`cloud ${adapter.name} has no backup facts in core/backup/clouds.ts`);
  return { name: adapter.name, displayName: adapter.displayName, ...facts };
});

export const BACKUP_CLOUD_NAMES: readonly string[] = BACKUP_CLOUDS.map((c) => c.name);

export function backupCloud(name: string): BackupCloud {
  const found = BACKUP_CLOUDS.find((c) => c.name === name);
  if (!found) throw new UserError(`unknown provider "${name}": expected one of ${BACKUP_CLOUD_NAMES.join(", ")}${didYouMean(name, BACKUP_CLOUD_NAMES)}`);
  return found;
}

/** Where a region is, or undefined for a region the cloud's table does not list. */
export function placeOf(provider: string, region: string): RegionPlace | undefined {
  return BACKUP_CLOUDS.find((c) => c.name === provider)?.regions[region];
}
