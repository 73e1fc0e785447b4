/**
 * pulumi-multicloud: Pulumi components that place compute and backups across AWS, Azure and GCP
 * at the lowest cost that meets your constraints, and the Pulumi-free planning core behind them.
 */
export { CrossCloudBackup, BACKUP_TOKEN } from "./components/backup/cross-cloud-backup";
export * from "./components/backup/args";
export * from "./components";
export * from "./core";
