/**
 * The package's Pulumi components. Each is also served by the plugin (provider/resources.ts maps
 * its token to its constructor).
 */
export { MultiCloudWorkload, WORKLOAD_TOKEN } from "./workload/workload";
export * from "./workload/args";
export { CrossCloudBackup, BACKUP_TOKEN } from "./backup/cross-cloud-backup";
export * from "./backup/args";
