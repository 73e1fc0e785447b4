/**
 * The examples run: examples/web/index.ts (the TypeScript program, also the root Pulumi.yaml's
 * program) under Pulumi's mocks, and examples/yaml's MultiCloudWorkload properties through the
 * plugin's `construct`, as the YAML runtime sends them. Prices: the embedded snapshot (an empty
 * price cache, no network), so only what does not depend on today's prices is asserted.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import type { Plan } from "../../core";
import { MulticloudProvider } from "../../provider/resources";
import { setupPulumi, valueOf } from "./harness";
import { SSH_KEY } from "./scenario";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as Record<string, any>;

beforeAll(() => {
  process.env.MULTICLOUD_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-cache-"));
});

describe("examples/web", () => {
  it("is the program of the root Pulumi.yaml and of examples/web/Pulumi.yaml", () => {
    expect(read("Pulumi.yaml")).toMatchObject({ runtime: { name: "nodejs" }, main: "examples/web/index.ts" });
    expect(read("examples/web/Pulumi.yaml")).toMatchObject({ runtime: { name: "nodejs" }, main: "index.ts" });
    expect(read("PulumiPlugin.yaml")).toEqual({ runtime: "nodejs", main: "dist/provider/index.js" });
  });

  it("deploys the CLI's spec file with MultiCloudWorkload", async () => {
    const h = await setupPulumi({ config: { "project:sshPublicKey": SSH_KEY } });
    const program = (await import("../../examples/web/index")) as Record<string, any>;
    const plan = (await valueOf(program.plan)) as unknown as Plan;
    // After the plan: the component's notices are logged once its placement is decided.
    await h.settle();
    const spec = read("examples/web/workload.yaml");
    expect(plan.workload).toBe("web");
    expect(plan.totals.replicas).toBeGreaterThanOrEqual(spec.demand.replicas);
    expect(Object.keys(plan.prices).sort()).toEqual(["aws", "azure", "gcp"]);
    expect(await valueOf(program.placementSource)).toBe("computed");
    expect(await valueOf(program.monthlyCostUsd)).toBe(plan.totals.monthlyUsd);
    expect(((await valueOf(program.groups)) as unknown[]).length).toBeGreaterThan(0);
    expect(h.logs.filter((l) => l.severity === "warning").map((l) => l.message).join("\n")).toContain("prices come from the embedded price snapshot");
  });
});

describe("examples/yaml", () => {
  it("declares valid MultiCloudWorkload properties, and outputs the component has", async () => {
    const program = read("examples/yaml/Pulumi.yaml");
    expect(program.packages).toEqual({ multicloud: "../.." });
    const web = program.resources.web;
    expect(web.type).toBe("multicloud:index:MultiCloudWorkload");
    const properties = JSON.parse(JSON.stringify(web.properties).replace("${sshPublicKey}", SSH_KEY));

    await setupPulumi({ stack: "yaml" });
    const provider = await MulticloudProvider.create();
    const { state } = await provider.construct("web", web.type, properties, {});
    expect(await valueOf(state.placementSource as never)).toBe("computed");
    const outputs = Object.values(program.outputs as Record<string, string>).map((o) => /^\$\{web\.(\w+)\}$/.exec(o)![1]);
    expect(outputs.every((o) => o! in state)).toBe(true);
  });
});
