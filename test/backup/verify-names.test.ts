/**
 * verify and restore find a backup by deriving its names, not by asking the stack: the storage
 * clients' `backupStore` and `url` must give exactly the bucket (or account and container) and
 * the path the backup emitters create. Pinned here against the component itself, under Pulumi's
 * mocks (project "proj", stack "stack"), for each destination cloud.
 */
import { describe, expect, it } from "vitest";
import { physicalNames } from "../../core/backup/naming";
import { CLOUDS } from "../../clouds/registry";
import { deploy } from "./helpers/deploy";

const cases = [
  { source: { provider: "aws" as const, region: "us-east-1", bucket: "acme-orders", prefix: "exports/" }, destination: { provider: "gcp" as const, region: "us-central1" } },
  { source: { provider: "gcp" as const, region: "us-central1", bucket: "acme-media", prefix: "img/" }, destination: { provider: "aws" as const, region: "us-east-1" } },
  { source: { provider: "aws" as const, region: "us-east-1", bucket: "acme-orders", prefix: "exports/" }, destination: { provider: "azure" as const, region: "eastus2" } },
];

describe("the backup's location as verify and restore derive it", () => {
  for (const args of cases) {
    it(`is where the component puts a backup into ${args.destination.provider}`, async () => {
      const name = `names-${args.destination.provider}`;
      const { outputs } = await deploy(name, { ...args, sizeGiB: 100, dailyChangeGiB: 1 });
      const client = await CLOUDS.get(args.destination.provider).loadStorageClient!();
      const store = client.backupStore(physicalNames("proj", "stack", name), args.destination.region);
      expect(outputs.destination.bucket).toBe(store.bucket);
      if (store.account !== undefined) expect(outputs.destination.account).toBe(store.account);
      // Objects keep their source path: the URL of the backup is the store plus the source prefix.
      expect(outputs.destination.url).toBe(client.url(store, args.source.prefix));
      expect(client.parseUrl(outputs.destination.url)).toEqual({ location: { provider: store.provider, bucket: store.bucket, ...(store.account ? { account: store.account } : {}) }, prefix: args.source.prefix });
    });
  }
});
