/**
 * Azurite (Microsoft's Blob Storage emulator, a devDependency) as a child process on a random
 * loopback port, in memory, for tests that drive @azure/storage-blob against the real Blob REST
 * protocol. `--loose` accepts headers Azurite does not implement; `--skipApiVersionCheck` lets the
 * SDK's newer x-ms-version through. Azurite does not implement blob versions (its README,
 * "Blob Versions" under features not supported), so tests of restoring versions as of a time use
 * the S3 and GCS fakes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { packagePath } from "../../core/util/package-root";

/** Azurite's well-known development account (https://learn.microsoft.com/en-us/azure/storage/common/storage-use-azurite). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** A connection string for the development account (AZURE_STORAGE_CONNECTION_STRING). */
  connectionString: string;
  close(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const main = packagePath("node_modules", "azurite", "dist", "src", "blob", "main.js");
  const args = [main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--extentMemoryLimit", "64", "--loose", "--skipApiVersionCheck", "--disableTelemetry"];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`Azurite did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const m = /successfully listens on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${url}/${AZURITE_ACCOUNT};`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}
