/**
 * AWS: everything the rest of the package knows about it, as one value. Planning facts load with
 * this file; the snapshot builder, the cloud SDKs and the Pulumi emitters load on first use.
 */
import { z } from "zod";
import type { Cloud } from "../../kit/cloud";
import { awsLivePrices } from "./live-prices";
import { awsMetrics } from "./metrics";
import { awsRegions } from "./geography";
import { awsStorage } from "./storage-list-prices";
import { awsOverheads } from "./overhead-prices";
import { awsTagProblems } from "./tags";

/** `t2`, `t3`, `t3a`, `t4g` ... : every `t<digit>` family is burstable (CPU credits). */
const BURSTABLE = /^t\d[a-z]*\./;

export const aws: Cloud = {
  name: "aws",
  displayName: "AWS",
  grouping: "mixed",
  isBurstable: (instanceType) => BURSTABLE.test(instanceType),
  regions: awsRegions,
  storage: awsStorage,
  backupSourceFields: { bucket: z.string().min(1).optional() },
  tagProblems: awsTagProblems,
  // Loaded on demand: only scripts/build-snapshot.ts needs the raw-data readers.
  buildSnapshot: (dir) => (require("./snapshot") as typeof import("./snapshot")).buildAwsSnapshot(dir),
  livePrices: awsLivePrices,
  metrics: awsMetrics,
  overheads: awsOverheads,
  loadWorkloadEmitter: async () => (await import("./workload-emitter")).awsWorkloadEmitter,
  loadBackupEmitter: async () => (await import("./backup-emitter")).awsBackupEmitter,
  loadStorageClient: async () => (await import("./storage-client")).awsStorageClient,
  // Route 53 steers `traffic.dns` across every cloud's regions.
  loadDnsEmitter: async () => (await import("./dns")).awsDnsEmitter,
};
