/**
 * Blob Storage behind kit/backup/storage.ts, through @azure/storage-blob.
 *
 * Credentials and endpoint, first that applies:
 *   1. AZURE_STORAGE_CONNECTION_STRING, when its AccountName is the account in question (an
 *      account key or SAS; Azurite's development connection string works as is);
 *   2. Microsoft Entra ID through DefaultAzureCredential, at MULTICLOUD_ENDPOINT_AZURE_BLOB with
 *      `{account}` replaced (a private endpoint), else https://{account}.blob.core.windows.net.
 * The backup account the emitter creates refuses shared keys (`allowSharedKeyAccess: false`), so
 * a restore from it signs in with Entra ID (role Storage Blob Data Reader on the account).
 *
 * Checksums: Content-MD5 is stored for a blob uploaded in one Put Blob, or when the writer set it;
 * a blob committed from blocks without it has none
 * (https://learn.microsoft.com/en-us/rest/api/storageservices/put-block-list, x-ms-blob-content-md5).
 * Versions: `includeVersions` lists every version with its `versionId` and `isCurrentVersion`
 * (https://learn.microsoft.com/en-us/azure/storage/blobs/versioning-overview); a deleted blob's
 * versions remain but its deletion time is not listed, so as of a time after a deletion the last
 * version is still chosen.
 */
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { PhysicalNames } from "../../core/backup/naming";
import { UserError } from "../../core/util/errors";
import { lastDataFactoryRun } from "./transfer-runs";
import type { ListOptions, ListedObject, ParsedStore, StorageClient, StoreLocation, WriteMeta } from "../../kit/backup/storage";

/** The container of a backup into Azure (clouds/azure/backup-emitter.ts `CONTAINER`). */
const BACKUP_CONTAINER = "backup";
const services = new Map<string, BlobServiceClient>();

function connectionAccount(connection: string): string | undefined {
  return /(?:^|;)AccountName=([^;]+)/i.exec(connection)?.[1];
}

async function service(account: string, env: NodeJS.ProcessEnv = process.env): Promise<BlobServiceClient> {
  const connection = env.AZURE_STORAGE_CONNECTION_STRING;
  const memoKey = `${account}|${connection ?? ""}|${env.MULTICLOUD_ENDPOINT_AZURE_BLOB ?? ""}`;
  let client = services.get(memoKey);
  if (!client) {
    if (connection && connectionAccount(connection) === account) {
      client = BlobServiceClient.fromConnectionString(connection, { retryOptions: { maxTries: 4, retryDelayInMs: 200 } });
    } else {
      const { DefaultAzureCredential } = await import("@azure/identity");
      const template = env.MULTICLOUD_ENDPOINT_AZURE_BLOB || "https://{account}.blob.core.windows.net";
      client = new BlobServiceClient(template.replace("{account}", account), new DefaultAzureCredential(), { retryOptions: { maxTries: 4 } });
    }
    services.set(memoKey, client);
  }
  return client;
}

async function container(location: StoreLocation): Promise<ContainerClient> {
  if (!location.account) throw new UserError(`a Blob container needs its storage account: give it as ACCOUNT/${location.bucket}`);
  return (await service(location.account)).getContainerClient(location.bucket);
}

async function* list(location: StoreLocation, prefix: string, options: ListOptions = {}): AsyncIterable<ListedObject> {
  const client = await container(location);
  const pages = client.listBlobsFlat({ prefix: prefix || undefined, includeVersions: options.versions ?? false }).byPage(options.pageSize ? { maxPageSize: options.pageSize } : {});
  for await (const page of pages) {
    for (const blob of page.segment.blobItems) {
      const md5 = blob.properties.contentMD5 ? Buffer.from(blob.properties.contentMD5).toString("hex") : undefined;
      yield {
        key: blob.name,
        size: blob.properties.contentLength ?? 0,
        ...(md5 ? { md5 } : { noMd5: "blob without Content-MD5" }),
        lastModified: blob.properties.lastModified,
        versionId: blob.versionId,
        // Without includeVersions every listed blob is current.
        isLatest: options.versions ? blob.isCurrentVersion === true : true,
      };
    }
  }
}

async function read(location: StoreLocation, key: string, versionId?: string): Promise<Readable> {
  const blob = (await container(location)).getBlobClient(key);
  const response = await (versionId ? blob.withVersion(versionId) : blob).download();
  return response.readableStreamBody as Readable;
}

async function write(location: StoreLocation, key: string, body: Buffer | Readable, meta: WriteMeta): Promise<void> {
  const blob = (await container(location)).getBlockBlobClient(key);
  if (Buffer.isBuffer(body)) {
    // One Put Blob: stored whole or not at all, with its Content-MD5 for later verifies.
    const md5 = new Uint8Array(createHash("md5").update(body).digest());
    await blob.upload(body, body.length, { blobHTTPHeaders: { blobContentMD5: md5 } });
    return;
  }
  // Blocks, then one Put Block List: the blob exists only once the list is committed.
  const blobContentMD5 = meta.md5 ? new Uint8Array(Buffer.from(meta.md5, "hex")) : undefined;
  await blob.uploadStream(body, 8 * 2 ** 20, 4, { blobHTTPHeaders: { blobContentMD5 } });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const blobUrl = (location: StoreLocation, prefix: string) => `https://${location.account}.blob.core.windows.net/${location.bucket}/${prefix}`;

export const azureStorageClient: StorageClient = {
  provider: "azure",
  // The backup emitter's account and container (clouds/azure/backup-emitter.ts: `names.compact(24)`, "backup").
  backupStore: (names: PhysicalNames, region: string) => ({ provider: "azure", region, account: names.compact(24), bucket: BACKUP_CONTAINER }),
  lastTransferRun: (_location, _prefix, names) => lastDataFactoryRun(names),
  url: blobUrl,
  parseUrl(text): ParsedStore | undefined {
    const m = /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
    return m ? { location: { provider: "azure", account: m[1]!, bucket: m[2]! }, prefix: m[3] ?? "" } : undefined;
  },
  parseName(text, like) {
    const url = this.parseUrl(text);
    if (url) return { ...url.location, region: like.region };
    const m = /^(?:([a-z0-9]{3,24})\/)?([a-z0-9][a-z0-9-]{1,61}[a-z0-9])$/.exec(text);
    if (!m) throw new UserError(`--to: expected a Blob container (CONTAINER, in the source's storage account, or ACCOUNT/CONTAINER), got ${JSON.stringify(text)}`);
    return { provider: "azure", region: like.region, account: m[1] ?? like.account, bucket: m[2]! };
  },
  list,
  read,
  write,
  downloadCommand: (location, prefix, dir) => `azcopy copy ${quote(`${blobUrl(location, prefix)}*`)} ${quote(dir)} --recursive`,
  uploadCommand: (dir, location, prefix) => `azcopy copy ${quote(`${dir}/*`)} ${quote(blobUrl(location, prefix))} --recursive`,
};
