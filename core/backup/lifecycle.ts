/**
 * The lifecycle ladder of a backup copy: which tier data sits in at each age, and how much of a
 * backup is in each tier at steady state. Pure; each cloud maps tiers to its class names.
 *
 * Ladder for `archiveAfterDays` = A (absent: everything stays hot):
 *   hot from day 0; cool from day 30 when A >= 60; cold from day 90 when A >= 180; archive from A.
 * The conditions keep data in cool and cold at least their minimum storage durations (30 and 90
 * days on every cloud), so moving on never triggers an early-deletion charge, and the first
 * transition is at 30 days, the minimum age S3 accepts for STANDARD_IA.
 */
import type { Tier } from "./types";

export interface LifecycleStage {
  tier: Tier;
  /** Age in days at which data enters this tier. */
  fromDay: number;
}

export const COOL_FROM_DAY = 30;
export const COLD_FROM_DAY = 90;

export function lifecycleStages(archiveAfterDays: number | undefined): LifecycleStage[] {
  const stages: LifecycleStage[] = [{ tier: "hot", fromDay: 0 }];
  if (archiveAfterDays === undefined) return stages;
  if (archiveAfterDays >= 2 * COOL_FROM_DAY) stages.push({ tier: "cool", fromDay: COOL_FROM_DAY });
  if (archiveAfterDays >= 2 * COLD_FROM_DAY) stages.push({ tier: "cold", fromDay: COLD_FROM_DAY });
  stages.push({ tier: "archive", fromDay: archiveAfterDays });
  return stages;
}

/**
 * GiB in each stage at steady state. The model: `dailyChangeGiB` of new or rewritten data lands
 * every day, so the copy holds `dailyChangeGiB` per day of age, youngest first, up to `sizeGiB`;
 * whatever is older than the last stage's start sits in the last stage. Static data
 * (`dailyChangeGiB` = 0) is all old. The amounts always add up to `sizeGiB`.
 */
export function gibByStage(stages: readonly LifecycleStage[], sizeGiB: number, dailyChangeGiB: number): number[] {
  let remaining = sizeGiB;
  return stages.map((stage, i) => {
    const next = stages[i + 1];
    const amount = next === undefined ? remaining : Math.min(remaining, dailyChangeGiB * (next.fromDay - stage.fromDay));
    remaining -= amount;
    return amount;
  });
}

/** True when some data lives long enough to reach `stage` (so its objects pay a transition). */
export function reachesStage(stage: LifecycleStage, sizeGiB: number, dailyChangeGiB: number): boolean {
  return stage.fromDay === 0 || sizeGiB > dailyChangeGiB * stage.fromDay;
}
