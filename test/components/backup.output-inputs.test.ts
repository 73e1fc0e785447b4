/**
 * CrossCloudBackup tag values from other resources (issue 15), under Pulumi's mocks: a value may be
 * an Output, known (an update) or unknown (a preview), and secret. Every tagged child on both clouds
 * carries it, still secret; the CloudFormation template of an agentless Azure source (whose tags
 * are in its body) follows the value; the plan and the children are the same as with a plain value;
 * the component's recorded inputs (the normalised spec) hold "(output)", never the value. The keys
 * stay plain: a whole `tags` map given as an Output is an error naming `tags`.
 *
 * The source's names (an S3 or GCS bucket, an Azure storage account and container) may come from
 * the resources that create them: the read grant, the SAS and the transfer take the Output (secret
 * still secret, unknown in a preview); the plan, decided from provider and region, is the same.
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import * as ssm from "@pulumi/aws/ssm";
import { CrossCloudBackup, type CrossCloudBackupArgs } from "../../components/backup";
import { childNames, deploy, FUTURE_DATE, settled } from "../backup/helpers/deploy";
import { installEngine, isSecretAt, inputAt, unwrap, type MockEngine } from "../backup/helpers/mock-engine";

const GCS_TO_S3 = {
  source: { provider: "gcp" as const, region: "us-central1", bucket: "acme-logs" },
  destination: { provider: "aws" as const, region: "us-east-2" },
  sizeGiB: 1000,
  dailyChangeGiB: 10,
  compliance: { requiredTags: ["owner"] },
};
const S3_TO_GCS = {
  source: { provider: "aws" as const, region: "us-east-1", bucket: "acme-orders" },
  destination: { provider: "gcp" as const, region: "us-east1" },
  sizeGiB: 200,
  dailyChangeGiB: 2,
};
const BLOB_TO_S3 = {
  source: { provider: "azure" as const, region: "eastus", storageAccount: "acmedata", container: "exports", resourceGroupName: "rg", sasExpiresOn: FUTURE_DATE },
  destination: { provider: "aws" as const, region: "us-east-1" },
  sizeGiB: 512,
  dailyChangeGiB: 5,
};

/** Children whose `tags` (or GCP `labels`) carry the user's `team` tag: every tagged child. */
function tagged(engine: MockEngine, component: string): { name: string; property: "tags" | "labels" }[] {
  return engine.resources
    .filter((r) => r.name !== component)
    .flatMap((r) => (["tags", "labels"] as const).filter((p) => inputAt(r, p, "team") === "data").map((property) => ({ name: r.name, property })))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

describe("a CrossCloudBackup tag value from another resource", () => {
  it.each([
    ["GCS -> S3", GCS_TO_S3, "aws"],
    ["S3 -> GCS", S3_TO_GCS, "gcp"],
  ] as const)("%s: reaches every tagged child, still secret, with the same plan and children as a plain value", async (_title, args, destination) => {
    const plainRun = await deploy("logs", { ...args, tags: { team: "data", owner: "data-team" } });
    const plainTagged = tagged(plainRun.engine, "logs");
    const { engine, outputs } = await deploy("logs", { ...args, tags: { team: "data", owner: pulumi.secret("data-team") } });
    // The destination's resources are tagged (labels on GCP).
    expect(plainTagged.some(({ name }) => plainRun.engine.byName(name).type.startsWith(`${destination}:`))).toBe(true);

    expect(childNames(engine, "logs")).toEqual(childNames(plainRun.engine, "logs"));
    // The same decision; the spec hash differs, for the spec holds "(output)" (the same in every run).
    expect({ ...outputs.plan, specHash: "" }).toEqual({ ...plainRun.outputs.plan, specHash: "" });
    const children = tagged(engine, "logs");
    expect(children).toEqual(plainTagged);
    expect(children.length).toBeGreaterThan(1);
    for (const { name, property } of children) {
      const child = engine.byName(name);
      expect(inputAt(child, property, "owner"), name).toBe("data-team");
      expect(isSecretAt(child.inputs, property, "owner"), name).toBe(true);
      expect(isSecretAt(plainRun.engine.byName(name).inputs, property, "owner"), name).toBe(false);
    }
    // The component's recorded inputs are the spec the core saw: the key, not the value.
    const component = engine.resources.find((r) => r.name === "logs")!;
    expect(unwrap(component.inputs.tags)).toEqual({ team: "data", owner: "(output)" });
  });

  it("puts the value in the CloudFormation template of an agentless Azure source, which turns secret with it", async () => {
    const { engine } = await deploy("orders", { ...BLOB_TO_S3, tags: { team: "data", owner: pulumi.secret("data-team") } });
    const stack = engine.byName("orders-source-location");
    expect(isSecretAt(stack.inputs, "templateBody")).toBe(true);
    const body = JSON.parse(unwrap(inputAt(stack, "templateBody")));
    expect(body.Resources.Location.Properties.Tags).toContainEqual({ Key: "owner", Value: "data-team" });
  });

  it("is unknown in a preview, which registers the same children", async () => {
    const preview = async () => {
      const engine = await installEngine({ preview: true });
      // Its ARN is computed on create: unknown in a preview.
      const owner = new ssm.Parameter("owner", { type: "String", value: "data-team" }).arn;
      const backup = new CrossCloudBackup("logs", { ...GCS_TO_S3, tags: { team: "data", owner } });
      await backup.ready();
      await settled();
      return engine;
    };
    const engine = await preview();
    const plainRun = await deploy("logs", { ...GCS_TO_S3, tags: { team: "data", owner: "data-team" } });
    expect(childNames(engine, "logs").filter((n) => n !== "owner")).toEqual(childNames(plainRun.engine, "logs"));
    const children = tagged(engine, "logs");
    expect(children.length).toBeGreaterThan(3);
    for (const { name, property } of children) expect(pulumi.isUnknown(inputAt(engine.byName(name), property, "owner")), name).toBe(true);
  });

  it("keeps the keys plain: a whole tags map given as an Output fails naming tags, with nothing registered", async () => {
    const engine = await installEngine({ preview: true });
    const tags = pulumi.output({ owner: "data-team" }) as unknown as CrossCloudBackupArgs["tags"];
    expect(() => new CrossCloudBackup("logs", { ...GCS_TO_S3, tags })).toThrow(/tags: must be a plain value known at preview/);
    await settled();
    expect(engine.resources).toEqual([]);
  });

  it.each([
    [5, "expected a string, got 5"],
    [{ a: "x" }, "expected a string (or an Output of one)"],
  ])("refuses a tag value %j that is neither a string nor an Output of one, naming it", async (value, message) => {
    await installEngine({ preview: true });
    expect(() => new CrossCloudBackup("logs", { ...GCS_TO_S3, tags: { owner: value as never } })).toThrow(`tags.owner: ${message}`);
  });

  it("still checks a plain value against the GCP label rules", async () => {
    await installEngine({ preview: true });
    expect(() => new CrossCloudBackup("logs", { ...GCS_TO_S3, tags: { owner: "Data Team" } })).toThrow(/tags\.owner: expected a tag value of at most 63 lower-case letters/);
  });
});

describe("a CrossCloudBackup source named by another resource", () => {
  it("grants read on that bucket and transfers from it, secret still secret, with the same plan and children as a plain name", async () => {
    const plainRun = await deploy("orders", S3_TO_GCS);
    const { engine, outputs } = await deploy("orders", { ...S3_TO_GCS, source: { ...S3_TO_GCS.source, bucket: pulumi.secret(pulumi.output("acme-orders")) } });
    expect(childNames(engine, "orders")).toEqual(childNames(plainRun.engine, "orders"));
    expect({ ...outputs.plan, specHash: "" }).toEqual({ ...plainRun.outputs.plan, specHash: "" });

    const read = engine.byName("orders-source-read");
    expect(isSecretAt(read.inputs, "policy")).toBe(true);
    expect(JSON.parse(unwrap(read.inputs.policy))).toEqual(JSON.parse(plainRun.engine.byName("orders-source-read").inputs.policy));
    const job = engine.byName("orders-transfer");
    expect(inputAt(job, "transferSpec", "awsS3DataSource", "bucketName")).toBe("acme-orders");
    expect(isSecretAt(job.inputs, "transferSpec", "awsS3DataSource", "bucketName")).toBe(true);
    // The component's recorded inputs: the name's presence, not the name.
    expect(unwrap(engine.resources.find((r) => r.name === "orders")!.inputs.source).bucket).toBe("(output)");
  });

  it("is unknown in a preview, which registers the same children", async () => {
    const engine = await installEngine({ preview: true });
    const bucket = new ssm.Parameter("bucket-name", { type: "String", value: "acme-orders" }).arn;
    const backup = new CrossCloudBackup("orders", { ...S3_TO_GCS, source: { ...S3_TO_GCS.source, bucket } });
    await backup.ready();
    await settled();
    const plainRun = await deploy("orders", S3_TO_GCS);
    expect(childNames(engine, "orders").filter((n) => n !== "bucket-name")).toEqual(childNames(plainRun.engine, "orders"));
    expect(pulumi.isUnknown(inputAt(engine.byName("orders-transfer"), "transferSpec", "awsS3DataSource", "bucketName"))).toBe(true);
  });

  it("signs the SAS for an Azure storage account and container another resource creates, and points the transfer at them", async () => {
    const { engine } = await deploy("orders", { ...BLOB_TO_S3, source: { ...BLOB_TO_S3.source, storageAccount: pulumi.output("acmedata"), container: pulumi.output("exports") } });
    const sas = engine.invokes.find((i) => i.token === "azure-native:storage:listStorageAccountServiceSAS");
    expect(sas?.inputs).toMatchObject({ accountName: "acmedata", resourceGroupName: "rg", canonicalizedResource: "/blob/acmedata/exports" });
    const body = JSON.parse(unwrap(inputAt(engine.byName("orders-source-location"), "templateBody")));
    expect(body.Resources.Location.Properties.AzureBlobContainerUrl).toBe("https://acmedata.blob.core.windows.net/exports");
  });

  it("still requires the name, and checks a plain one", async () => {
    await installEngine({ preview: true });
    const { bucket: _bucket, ...noBucket } = S3_TO_GCS.source;
    expect(() => new CrossCloudBackup("orders", { ...S3_TO_GCS, source: noBucket })).toThrow(/source\.bucket: is required when source\.provider is aws/);
    expect(() => new CrossCloudBackup("orders", { ...BLOB_TO_S3, source: { ...BLOB_TO_S3.source, storageAccount: "Acme_Data" } })).toThrow(/source\.storageAccount: expected a storage account name/);
  });
});
