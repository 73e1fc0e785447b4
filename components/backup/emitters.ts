/**
 * Registry of backup emitters, one line per cloud. Emitters are loaded on first use (a backup
 * touches two clouds, and each cloud SDK is costly to load), hence the promise.
 */
import type { BackupEmitter } from "./emitter";
import { InternalError } from "../../core/util/errors";

const EMITTERS: Readonly<Record<string, () => Promise<BackupEmitter>>> = {
  aws: async () => (await import("../../clouds/aws/backup-emitter")).awsBackupEmitter,
  azure: async () => (await import("../../clouds/azure/backup-emitter")).azureBackupEmitter,
  gcp: async () => (await import("../../clouds/gcp/backup-emitter")).gcpBackupEmitter,
};

export function loadBackupEmitter(provider: string): Promise<BackupEmitter> {
  const load = EMITTERS[provider];
  // Validation only lets registered clouds through, so a miss here is a bug.
  if (!load) throw new InternalError(`no backup emitter for provider "${provider}" in components/backup/emitters.ts`);
  return load();
}
