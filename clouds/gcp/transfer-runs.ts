/**
 * The last successful run of the Storage Transfer Service job that fills a backup bucket, for
 * `backup verify` without --as-of. Over REST with google-auth-library (no STS client library is
 * installed): transferJobs.list finds the job whose sink is the bucket (the job's name is chosen
 * by the service, `transferJobs/<number>`, so it cannot be derived from the stack), then
 * transferOperations.list with `transferStatuses: ["SUCCESS"]` gives its runs, newest first
 * (https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferJobs/list,
 * https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferOperations/list: "ordered
 * by their creation time in reverse chronological order").
 *
 * The run's startTime is the as-of: a run lists the source after it starts, so an object modified
 * before the start of a successful run was copied; one modified during or after it may not be.
 *
 * Project: GOOGLE_CLOUD_PROJECT or Application Default Credentials' project. Endpoint:
 * MULTICLOUD_ENDPOINT_GCP_STORAGETRANSFER (a private endpoint, or a test's loopback fake; loopback
 * addresses are not authenticated, like MULTICLOUD_ENDPOINT_GCP_STORAGE).
 */
import { GoogleAuth } from "google-auth-library";
import { UserError } from "../../core/util/errors";
import type { StoreLocation } from "../../kit/backup/storage";

interface TransferJob {
  name: string;
  status?: string;
  transferSpec?: { gcsDataSink?: { bucketName?: string; path?: string } };
}
interface TransferOperation {
  name: string;
  metadata?: { status?: string; startTime?: string; endTime?: string; transferJobName?: string };
}

const SCOPE = "https://www.googleapis.com/auth/cloud-platform";

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/** One GET of the STS REST API; a loopback endpoint (an emulator or a test's fake) without credentials. */
async function get<T>(auth: GoogleAuth, endpoint: string, path: string, query: Record<string, string>): Promise<T> {
  const url = `${endpoint}/v1/${path}?${new URLSearchParams(query).toString()}`;
  if (isLoopback(endpoint)) {
    const res = await fetch(url);
    const body = (await res.json()) as T & { error?: { message?: string; status?: string } };
    if (!res.ok) throw new Error(`${res.status} ${body.error?.status ?? ""}: ${body.error?.message ?? ""}`.trim());
    return body;
  }
  const client = await auth.getClient();
  return (await client.request<T>({ url, retry: true })).data;
}

/** Hint for the error: how to find the time by hand. */
const byHand = (job?: string) => `give --as-of TIME, the start of the last successful run: gcloud transfer operations list --job-names=${job ?? "JOB"} --operation-statuses=success`;

export async function lastStorageTransferRun(location: StoreLocation, prefix: string, env: NodeJS.ProcessEnv = process.env): Promise<{ startedAt: Date; run: string }> {
  const endpoint = (env.MULTICLOUD_ENDPOINT_GCP_STORAGETRANSFER || "https://storagetransfer.googleapis.com").replace(/\/$/, "");
  const auth = new GoogleAuth({ scopes: [SCOPE] });
  let project: string;
  try {
    project = env.GOOGLE_CLOUD_PROJECT || (await auth.getProjectId());
  } catch (err) {
    throw new UserError(`--as-of: not given, and the Google Cloud project to look up the transfer job in is unknown (${(err as Error).message.split("\n")[0]}); set GOOGLE_CLOUD_PROJECT, or ${byHand()}`);
  }
  const bucket = location.bucket;
  try {
    const jobs: TransferJob[] = [];
    let pageToken: string | undefined;
    do {
      const page = await get<{ transferJobs?: TransferJob[]; nextPageToken?: string }>(auth, endpoint, "transferJobs", {
        filter: JSON.stringify({ projectId: project, jobStatuses: ["ENABLED", "DISABLED"] }),
        pageSize: "256",
        ...(pageToken ? { pageToken } : {}),
      });
      jobs.push(...(page.transferJobs ?? []).filter((j) => j.transferSpec?.gcsDataSink?.bucketName === bucket));
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
    // Several jobs into one bucket: the one writing this prefix (the emitter sets the sink path to the source prefix).
    const samePath = jobs.filter((j) => (j.transferSpec?.gcsDataSink?.path ?? "") === prefix);
    const candidates = samePath.length > 0 ? samePath : jobs;
    if (candidates.length === 0) throw new UserError(`--as-of: not given, and no Storage Transfer job in project ${project} writes into gs://${bucket}/; ${byHand()}`);
    if (candidates.length > 1) throw new UserError(`--as-of: not given, and ${candidates.length} Storage Transfer jobs write into gs://${bucket}/${prefix} (${candidates.map((j) => j.name).join(", ")}); ${byHand()}`);
    const job = candidates[0]!;
    const ops = await get<{ operations?: TransferOperation[] }>(auth, endpoint, "transferOperations", {
      filter: JSON.stringify({ projectId: project, jobNames: [job.name], transferStatuses: ["SUCCESS"] }),
      pageSize: "16",
    });
    const starts = (ops.operations ?? []).filter((o) => o.metadata?.status === "SUCCESS" && o.metadata.startTime).map((o) => ({ run: o.name, startedAt: new Date(o.metadata!.startTime!) }));
    if (starts.length === 0) throw new UserError(`--as-of: not given, and ${job.name} has no successful run yet: nothing to verify against until one finishes (or ${byHand(job.name)})`);
    return starts.reduce((a, b) => (b.startedAt.getTime() > a.startedAt.getTime() ? b : a));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`--as-of: not given, and reading the Storage Transfer runs of project ${project} failed (${(err as Error).message.split("\n")[0]}); ${byHand()}`);
  }
}
