/**
 * The backup plan: the decision `CrossCloudBackup` realises and `multicloud backup plan` prints,
 * as a plain value. Same spec and prices give the same plan, byte for byte (no clock, no timing).
 * `specHash` identifies what it was computed for.
 */
import { contentHash } from "../util/hash";
import { rankDestinations, type Exclusion } from "./choose";
import type { CloudSet } from "../clouds/cloud-set";
import type { CostEstimate, CostItem } from "./cost";
import { lifecycleStages } from "./lifecycle";
import type { StoragePrices } from "./prices";
import { transferSchedule } from "./schedule";
import { fieldValue, isSet, type BackupSpec } from "./spec";
import type { Tier } from "./types";
import { round } from "../util/round";

/** How many next-cheapest destinations a plan lists. */
export const RUNNERS_UP = 5;

export interface CostSummary {
  provider: string;
  region: string;
  monthlyUsd: number;
  storageUsd: number;
  egressUsd: number;
  operationsUsd: number;
}

export interface BackupPlan {
  name: string;
  specHash: string;
  source: { provider: string; region: string };
  destination: CostSummary & {
    pinned: boolean;
    storeKind: string;
    transferService: string;
    /** How the transfer service reads the source. */
    route: string;
  };
  breakdown: CostItem[];
  initialCopyUsd: number;
  schedule: { everyHours: number; anchor: string };
  lifecycle: Array<{ tier: Tier; storageClass: string; fromDay: number }>;
  retention: { days: number; immutable: boolean; locked: boolean };
  runnersUp: CostSummary[];
  excluded: Exclusion[];
  /** As-of dates of the prices used, per provider involved. */
  prices: Record<string, { storage: string; egress: string; operations: string; transfer: string }>;
  notes: string[];
}

/** Dollars in plans: 4 decimals (small backups cost cents, and cents would hide the differences). */
export const usd4 = (n: number): number => round(n, 4);

export function backupSpecHash(spec: BackupSpec): string {
  return contentHash("multicloud-backup-spec", 1, spec);
}

function summary(e: CostEstimate): CostSummary {
  return { provider: e.provider, region: e.region, monthlyUsd: usd4(e.monthlyUsd), storageUsd: usd4(e.storageUsd), egressUsd: usd4(e.egressUsd), operationsUsd: usd4(e.operationsUsd) };
}

/** Chooses the destination of a validated spec and records the decision. */
export function planBackup(name: string, spec: BackupSpec, prices: StoragePrices, clouds: CloudSet): BackupPlan {
  const { ranked, excluded } = rankDestinations(spec, prices, clouds);
  const best = ranked[0]!;
  const dest = clouds.get(best.provider).storage;
  const providers = [...new Set([spec.source.provider, best.provider])].sort();
  const notes = [`the newest copy is at most ${spec.rpoHours} h plus one transfer's duration old`];
  for (const { when, note } of dest.notes) if (when === undefined || isSet(fieldValue(spec, when))) notes.push(note);
  if (!spec.notification) notes.push("no notification.email: a failed transfer raises an alert that reaches nobody; set notification: { email } to be told when the backup stops copying");
  return {
    name,
    specHash: backupSpecHash(spec),
    source: { provider: spec.source.provider, region: spec.source.region },
    destination: {
      ...summary(best),
      pinned: spec.destination !== undefined,
      storeKind: dest.storeKind,
      transferService: dest.transferService,
      route: dest.routes[spec.source.provider]!.how,
    },
    breakdown: best.items.map((i) => ({ ...i, usd: usd4(i.usd) })),
    initialCopyUsd: usd4(best.initialCopyUsd),
    schedule: transferSchedule(spec.rpoHours),
    lifecycle: lifecycleStages(spec.archiveAfterDays).map((s) => ({ tier: s.tier, storageClass: dest.classes[s.tier], fromDay: s.fromDay })),
    retention: { days: spec.retentionDays, immutable: spec.immutable, locked: spec.lockRetention },
    runnersUp: ranked.slice(1, 1 + RUNNERS_UP).map(summary),
    excluded,
    prices: Object.fromEntries(providers.map((p) => [p, { ...prices.providers[p]!.asOf }])),
    notes,
  };
}
