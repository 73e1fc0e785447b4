import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../core/util/package-root";
import { cli } from "../helpers/cli";

const EXAMPLE = packagePath("examples", "backup", "backup.yaml");


function specFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-backup-"));
  const file = path.join(dir, "backup.yaml");
  fs.writeFileSync(file, text);
  return file;
}

describe("multicloud backup plan", () => {
  it("prints the plan as JSON: destination, breakdown, runners-up, price dates", async () => {
    const { code, stdout, stderr } = await cli("backup", "plan", EXAMPLE, "--format", "json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.name).toBe("orders-backup");
    expect(plan.source).toEqual({ provider: "aws", region: "us-east-1" });
    expect(plan.destination.provider).not.toBe("aws");
    expect(plan.destination.monthlyUsd).toBeCloseTo(plan.breakdown.reduce((s: number, i: { usd: number }) => s + i.usd, 0), 3);
    expect(plan.runnersUp.length).toBeGreaterThan(0);
    expect(plan.runnersUp.every((r: { monthlyUsd: number }) => r.monthlyUsd >= plan.destination.monthlyUsd)).toBe(true);
    expect(Object.keys(plan.prices)).toEqual(["aws", plan.destination.provider].sort());
    // Same spec, same prices: byte-identical output.
    expect((await cli("backup", "plan", EXAMPLE, "--format", "json")).stdout).toBe(stdout);
  });

  it("renders the table and markdown outputs (golden files)", async () => {
    for (const format of ["table", "markdown"] as const) {
      const { code, stdout } = await cli("backup", "plan", EXAMPLE, "--format", format);
      expect(code).toBe(0);
      await expect(stdout).toMatchFileSnapshot(`golden/backup-plan.${format === "table" ? "txt" : "md"}`);
    }
  });

  it("fails with exit code 1 and the file, line and field of a bad spec", async () => {
    const file = specFile("name: bad\nsource:\n  provider: aws\n  region: us-east-1\n  bucket: b\nsizeGiB: 10\ndailyChangeGiB: 1\nretentionDays: 0\ndestination:\n  provider: aws\n  region: us-west-2\n");
    const { code, stdout, stderr } = await cli("backup", "plan", file);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${file}:8: retentionDays: expected a number >= 1, got 0`);
    const semantic = specFile("name: bad\nsource:\n  provider: aws\n  region: us-east-1\n  bucket: b\nsizeGiB: 10\ndailyChangeGiB: 1\ndestination:\n  provider: aws\n  region: us-west-2\n");
    expect((await cli("backup", "plan", semantic)).stderr).toContain(`${semantic}:9: destination.provider: must be on a different cloud`);
  });

  it("says so when the spec file is missing", async () => {
    const { code, stderr } = await cli("backup", "plan", "/nonexistent/backup.yaml");
    expect(code).toBe(1);
    expect(stderr).toBe("error: backup spec file not found: /nonexistent/backup.yaml\n");
  });
});
