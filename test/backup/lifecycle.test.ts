import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { gibByStage, lifecycleStages, reachesStage, type LifecycleStage } from "../../core/backup/lifecycle";
import { TIERS } from "../../core/backup/types";

/** Stages ascend in age and in coldness. */
function isOrdered(stages: readonly LifecycleStage[]): boolean {
  return stages.every((s, i) => i === 0 || (s.fromDay > stages[i - 1]!.fromDay && TIERS.indexOf(s.tier) > TIERS.indexOf(stages[i - 1]!.tier)));
}

describe("lifecycleStages", () => {
  it.each([
    [undefined, "hot@0"],
    [1, "hot@0 archive@1"],
    [59, "hot@0 archive@59"],
    [60, "hot@0 cool@30 archive@60"],
    [179, "hot@0 cool@30 archive@179"],
    [180, "hot@0 cool@30 cold@90 archive@180"],
    [3650, "hot@0 cool@30 cold@90 archive@3650"],
  ])("archiveAfterDays %s gives %s", (days, expected) => {
    expect(lifecycleStages(days).map((s) => `${s.tier}@${s.fromDay}`).join(" ")).toBe(expected);
  });

  it("never leaves data in cool or cold for less than their 30- and 90-day minimum storage durations", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 36500 }), (days) => {
        const stages = lifecycleStages(days);
        expect(isOrdered(stages)).toBe(true);
        stages.forEach((s, i) => {
          const next = stages[i + 1];
          if (s.tier === "cool") expect(next!.fromDay - s.fromDay).toBeGreaterThanOrEqual(30);
          if (s.tier === "cold") expect(next!.fromDay - s.fromDay).toBeGreaterThanOrEqual(90);
        });
        expect(stages[stages.length - 1]).toEqual({ tier: "archive", fromDay: days });
      }),
    );
  });
});

describe("gibByStage", () => {
  const ladder = lifecycleStages(180);

  it("fills the youngest stages first, a day's change per day of age", () => {
    // 20 GiB/day: 600 GiB younger than 30 days, 1200 between 30 and 90, the rest older.
    expect(gibByStage(ladder, 2048, 20)).toEqual([600, 1200, 248, 0]);
    expect(gibByStage(ladder, 10_000, 20)).toEqual([600, 1200, 1800, 6400]);
  });

  it("puts static data (no daily change) all in the last stage", () => {
    expect(gibByStage(ladder, 500, 0)).toEqual([0, 0, 0, 500]);
    expect(gibByStage(lifecycleStages(undefined), 500, 0)).toEqual([500]);
  });

  it("always accounts for exactly the backup's size", () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 1, max: 3650 }), { nil: undefined }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true }), (days, size, daily) => {
        const parts = gibByStage(lifecycleStages(days), size, daily);
        expect(parts.every((p) => p >= 0)).toBe(true);
        expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(size, 6);
      }),
    );
  });

  it("counts a transition only for stages some data lives long enough to reach", () => {
    const [, cool, cold, archive] = ladder;
    expect([cool, cold, archive].map((s) => reachesStage(s!, 2048, 20))).toEqual([true, true, false]);
  });
});
