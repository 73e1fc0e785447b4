/**
 * `pulumi preview --policy-pack policy` end to end, without the Pulumi CLI (which cannot be
 * installed here): the pack is started exactly as the CLI's Node.js language host starts a policy
 * pack (`node @pulumi/pulumi/cmd/run-policy-pack <engine> .` with the pack's folder as working
 * directory: it loads package.json's `main`, the pack compiled to dist/policy by `npm ci` / `npm run
 * build`; @pulumi/policy reads the version from ./package.json and prints its gRPC port), then asked
 * over the Analyzer protocol the engine speaks (@pulumi/pulumi's bundled protos) for its policies,
 * a resource analysis and a stack analysis.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PACK = path.resolve(__dirname, "../../policy");
/** A hang guard, not a speed goal. */
const STARTUP_MS = 120_000;

let child: ChildProcess | undefined;
let client: analyzerRpc.AnalyzerClient;
let stderr = "";

function call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));
}

function analyzerResource(type: string, name: string, props: Record<string, unknown>): analyzer.AnalyzerResource {
  const r = new analyzer.AnalyzerResource();
  r.setType(type);
  r.setName(name);
  r.setUrn(`urn:pulumi:dev::project::${type}::${name}`);
  r.setProperties(Struct.fromJavaScript(props as never));
  r.setOptions(new analyzer.AnalyzerResourceOptions());
  return r;
}

beforeAll(async () => {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const proc = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: PACK, stdio: ["ignore", "pipe", "pipe"] });
  child = proc;
  proc.stderr!.on("data", (d: Buffer) => void (stderr += d.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => /^\d+$/.test(l.trim()));
      if (line) resolve(line.trim());
    });
    proc.on("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving:\n${stderr}`)));
  });
  client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, STARTUP_MS);

afterAll(() => {
  client?.close();
  if (child?.pid !== undefined && child.exitCode === null) child.kill();
});

describe("the policy pack, served as `pulumi preview --policy-pack` runs it", () => {
  it("describes every policy, with its enforcement level and config schema", async () => {
    const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
    expect(info.getName()).toBe("multicloud-compliance");
    expect(info.getVersion()).toBe("0.1.0");
    const policies = Object.fromEntries(info.getPoliciesList().map((p) => [p.getName(), p]));
    expect(Object.keys(policies).sort()).toEqual([
      "multicloud-allowed-geographies",
      "multicloud-backup-immutability",
      "multicloud-encryption-at-rest",
      "multicloud-imdsv2",
      "multicloud-monthly-cost-cap",
      "multicloud-no-public-ip",
      "multicloud-placements-pinned",
      "multicloud-required-tags",
    ]);
    expect(policies["multicloud-placements-pinned"]!.getEnforcementlevel()).toBe(analyzer.EnforcementLevel.ADVISORY);
    expect(policies["multicloud-imdsv2"]!.getEnforcementlevel()).toBe(analyzer.EnforcementLevel.MANDATORY);
    const schema = policies["multicloud-required-tags"]!.getConfigschema()!.getProperties()!.toJavaScript();
    expect(schema).toMatchObject({ keys: { type: "array", default: [] } });
  });

  // The SDK sends the policy's description, a newline, then the violation's message.
  it("analyzes a resource the program declares directly: an instance without IMDSv2", async () => {
    const req = new analyzer.AnalyzeRequest();
    req.setType("aws:ec2/instance:Instance");
    req.setName("bastion");
    req.setUrn("urn:pulumi:dev::project::aws:ec2/instance:Instance::bastion");
    req.setProperties(Struct.fromJavaScript({ instanceType: "t3.micro" }));
    req.setOptions(new analyzer.AnalyzerResourceOptions());
    const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze, req);
    const diagnostics = res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));
    expect(diagnostics).toEqual([{ policy: "multicloud-imdsv2", level: analyzer.EnforcementLevel.MANDATORY, message: expect.stringMatching(/\n"bastion" \(aws:ec2\/instance:Instance\): metadataOptions\.httpTokens is not set.*Rule: .*Fix: /) }]);
  });

  it("analyzes a stack: an S3 bucket without default encryption, reported on its URN", async () => {
    const req = new analyzer.AnalyzeStackRequest();
    req.setResourcesList([analyzerResource("aws:s3/bucket:Bucket", "scratch", { bucket: "acme-scratch" })]);
    const res = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack, req);
    const diagnostics = res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), urn: d.getUrn(), message: d.getMessage() }));
    expect(diagnostics).toEqual([{ policy: "multicloud-encryption-at-rest", urn: "urn:pulumi:dev::project::aws:s3/bucket:Bucket::scratch", message: expect.stringContaining('"scratch" (aws:s3/bucket:Bucket): declares no default encryption') }]);
  });
});
