/**
 * Autoscaler thresholds for clouds whose autoscaler has no target tracking (Azure autoscale
 * settings scale on threshold rules). Pure.
 *
 * Scale out above the target; scale in only below half of it. After removing one of n >= 2
 * instances, load on the rest grows by at most n/(n-1) <= 2x, so a fleet just below the scale-in
 * threshold lands below the scale-out threshold: the two rules cannot flap.
 */
export interface CpuThresholds {
  scaleOutAbove: number;
  scaleInBelow: number;
}

export function cpuThresholds(targetCpuUtilization: number): CpuThresholds {
  return { scaleOutAbove: targetCpuUtilization, scaleInBelow: Math.max(1, Math.floor(targetCpuUtilization / 2)) };
}
