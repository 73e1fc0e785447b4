/**
 * The Pulumi-free backup planner: spec in, destination and cost breakdown out.
 *
 *   spec (spec.ts)  ->  candidates and costs (choose.ts, cost.ts)  ->  plan (plan.ts)  ->  text (format.ts)
 *
 * Prices come from the storage snapshot (prices.ts) unless a caller passes its own.
 */
import { readYamlFile, rejectOutputPlaceholders } from "../spec/load";
import { loadStoragePrices, type StoragePrices } from "./prices";
import { validateBackupFile, validateBackupSpec, type BackupSpec } from "./spec";
import type { CloudSet } from "../clouds/cloud-set";
import { planBackup, type BackupPlan } from "./plan";

export * from "./types";
export { backupSpecSchema, backupFileSchema, validateBackupSpec, validateBackupFile, type BackupSpec, type BackupSpecInput, type BackupSource } from "./spec";
export { planBackup, backupSpecHash, usd4, type BackupPlan, type CostSummary } from "./plan";
export { estimateCost, tieredCost, type CostEstimate, type CostItem, type Place } from "./cost";
export { rankDestinations, compareEstimates, type Exclusion } from "./choose";
export { loadStoragePrices, parseStoragePrices, type StoragePrices, type ProviderStoragePrices } from "./prices";
export { lifecycleStages, gibByStage, type LifecycleStage } from "./lifecycle";
export { transferSchedule, runsPerMonth, asDuration, asRateExpression, asHourlyRecurrence, anchorDate, type TransferSchedule } from "./schedule";
export { physicalNames, type PhysicalNames } from "./naming";
export { renderBackupPlan } from "./format";

export interface BackupPlanOptions {
  prices?: StoragePrices;
  now?: Date;
}

/** Validates raw args (component args, parsed YAML) and plans them. Throws a UserError on bad input. */
export function planBackupArgs(name: string, input: unknown, clouds: CloudSet, options: BackupPlanOptions = {}): { spec: BackupSpec; plan: BackupPlan } {
  const prices = options.prices ?? loadStoragePrices();
  const spec = validateBackupSpec(input, { clouds, prices, now: options.now ?? new Date() });
  return { spec, plan: planBackup(name, spec, prices, clouds) };
}

/** Reads and plans a backup spec file (YAML or JSON, with a `name`); messages carry file:line. */
export function planBackupFile(file: string, clouds: CloudSet, options: BackupPlanOptions = {}): { spec: BackupSpec; plan: BackupPlan } {
  const prices = options.prices ?? loadStoragePrices();
  const { data, locate } = readYamlFile(file, "backup spec");
  rejectOutputPlaceholders(data, locate, "backup spec");
  const { name, ...spec } = validateBackupFile(data, { clouds, prices, now: options.now ?? new Date(), locate });
  return { spec, plan: planBackup(name, spec, prices, clouds) };
}
