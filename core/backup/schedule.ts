/**
 * The transfer schedule derived from `rpoHours`, and its spellings for the transfer services.
 * Pure. A copy starts every `rpoHours` hours, so the newest copy is at most `rpoHours` plus one
 * transfer's duration old (the plan says so).
 *
 * The start anchor is a fixed past instant rather than "now", so that the same args give the
 * same resource inputs on every preview: every service here treats a past start as "from the
 * next occurrence" and none backfills missed runs (STS starts the day after creation, DataSync
 * and Data Factory schedule triggers run from the next slot).
 */
import { HOURS_PER_MONTH } from "../util/units";

export const SCHEDULE_ANCHOR = "2024-01-01T00:00:00Z";

export interface TransferSchedule {
  everyHours: number;
  /** ISO-8601 instant the schedule counts from. */
  anchor: string;
}

export function transferSchedule(rpoHours: number): TransferSchedule {
  return { everyHours: rpoHours, anchor: SCHEDULE_ANCHOR };
}

/** Transfer runs per month (730 hours). */
export function runsPerMonth(schedule: TransferSchedule): number {
  return HOURS_PER_MONTH / schedule.everyHours;
}

/** Protobuf duration (`"86400s"`), as Storage Transfer Service's `repeatInterval` wants. */
export function asDuration(schedule: TransferSchedule): string {
  return `${schedule.everyHours * 3600}s`;
}

/** EventBridge-style rate expression (`rate(6 hours)`), as DataSync task schedules accept. */
export function asRateExpression(schedule: TransferSchedule): string {
  return `rate(${schedule.everyHours} ${schedule.everyHours === 1 ? "hour" : "hours"})`;
}

/** Hourly recurrence (`{ frequency: "Hour", interval: 6 }`), as Data Factory schedule triggers want. */
export function asHourlyRecurrence(schedule: TransferSchedule): { frequency: "Hour"; interval: number; startTime: string; timeZone: "UTC" } {
  return { frequency: "Hour", interval: schedule.everyHours, startTime: schedule.anchor, timeZone: "UTC" };
}

/** The anchor as a calendar date, as Storage Transfer Service's `scheduleStartDate` wants. */
export function anchorDate(schedule: TransferSchedule): { year: number; month: number; day: number } {
  const d = new Date(schedule.anchor);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
