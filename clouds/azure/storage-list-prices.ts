/**
 * Azure Blob storage facts for backups: tier names, a hand-curated table of Blob (LRS) list
 * prices (no openly licensed table exists), request prices, Data Factory charges, and the
 * Microsoft-network egress rates that correct the openly licensed egress table.
 *
 * Transcribed by hand from https://azure.microsoft.com/pricing/details/storage/blobs/ (block
 * blob, LRS, first 50 TB/month), https://azure.microsoft.com/pricing/details/bandwidth/ and
 * https://azure.microsoft.com/pricing/details/data-factory/data-pipeline/, as of `asOf`. They
 * were entered offline: check them against those pages whenever the snapshot is refreshed.
 */
import type { StorageFacts, StoragePriceBuild, Tier } from "../../core/backup/types";
import { AWS_AZURE_EGRESS_FILE, checkListPrices, readInternetEgressTiers } from "../../core/backup/price-sources";
import { azureRegions } from "./geography";

export const BLOB_PRICES_AS_OF = "2026-07-01";

/** $/GB-month, block blob LRS, first 50 TB tier. */
export const BLOB_LIST_PRICES: Readonly<Record<string, Readonly<Record<Tier, number>>>> = {
  eastus: { hot: 0.018, cool: 0.01, cold: 0.0036, archive: 0.00099 },
  eastus2: { hot: 0.018, cool: 0.01, cold: 0.0036, archive: 0.00099 },
  westus2: { hot: 0.018, cool: 0.01, cold: 0.0036, archive: 0.00099 },
  northeurope: { hot: 0.0184, cool: 0.01, cold: 0.0036, archive: 0.00099 },
  westeurope: { hot: 0.0196, cool: 0.0107, cold: 0.0039, archive: 0.00099 },
  uksouth: { hot: 0.0196, cool: 0.011, cold: 0.004, archive: 0.00099 },
  southeastasia: { hot: 0.022, cool: 0.0121, cold: 0.0044, archive: 0.002 },
  japaneast: { hot: 0.0225, cool: 0.0123, cold: 0.0045, archive: 0.002 },
  australiaeast: { hot: 0.022, cool: 0.0121, cold: 0.0044, archive: 0.002 },
};

/**
 * The egress table's Azure rows are the "routing preference: Internet" rates (eastus
 * 0.08/0.065/0.06/0.04), but a storage account routes over the Microsoft network unless told
 * otherwise, and that is what a backup source is billed. Regions are recognised by their
 * Internet-routing rate for the first tier and given the Microsoft-network rates of the same
 * zone, for the same tier boundaries (10, 50, 150 TB).
 */
export const MICROSOFT_NETWORK_EGRESS: Readonly<Record<string, readonly number[]>> = {
  "0.08": [0.087, 0.083, 0.07, 0.05], // North America, Europe
  "0.11": [0.12, 0.085, 0.082, 0.08], // Asia, Australia, India
  "0.12": [0.181, 0.175, 0.17, 0.16], // South America, Africa, Middle East
};

/**
 * Data Factory copy charges, derived from published rates and stated assumptions: $0.25 per
 * DIU-hour for cloud data movement, 4 DIUs (the minimum auto setting for a binary copy), one
 * billed minute minimum per copy, about 50 MiB/s per copy, $1 per 1,000 activity runs and two
 * activity runs per pipeline run (the sink probe and the copy).
 */
const DIU_HOUR_USD = 0.25;
const DIUS = 4;
const MIB_PER_SECOND = 50;
const perGiB = (DIUS * DIU_HOUR_USD * (1024 / MIB_PER_SECOND)) / 3600;
const perRun = (2 * 1) / 1000 + (DIUS * DIU_HOUR_USD) / 60;
const ADF_FEE = { perGiBUsd: Number(perGiB.toFixed(6)), perRunUsd: Number(perRun.toFixed(6)) };

export const azureStorage: StorageFacts = {
  storeKind: "Blob container",
  transferService: "Azure Data Factory",
  classes: { hot: "Hot", cool: "Cool", cold: "Cold", archive: "Archive" },
  asOf: BLOB_PRICES_AS_OF,
  pricingPages: [
    "https://azure.microsoft.com/pricing/details/storage/blobs/",
    "https://azure.microsoft.com/pricing/details/bandwidth/",
    "https://azure.microsoft.com/pricing/details/data-factory/data-pipeline/",
  ],
  operations: {
    // Write operations (incl. List and tier changes into the tier) and read operations, LRS.
    hot: { writePer10kUsd: 0.055, readPer10kUsd: 0.0044 },
    cool: { writePer10kUsd: 0.1, readPer10kUsd: 0.01 },
    cold: { writePer10kUsd: 0.18, readPer10kUsd: 0.1 },
    archive: { writePer10kUsd: 0.11, readPer10kUsd: 5 },
  },
  routes: {
    aws: { fee: ADF_FEE, how: "Data Factory copy pipeline: S3 read through an AmazonS3 linked service with a read-only IAM access key", requires: [] },
    gcp: { fee: ADF_FEE, how: "Data Factory copy pipeline: GCS read through a GoogleCloudStorage linked service with the HMAC key of a read-only service account", requires: [] },
  },
  sourceRequires: [
    { field: "source.storageAccount", why: "the storage account that holds the container" },
    { field: "source.container", why: "the container to back up" },
    { field: "source.resourceGroupName", why: "the storage account's resource group, through which the read-only SAS is issued" },
  ],
  unsupported: {
    "encryption.kmsKeyId":
      "a customer-managed key for an Azure destination needs a Key Vault access grant for the storage account's identity, which this component does not create: leave encryption.kmsKeyId unset (Microsoft-managed keys) or pin an aws or gcp destination",
    lockRetention:
      "locking a container immutability policy is a separate Azure action the resource model does not expose: set lockRetention: false and lock the policy once in the portal or with `az storage container immutability-policy lock`",
  },
  notes: [
    {
      note: "the Data Factory schedule trigger is created, started, and stopped around every update by the component itself (ARM triggers/start and /stop, with the deployer's Azure credentials)",
    },
    {
      note: "each Data Factory run copies the objects modified since the window end of the last successful run (read from the factory's run history, kept 45 days), minus 60 minutes of overlap for S3 multipart uploads stamped with their start time; with no success in 45 days the run copies everything",
    },
  ],
  buildPrices: (dir) => buildAzureStoragePrices(dir),
};

function buildAzureStoragePrices(sourcesDir: string): StoragePriceBuild {
  const notes: string[] = [];
  const storage = checkListPrices(BLOB_LIST_PRICES, azureRegions, "Blob list prices");
  const egress: StoragePriceBuild["egress"] = {};
  const unrecognised: string[] = [];
  for (const [region, tiers] of readInternetEgressTiers(sourcesDir, "azure", azureRegions, notes)) {
    const rates = MICROSOFT_NETWORK_EGRESS[String(tiers[0]?.[1])];
    if (!rates || rates.length !== tiers.length) {
      unrecognised.push(region);
      continue;
    }
    egress[region] = { worldwide: tiers.map(([start], i) => [start, rates[i]!] as const) };
  }
  if (unrecognised.length > 0) notes.push(`Azure regions dropped because their egress rates match no known zone: ${unrecognised.join(", ")}`);
  notes.push(
    `Blob $/GB-month (LRS) for ${Object.keys(storage).length} regions hand-curated from the Blob pricing page (first 50 TB tier)`,
    "Azure egress: the source table holds the 'routing preference: Internet' rates; each region was recognised by its first-tier rate and given the Microsoft-network (default routing) rates of its zone: 0.087/0.083/0.07/0.05 (North America, Europe), 0.12/0.085/0.082/0.08 (Asia, Australia), 0.181/0.175/0.17/0.16 (South America, Africa, Middle East) $/GB for the tiers from 0, 10, 50 and 150 TB",
    "Azure egress tiers start at 0 GB: the 100 GB/month free allowance is not credited",
    `Data Factory: $${ADF_FEE.perGiBUsd}/GiB and $${ADF_FEE.perRunUsd} per run, from $0.25/DIU-hour x 4 DIUs at about 50 MiB/s, a 1-minute minimum, and $1 per 1,000 activity runs (2 per run)`,
  );
  return {
    storage,
    egress,
    asOf: { storage: BLOB_PRICES_AS_OF, egress: "2024-08" },
    curated: ["Blob (LRS) $/GB-month per region and tier", "Microsoft-network egress rates per zone", "request prices per tier", "Data Factory charges"],
    sources: [
      {
        file: AWS_AZURE_EGRESS_FILE,
        what: "Azure internet egress tier boundaries and zones (rates replaced, see notes)",
        origin: "coroot/cloud-pricing, from the Infracost price dump",
        licence: "Apache-2.0",
        asOf: "2024-08",
      },
    ],
    notes,
  };
}
