/**
 * GCP: everything the rest of the package knows about it, as one value. Planning facts load with
 * this file; the snapshot builder, the cloud SDKs and the Pulumi emitters load on first use.
 */
import { z } from "zod";
import type { Cloud } from "../../kit/cloud";
import { gcpLivePrices } from "./live-prices";
import { gcpMetrics } from "./metrics";
import { gcpRegions } from "./geography";
import { gcpStorage } from "./storage-list-prices";
import { gcpOverheads } from "./overhead-prices";
import { gcpLabelKey, gcpLabelProblems } from "./tags";

/** Shared-core machine types: a fraction of a vCPU, bursting on credits. */
const SHARED_CORE = new Set(["e2-micro", "e2-small", "e2-medium", "f1-micro", "g1-small"]);

export const gcp: Cloud = {
  name: "gcp",
  displayName: "GCP",
  grouping: "separate",
  isBurstable: (instanceType) => SHARED_CORE.has(instanceType),
  regions: gcpRegions,
  storage: gcpStorage,
  backupSourceFields: { bucket: z.string().min(1).optional() },
  tagProblems: gcpLabelProblems,
  carriedTagKey: gcpLabelKey,
  // Loaded on demand: only scripts/build-snapshot.ts needs the raw-data readers.
  buildSnapshot: (dir) => (require("./snapshot") as typeof import("./snapshot")).buildGcpSnapshot(dir),
  livePrices: gcpLivePrices,
  metrics: gcpMetrics,
  overheads: gcpOverheads,
  loadWorkloadEmitter: async () => (await import("./workload-emitter")).gcpWorkloadEmitter,
  loadBackupEmitter: async () => (await import("./backup-emitter")).gcpBackupEmitter,
  loadStorageClient: async () => (await import("./storage-client")).gcpStorageClient,
};
