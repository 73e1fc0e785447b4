/**
 * Example: keep a copy of an S3 prefix on the cheapest other cloud, immutable for 35 days and
 * archived after 180. The args are the ones in ./backup.yaml (which `multicloud backup plan`
 * reads), so the CLI's plan is what this program deploys.
 */
import * as pulumi from "@pulumi/pulumi";
import { CrossCloudBackup, type CrossCloudBackupArgs } from "../../components/backup";

const config = new pulumi.Config();

export const args: CrossCloudBackupArgs = {
  source: { provider: "aws", region: "us-east-1", bucket: config.get("sourceBucket") ?? "acme-orders", prefix: "exports/" },
  sizeGiB: 2048,
  dailyChangeGiB: 20,
  rpoHours: 6,
  retentionDays: 35,
  immutable: true,
  archiveAfterDays: 180,
  notification: { email: config.get("alertEmail") ?? "backups@example.com" },
  tags: { team: "payments" },
};

const backup = new CrossCloudBackup("orders-backup", args);

export const destination = backup.destination;
export const transferJobId = backup.transferJobId;
export const monthlyCostUsd = backup.monthlyCostUsd;
export const costBreakdown = backup.costBreakdown;
export const followUp = backup.followUp;
