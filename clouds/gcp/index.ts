/** GCP planning adapter: naming rules and the embedded-snapshot builder. */
import type { CloudAdapter } from "../types";
import { gcpLivePrices } from "./live-prices";
import { gcpMetrics } from "./metrics";

/** Shared-core machine types: a fraction of a vCPU, bursting on credits. */
const SHARED_CORE = new Set(["e2-micro", "e2-small", "e2-medium", "f1-micro", "g1-small"]);

export const gcp: CloudAdapter = {
  name: "gcp",
  displayName: "GCP",
  isBurstable: (instanceType) => SHARED_CORE.has(instanceType),
  // Loaded on demand: only scripts/build-snapshot.ts needs the raw-data readers.
  buildSnapshot: (dir) => (require("./snapshot") as typeof import("./snapshot")).buildGcpSnapshot(dir),
  livePrices: gcpLivePrices,
  metrics: gcpMetrics,
};
