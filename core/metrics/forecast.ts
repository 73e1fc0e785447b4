/**
 * Seasonal forecast of hourly utilization: additive Holt-Winters with a damped trend and two
 * seasonal cycles, daily (24 h) and weekly (168 h), after Taylor (2003), "Short-term electricity
 * demand forecasting using double seasonal exponential smoothing". With y_t the observation:
 *
 *   e_t   = y_t - (l + phi b + d_{t-24} + w_{t-168})            one-step error
 *   l'    = alpha (y_t - d_{t-24} - w_{t-168}) + (1 - alpha)(l + phi b)
 *   b'    = beta (l' - l) + (1 - beta) phi b
 *   d_t   = gamma (y_t - l' - w_{t-168}) + (1 - gamma) d_{t-24}
 *   w_t   = delta (y_t - l' - d_{t-24}) + (1 - delta) w_{t-168}
 *   y^_{t+h} = l + (phi + ... + phi^h) b + d_{t+h-24k} + w_{t+h-168k}
 *
 * Two weeks of history enable the weekly cycle; two days the daily one alone; less gives no
 * forecast. The smoothing constants are chosen from a small fixed grid by the least squared
 * one-step error, so the fit is deterministic. Pure: hourly values in, numbers out.
 */

const DAY = 24;
const WEEK = 168;
const PHI = 0.98; // trend damping: a week-long horizon must not extrapolate a blip into a surge

const GRID = {
  alpha: [0.05, 0.1, 0.2, 0.4],
  beta: [0, 0.01, 0.05],
  gamma: [0.05, 0.15, 0.3],
  delta: [0.05, 0.15, 0.3],
};

export type Seasonality = "daily+weekly" | "daily";

export interface Forecast {
  seasonality: Seasonality;
  /** Forecast per future hour (index 0 = the hour after the last observation). */
  values: number[];
  /** Highest forecast value over the horizon, clamped to [0, 1]. */
  peak: number;
  /** Root mean squared one-step error of the fit (same unit as the values). */
  rmse: number;
}

interface Params {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
}

interface State {
  level: number;
  trend: number;
  daily: number[]; // length 24, indexed by t mod 24
  weekly: number[]; // length 168, indexed by t mod 168; zeros without the weekly cycle
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Initial state from the first cycle(s), as in the classic Holt-Winters start-up. */
function initialState(y: readonly number[], weekly: boolean): State {
  const cycle = weekly ? WEEK : DAY;
  const first = y.slice(0, cycle);
  const second = y.slice(cycle, 2 * cycle);
  const level = mean(first);
  const trend = (mean(second) - level) / cycle;
  const daily = Array.from({ length: DAY }, (_, h) => {
    const sameHour = first.filter((_, i) => i % DAY === h);
    return mean(sameHour) - level;
  });
  const week = Array.from({ length: WEEK }, (_, i) => (weekly ? first[i]! - level - daily[i % DAY]! : 0));
  return { level, trend, daily, weekly: week };
}

/** Runs the smoother over `y`; returns the final state and the sum of squared one-step errors. */
function run(y: readonly number[], p: Params, weekly: boolean): { state: State; sse: number; end: number } {
  const s = initialState(y, weekly);
  const daily = [...s.daily];
  const week = [...s.weekly];
  let level = s.level;
  let trend = s.trend;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const d = daily[t % DAY]!;
    const w = week[t % WEEK]!;
    const predicted = level + PHI * trend + d + w;
    const e = y[t]! - predicted;
    sse += e * e;
    const nextLevel = p.alpha * (y[t]! - d - w) + (1 - p.alpha) * (level + PHI * trend);
    trend = p.beta * (nextLevel - level) + (1 - p.beta) * PHI * trend;
    level = nextLevel;
    daily[t % DAY] = p.gamma * (y[t]! - level - w) + (1 - p.gamma) * d;
    if (weekly) week[t % WEEK] = p.delta * (y[t]! - level - d) + (1 - p.delta) * w;
  }
  return { state: { level, trend, daily, weekly: week }, sse, end: y.length };
}

/**
 * Forecasts `horizonHours` ahead from contiguous hourly values (oldest first). Returns null when
 * the history is shorter than two days.
 */
/** Hourly samples a forecast needs: two full days, so that the daily cycle is seen twice. */
export const MIN_FORECAST_HOURS = 2 * DAY;

export function forecastHoltWinters(y: readonly number[], horizonHours: number): Forecast | null {
  if (y.length < MIN_FORECAST_HOURS || horizonHours < 1) return null;
  const weekly = y.length >= 2 * WEEK;
  let best: { state: State; sse: number; end: number } | undefined;
  for (const alpha of GRID.alpha)
    for (const beta of GRID.beta)
      for (const gamma of GRID.gamma)
        for (const delta of weekly ? GRID.delta : [0]) {
          const fit = run(y, { alpha, beta, gamma, delta }, weekly);
          if (!best || fit.sse < best.sse) best = fit; // strict: the first of equals wins, deterministically
        }
  const { state, sse, end } = best!;
  const values: number[] = [];
  let damp = 0;
  for (let h = 1; h <= horizonHours; h++) {
    damp += PHI ** h;
    const t = end + h - 1;
    values.push(state.level + damp * state.trend + state.daily[t % DAY]! + state.weekly[t % WEEK]!);
  }
  const peak = Math.min(1, Math.max(0, ...values));
  return { seasonality: weekly ? "daily+weekly" : "daily", values, peak, rmse: Math.sqrt(sse / y.length) };
}
