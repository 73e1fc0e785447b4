/**
 * The plugin as the Pulumi engine runs it: `provider/index.ts` (PulumiPlugin.yaml `main`) started
 * as its own process, announcing its port on stdout, answering GetSchema over gRPC (loopback) with
 * the schema generated at build time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
let plugin: ChildProcess;
let port: number;

beforeAll(async () => {
  const manifest = parse(fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8")) as { runtime: string; main: string };
  expect(manifest.runtime).toBe("nodejs");
  plugin = spawn(process.execPath, ["--import", "tsx", manifest.main], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  plugin.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  port = await new Promise<number>((resolve, reject) => {
    plugin.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    plugin.once("exit", (code) => reject(new Error(`plugin exited with ${code}: ${stderr}`)));
  });
}, 30_000);

afterAll(() => {
  if (plugin.pid !== undefined) plugin.kill();
});

describe("the multicloud plugin over gRPC", () => {
  it("announces a loopback port and serves the package schema", async () => {
    expect(port).toBeGreaterThan(0);
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const request = new provproto.GetSchemaRequest();
    request.setVersion(0);
    const response = await new Promise<provproto.GetSchemaResponse>((resolve, reject) =>
      client.getSchema(request, (err, res) => (err ? reject(err) : resolve(res!))),
    );
    client.close();
    const served = JSON.parse(response.getSchema()) as { name: string; resources: Record<string, unknown> };
    expect(served).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "provider/schema.json"), "utf8")));
    expect(Object.keys(served.resources)).toContain("multicloud:index:MultiCloudWorkload");
  });
});
