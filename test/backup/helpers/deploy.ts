/** Runs a CrossCloudBackup under the mock engine and collects what a user would see. */
import { CrossCloudBackup, type CrossCloudBackupArgs } from "../../../components/backup";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { installEngine, valueOf, type MockEngine } from "./mock-engine";

/** Waits until every registration the program started has reached the engine (Pulumi's own RPC queue). */
export function settled(): Promise<void> {
  return (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

export interface Deployed {
  engine: MockEngine;
  backup: CrossCloudBackup;
  outputs: {
    destination: Awaited<ReturnType<typeof valueOf<any>>>;
    transferJobId: string;
    monthlyCostUsd: number;
    costBreakdown: Array<{ category: string; item: string; usd: number }>;
    plan: any;
    followUp: string[];
  };
}

export async function deploy(name: string, args: CrossCloudBackupArgs): Promise<Deployed> {
  const engine = await installEngine();
  const backup = new CrossCloudBackup(name, args);
  await backup.ready();
  const [destination, transferJobId, monthlyCostUsd, costBreakdown, plan, followUp] = await Promise.all([
    valueOf(backup.destination),
    valueOf(backup.transferJobId),
    valueOf(backup.monthlyCostUsd),
    valueOf(backup.costBreakdown),
    valueOf(backup.plan),
    valueOf(backup.followUp),
  ]);
  await settled();
  return { engine, backup, outputs: { destination, transferJobId, monthlyCostUsd, costBreakdown, plan, followUp } };
}

/** Logical names registered under the component, sorted (names are identity: tests pin them). */
export function childNames(engine: MockEngine, component: string): string[] {
  return engine.resources.filter((r) => r.name !== component).map((r) => r.name).sort();
}

/** A SAS expiry safely in the future for the tests' lifetime. */
export const FUTURE_DATE = "2099-12-31";
