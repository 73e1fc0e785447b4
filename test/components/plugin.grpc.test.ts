/**
 * The plugin as the Pulumi engine runs it: PulumiPlugin.yaml's `main` started as its own process
 * with the engine's address (test/fakes/engine.ts), announcing its port on stdout, configured, and
 * answering GetSchema over gRPC (loopback) with the schema generated at build time. Needs
 * `npm run build` (the entry is dist/provider/index.js).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { FakeEngine } from "../fakes/engine";

const ROOT = path.resolve(__dirname, "../..");
let engine: FakeEngine;

beforeAll(async () => {
  engine = await FakeEngine.start();
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

describe("the multicloud plugin over gRPC", () => {
  it("announces a loopback port and serves the package schema", async () => {
    expect(engine.pluginPort).toBeGreaterThan(0);
    const served = JSON.parse(await engine.getSchema()) as { name: string; resources: Record<string, unknown> };
    expect(served).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "provider/schema.json"), "utf8")));
    expect(Object.keys(served.resources)).toContain("multicloud:index:MultiCloudWorkload");
  });
});
