/** Bad CrossCloudBackup args fail at preview, with the field named, before anything is registered. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { CrossCloudBackup, type CrossCloudBackupArgs } from "../../components/backup";
import { planBackupArgs } from "../../core/backup";
import { deploy, settled } from "./helpers/deploy";
import { installEngine } from "./helpers/mock-engine";
import { CLOUDS } from "../../clouds/registry";

const s3 = { provider: "aws" as const, region: "us-east-1", bucket: "acme-orders" };
const good: CrossCloudBackupArgs = { source: s3, sizeGiB: 100, dailyChangeGiB: 1 };

async function rejected(args: unknown): Promise<{ message: string; registered: number; invokes: number }> {
  const engine = await installEngine({ preview: true });
  let message = "";
  try {
    new CrossCloudBackup("bad", args as CrossCloudBackupArgs);
  } catch (err) {
    expect(err).toBeInstanceOf(pulumi.ResourceError);
    expect((err as pulumi.ResourceError).hideStack).toBe(true);
    message = (err as Error).message;
  }
  await settled();
  return { message, registered: engine.resources.length, invokes: engine.invokes.length };
}

describe("bad input", () => {
  it.each([
    ["a same-cloud destination", { ...good, destination: { provider: "aws", region: "us-west-2" } }, /destination\.provider: must be on a different cloud from source\.provider \(aws\)/],
    ["retention below 1 day", { ...good, retentionDays: 0 }, /retentionDays: expected a number >= 1, got 0/],
    ["a missing source", { sizeGiB: 100, dailyChangeGiB: 1 }, /source: is required/],
    ["an unknown source region", { ...good, source: { ...s3, region: "us-east-7" } }, /source\.region: unknown aws region "us-east-7" \(did you mean "us-east-1"\?\)/],
    ["an unknown destination region", { ...good, destination: { provider: "gcp", region: "mars-north1" } }, /destination\.region: unknown gcp region "mars-north1"/],
    ["an Azure source without its fields", { ...good, source: { provider: "azure", region: "eastus" } }, /source\.storageAccount: is required when source\.provider is azure/],
    ["a DataSync agent on a backup from S3, where it means nothing", { ...good, dataSyncAgentArn: "arn:aws:datasync:us-east-1:123456789012:agent/agent-0abc123" }, /dataSyncAgentArn: is only used by a backup from an azure source into aws[^\n]*from aws, so remove it/],
    [
      "a DataSync agent for an Azure source pinned into GCS",
      { ...good, source: { provider: "azure", region: "eastus", storageAccount: "acct", container: "data", resourceGroupName: "rg" }, destination: { provider: "gcp", region: "us-east1" }, dataSyncAgentArn: "arn:aws:datasync:us-east-1:123456789012:agent/agent-0abc123" },
      /dataSyncAgentArn: is only used by a backup from an azure source into aws \(DataSync through an agent\); this backup is from azure into gcp, so remove it/,
    ],
  ])("%s fails with the field named and nothing registered", async (_what, args, message) => {
    const result = await rejected(args);
    expect(result.message).toMatch(/^CrossCloudBackup "bad": invalid backup spec/);
    expect(result.message).toMatch(message);
    expect(result.registered).toBe(0);
    expect(result.invokes).toBe(0);
  });

  it("asks for plain values where an Output is given, since the destination is chosen from them", async () => {
    // (The source's bucket may be an Output: test/components/backup.output-inputs.test.ts; its region may not.)
    const result = await rejected({ ...good, source: { ...s3, region: pulumi.output("us-east-1") as unknown as string } });
    expect(result.message).toMatch(/source\.region: must be a plain value known at preview/);
    expect(result.registered).toBe(0);
  });
});

describe("destination chosen from the shipped prices", () => {
  it("emits on the cloud and in the region the plan chose, and reports the same cost", async () => {
    const { plan } = planBackupArgs("chosen", good, CLOUDS);
    const { engine, outputs } = await deploy("chosen", good);
    expect(plan.destination.pinned).toBe(false);
    expect(outputs.destination.provider).toBe(plan.destination.provider);
    expect(outputs.destination.region).toBe(plan.destination.region);
    expect(outputs.monthlyCostUsd).toBe(plan.destination.monthlyUsd);
    expect(outputs.plan.runnersUp.length).toBeGreaterThan(0);
    expect(engine.types().some((t) => new RegExp(`^${plan.destination.provider}(-native)?:`).test(t))).toBe(true);
  });
});
