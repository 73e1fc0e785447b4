/** The example program deploys under Pulumi's mocks, and plans what `multicloud backup plan` prints for its spec file. */
import * as fs from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { planBackupFile } from "../../core/backup";
import { packagePath } from "../../core/util/package-root";
import { settled } from "./helpers/deploy";
import { installEngine, valueOf } from "./helpers/mock-engine";
import { CLOUDS } from "../../clouds/registry";

describe("examples/backup", () => {
  it("uses the same args as its backup.yaml, and deploys the destination the CLI plans", async () => {
    const engine = await installEngine();
    const example = await import("../../examples/backup/index");
    const { name, ...spec } = parse(fs.readFileSync(packagePath("examples", "backup", "backup.yaml"), "utf8"));
    expect(name).toBe("orders-backup");
    expect(example.args).toEqual(spec);
    const [destination, monthly] = await Promise.all([valueOf(example.destination), valueOf(example.monthlyCostUsd)]);
    await settled();
    const { plan } = planBackupFile(packagePath("examples", "backup", "backup.yaml"), CLOUDS);
    expect(destination).toMatchObject({ provider: plan.destination.provider, region: plan.destination.region });
    expect(monthly).toBe(plan.destination.monthlyUsd);
    expect(engine.resources.filter((r) => r.type === "multicloud:index:CrossCloudBackup").map((r) => r.name)).toEqual(["orders-backup"]);
  });
});
