/** Azure planning adapter: naming rules and the embedded-snapshot builder. */
import type { CloudAdapter } from "../types";
import { azureLivePrices } from "./live-prices";
import { azureMetrics } from "./metrics";

/** The B-series (`Standard_B2s`, `Standard_B2ats_v2` ...) is Azure's burstable family. */
const BURSTABLE = /^Standard_B\d/;

export const azure: CloudAdapter = {
  name: "azure",
  displayName: "Azure",
  isBurstable: (instanceType) => BURSTABLE.test(instanceType),
  // Loaded on demand: only scripts/build-snapshot.ts needs the raw-data readers.
  buildSnapshot: (dir) => (require("./snapshot") as typeof import("./snapshot")).buildAzureSnapshot(dir),
  livePrices: azureLivePrices,
  metrics: azureMetrics,
};
