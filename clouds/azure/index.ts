/**
 * Azure: everything the rest of the package knows about it, as one value. Planning facts load with
 * this file; the snapshot builder, the cloud SDKs and the Pulumi emitters load on first use.
 */
import { z } from "zod";
import type { Cloud } from "../../kit/cloud";
import { azureLivePrices } from "./live-prices";
import { azureMetrics } from "./metrics";
import { azureRegions } from "./geography";
import { azureStorage } from "./storage-list-prices";
import { azureOverheads } from "./overhead-prices";
import { azureTagProblems } from "./tags";

/** The B-series (`Standard_B2s`, `Standard_B2ats_v2` ...) is Azure's burstable family. */
const BURSTABLE = /^Standard_B\d/;

export const azure: Cloud = {
  name: "azure",
  displayName: "Azure",
  grouping: "mixed",
  isBurstable: (instanceType) => BURSTABLE.test(instanceType),
  regions: azureRegions,
  storage: azureStorage,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage
  backupSourceFields: {
    storageAccount: z.string().regex(/^[a-z0-9]{3,24}$/, "expected a storage account name: 3-24 lower-case letters and digits").optional(),
    container: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, "expected a container name: 3-63 lower-case letters, digits and '-'").optional(),
    resourceGroupName: z.string().min(1).optional(),
    sasExpiresOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD").optional(),
  },
  tagProblems: azureTagProblems,
  // Loaded on demand: only scripts/build-snapshot.ts needs the raw-data readers.
  buildSnapshot: (dir) => (require("./snapshot") as typeof import("./snapshot")).buildAzureSnapshot(dir),
  livePrices: azureLivePrices,
  metrics: azureMetrics,
  overheads: azureOverheads,
  loadWorkloadEmitter: async () => (await import("./workload-emitter")).azureWorkloadEmitter,
  loadBackupEmitter: async () => (await import("./backup-emitter")).azureBackupEmitter,
  loadStorageClient: async () => (await import("./storage-client")).azureStorageClient,
};
