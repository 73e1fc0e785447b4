/** AWS planning adapter: naming rules and the embedded-snapshot builder. */
import type { CloudAdapter } from "../types";
import { awsLivePrices } from "./live-prices";
import { awsMetrics } from "./metrics";

/** `t2`, `t3`, `t3a`, `t4g` ... : every `t<digit>` family is burstable (CPU credits). */
const BURSTABLE = /^t\d[a-z]*\./;

export const aws: CloudAdapter = {
  name: "aws",
  displayName: "AWS",
  isBurstable: (instanceType) => BURSTABLE.test(instanceType),
  // Loaded on demand: only scripts/build-snapshot.ts needs the raw-data readers.
  buildSnapshot: (dir) => (require("./snapshot") as typeof import("./snapshot")).buildAwsSnapshot(dir),
  livePrices: awsLivePrices,
  metrics: awsMetrics,
};
