/**
 * S3 storage facts for backups: class names per tier, a hand-curated table of S3 list prices
 * (no openly licensed S3 price table exists), request prices, and what AWS DataSync can read.
 *
 * The figures were transcribed by hand from https://aws.amazon.com/s3/pricing/ (storage: first
 * 50 TB/month tier; requests: per 1,000 converted to per 10,000) and
 * https://aws.amazon.com/datasync/pricing/, as of `asOf`. They were entered offline: check them
 * against those pages whenever the snapshot is refreshed (`npx tsx scripts/build-storage-prices.ts` rebuilds
 * data/snapshot/storage.json from this file). Internet egress comes from the openly licensed
 * egress table (see `buildPrices`).
 */
import type { StorageFacts, StoragePriceBuild, Tier } from "../../core/backup/types";
import { AWS_AZURE_EGRESS_FILE, checkListPrices, readInternetEgressTiers } from "../../core/backup/price-sources";
import { awsRegions } from "./geography";

export const S3_PRICES_AS_OF = "2026-07-01";

/** S3 classes with published per-GB-month list prices, in the column order of the table below. */
export const S3_CLASSES = ["STANDARD", "STANDARD_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;

/** $/GB-month, first 50 TB tier: [STANDARD, STANDARD_IA, GLACIER_IR (Instant), GLACIER (Flexible), DEEP_ARCHIVE]. */
export const S3_LIST_PRICES: Readonly<Record<string, readonly [number, number, number, number, number]>> = {
  "us-east-1": [0.023, 0.0125, 0.004, 0.0036, 0.00099],
  "us-east-2": [0.023, 0.0125, 0.004, 0.0036, 0.00099],
  "us-west-2": [0.023, 0.0125, 0.004, 0.0036, 0.00099],
  "ca-central-1": [0.025, 0.0138, 0.0045, 0.004, 0.0018],
  "eu-west-1": [0.023, 0.0125, 0.004, 0.0036, 0.00099],
  "eu-west-2": [0.024, 0.0131, 0.005, 0.0042, 0.0018],
  "eu-central-1": [0.0245, 0.0135, 0.005, 0.0045, 0.0018],
  "ap-southeast-1": [0.025, 0.0138, 0.005, 0.005, 0.002],
  "ap-southeast-2": [0.025, 0.0138, 0.005, 0.005, 0.002],
  "ap-northeast-1": [0.025, 0.0138, 0.005, 0.0045, 0.002],
};

/**
 * The class each lifecycle tier uses. Glacier Flexible is listed above for reference only: the cold
 * tier uses Glacier Instant Retrieval so that data younger than the archive age reads without a restore.
 */
const CLASS_OF_TIER: Readonly<Record<Tier, (typeof S3_CLASSES)[number]>> = {
  hot: "STANDARD",
  cool: "STANDARD_IA",
  cold: "GLACIER_IR",
  archive: "DEEP_ARCHIVE",
};

function tierPrices(): Record<string, Record<Tier, number>> {
  const out: Record<string, Record<Tier, number>> = {};
  for (const [region, row] of Object.entries(S3_LIST_PRICES)) {
    const byClass = (cls: (typeof S3_CLASSES)[number]) => row[S3_CLASSES.indexOf(cls)]!;
    out[region] = { hot: byClass(CLASS_OF_TIER.hot), cool: byClass(CLASS_OF_TIER.cool), cold: byClass(CLASS_OF_TIER.cold), archive: byClass(CLASS_OF_TIER.archive) };
  }
  return out;
}

export const awsStorage: StorageFacts = {
  storeKind: "S3 bucket",
  transferService: "AWS DataSync",
  classes: CLASS_OF_TIER,
  asOf: S3_PRICES_AS_OF,
  pricingPages: ["https://aws.amazon.com/s3/pricing/", "https://aws.amazon.com/datasync/pricing/"],
  operations: {
    // PUT/COPY/POST/LIST and lifecycle transitions into the class; GET.
    hot: { writePer10kUsd: 0.05, readPer10kUsd: 0.004 },
    cool: { writePer10kUsd: 0.1, readPer10kUsd: 0.01 },
    cold: { writePer10kUsd: 0.2, readPer10kUsd: 0.1 },
    archive: { writePer10kUsd: 0.5, readPer10kUsd: 0.004 },
  },
  routes: {
    gcp: {
      // Agentless cross-cloud transfers run in Enhanced mode, priced per GB copied.
      fee: { perGiBUsd: 0.015, perRunUsd: 0 },
      how: "DataSync Enhanced mode, agentless: the GCS bucket is an object storage location (storage.googleapis.com) read with an HMAC key",
      requires: [],
    },
    azure: {
      // Agentless (the default) runs in Enhanced mode, priced like the GCS route; with
      // dataSyncAgentArn the task runs in Basic mode through the agent ($0.0125/GB, not modelled).
      fee: { perGiBUsd: 0.015, perRunUsd: 0 },
      how: "DataSync Enhanced mode, agentless: the container is an Azure Blob location (created through CloudFormation) read with a read/list SAS renewed every rotation period; with dataSyncAgentArn, Basic mode through that agent",
      requires: [],
    },
  },
  sourceRequires: [{ field: "source.bucket", why: "the S3 bucket to back up" }],
  unsupported: {},
  notes: [],
  buildPrices: (dir) => buildAwsStoragePrices(dir),
};

function buildAwsStoragePrices(sourcesDir: string): StoragePriceBuild {
  const notes: string[] = [];
  const storage = checkListPrices(tierPrices(), awsRegions, "S3 list prices");
  const egress: StoragePriceBuild["egress"] = {};
  for (const [region, tiers] of readInternetEgressTiers(sourcesDir, "aws", awsRegions, notes)) egress[region] = { worldwide: tiers };
  notes.push(
    `S3 $/GB-month for ${Object.keys(storage).length} regions hand-curated from the S3 pricing page (first 50 TB tier); tiers use STANDARD, STANDARD_IA, GLACIER_IR, DEEP_ARCHIVE`,
    "internet egress tiers start at 0 GB: the 100 GB/month account-wide free allowance is not credited",
  );
  return {
    storage,
    egress,
    asOf: { storage: S3_PRICES_AS_OF, egress: "2024-08" },
    curated: ["S3 $/GB-month per region and class", "request prices per tier", "DataSync fees"],
    sources: [
      { file: AWS_AZURE_EGRESS_FILE, what: "AWS internet egress tiers per region", origin: "coroot/cloud-pricing, from the Infracost price dump", licence: "Apache-2.0", asOf: "2024-08" },
    ],
    notes,
  };
}
