/** The CrossCloudBackup component, its args and its emitter interface. */
export { CrossCloudBackup, BACKUP_TOKEN } from "./cross-cloud-backup";
export * from "./args";
export type { BackupEmitter, BackupContext, SourceAccess, AccessRequest, DestinationResult } from "../../kit/backup/emitter";
