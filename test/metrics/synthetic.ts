/** Synthetic hourly utilization series with known shape, for forecast and demand tests. */
import type { Sample } from "../../core/metrics/source";

export const T0 = Date.UTC(2026, 5, 1); // a Monday, 00:00 UTC
const HOUR = 3_600_000;

export interface Shape {
  base: number;
  /** Daily swing: peaks at 12:00 with base + dailyAmplitude. */
  dailyAmplitude: number;
  /** Subtracted on days 5 and 6 of each week (the weekend). */
  weekendDip: number;
  /** Added per hour since T0. */
  trendPerHour?: number;
  /** Deterministic pseudo-noise amplitude. */
  noise?: number;
}

export function utilizationAt(shape: Shape, hour: number): number {
  const hourOfDay = hour % 24;
  const day = Math.floor(hour / 24) % 7;
  const daily = shape.dailyAmplitude * Math.sin((2 * Math.PI * (hourOfDay - 6)) / 24);
  const weekend = day >= 5 ? -shape.weekendDip : 0;
  const noise = (shape.noise ?? 0) * Math.sin(hour * 12.9898) * Math.cos(hour * 78.233);
  return shape.base + daily + weekend + (shape.trendPerHour ?? 0) * hour + noise;
}

/** `hours` hourly samples from T0 (+ offset hours). */
export function series(shape: Shape, hours: number, offset = 0): Sample[] {
  return Array.from({ length: hours }, (_, i) => ({ t: T0 + (offset + i) * HOUR, v: utilizationAt(shape, offset + i) }));
}

export const hoursAfter = (h: number): Date => new Date(T0 + h * HOUR);
