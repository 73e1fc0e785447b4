/**
 * The storage side of the live backup tests (verify-live, restore-live): loopback fakes of S3 and
 * the GCS JSON API, paged three and two entries at a time so every listing pages, and Azurite for
 * Blob, with the environment that points the real SDK clients at them. `stop()` puts the
 * environment back and closes the servers.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startFakeGcs, type FakeGcs } from "../../fakes/gcs";
import { startFakeS3, type FakeS3 } from "../../fakes/s3";
import { startAzurite, type Azurite } from "../../fakes/azurite";
import { restoreEnv } from "../../helpers/env";

export interface LiveStores {
  /** A fresh temporary folder for spec files and stack configs. */
  dir: string;
  s3: FakeS3;
  gcs: FakeGcs;
  azurite: Azurite;
  /** Writes a backup spec file `name.yaml` (sizes added) and returns its path. */
  spec(name: string, body: string): string;
  stop(): Promise<void>;
}

export async function startLiveStores(folderPrefix: string): Promise<LiveStores> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  const [s3, gcs, azurite] = await Promise.all([startFakeS3({ maxPageSize: 3 }), startFakeGcs({ maxPageSize: 2 }), startAzurite()]);
  const savedEnv = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ACCESS_KEY_ID: "AKIDLOOPBACKTEST",
    AWS_SECRET_ACCESS_KEY: "loopback-secret",
    MULTICLOUD_ENDPOINT_GCP_STORAGE: gcs.url,
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    MULTICLOUD_BACKUP_PAGE_SIZE: "2",
  });
  return {
    dir,
    s3,
    gcs,
    azurite,
    spec(name, body) {
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(file, `name: ${name}\n${body}sizeGiB: 10\ndailyChangeGiB: 1\n`);
      return file;
    },
    async stop() {
      restoreEnv(savedEnv);
      await Promise.all([s3.close(), gcs.close(), azurite.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
