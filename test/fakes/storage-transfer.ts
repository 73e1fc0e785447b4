/**
 * Loopback fake of the Storage Transfer Service REST API, the two reads `backup verify` makes
 * without --as-of: transferJobs.list and transferOperations.list. Both take a required JSON
 * `filter` with `projectId` (400 INVALID_ARGUMENT without it); jobs are filtered by `jobStatuses`
 * (case-insensitive), operations by `jobNames` and `transferStatuses` and returned newest first by
 * creation time; pages of at most `pageSize` (transferJobs: max 256) with `nextPageToken`.
 * Errors are Google's JSON `{"error": {"code", "message", "status"}}`.
 *
 * Protocol references: https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferJobs/list,
 * https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferOperations/list,
 * https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferOperations#TransferOperation.
 */
import { pageOf, pageToken, startFake, type FakeResponse, type FakeServer } from "./http";

export interface FakeJob {
  name: string;
  projectId: string;
  status: "ENABLED" | "DISABLED" | "DELETED";
  sinkBucket: string;
  sinkPath?: string;
}

export interface FakeRun {
  job: string;
  status: "SUCCESS" | "FAILED" | "IN_PROGRESS" | "ABORTED";
  startTime: string;
  endTime?: string;
}

export interface FakeStorageTransfer extends FakeServer {
  jobs: FakeJob[];
  runs: FakeRun[];
}

const error = (code: number, status: string, message: string): FakeResponse => ({ status: code, body: JSON.stringify({ error: { code, message, status } }) });
const ok = (value: unknown): FakeResponse => ({ status: 200, body: JSON.stringify(value) });

export async function startFakeStorageTransfer(): Promise<FakeStorageTransfer> {
  const state = { jobs: [] as FakeJob[], runs: [] as FakeRun[] };
  const server = await startFake({
    renderFault: (fault) => (fault === "throttle" ? error(429, "RESOURCE_EXHAUSTED", "Quota exceeded") : fault === "server" ? error(503, "UNAVAILABLE", "The service is currently unavailable.") : { status: 200, body: "{not json" }),
    handle: (req) => {
      if (req.method !== "GET") return error(405, "UNIMPLEMENTED", `${req.method} is not supported`);
      let filter: { projectId?: string; jobStatuses?: string[]; jobNames?: string[]; transferStatuses?: string[] };
      try {
        filter = JSON.parse(req.url.searchParams.get("filter") ?? "");
      } catch {
        return error(400, "INVALID_ARGUMENT", "Invalid filter: expected JSON text");
      }
      if (!filter.projectId) return error(400, "INVALID_ARGUMENT", "Invalid filter: projectId is required");
      const start = pageToken.decode(req.url.searchParams.get("pageToken"));
      const size = Math.min(256, Number(req.url.searchParams.get("pageSize") ?? 256));
      if (req.url.pathname === "/v1/transferJobs") {
        const statuses = filter.jobStatuses?.map((s) => s.toUpperCase());
        const jobs = state.jobs.filter((j) => j.projectId === filter.projectId && (!statuses || statuses.includes(j.status)) && (!filter.jobNames || filter.jobNames.includes(j.name)));
        const { page, next } = pageOf(jobs, start, size);
        return ok({
          transferJobs: page.map((j) => ({ name: j.name, projectId: j.projectId, status: j.status, transferSpec: { gcsDataSink: { bucketName: j.sinkBucket, ...(j.sinkPath ? { path: j.sinkPath } : {}) } } })),
          ...(next !== undefined ? { nextPageToken: pageToken.encode(next) } : {}),
        });
      }
      if (req.url.pathname === "/v1/transferOperations") {
        const projectJobs = new Set(state.jobs.filter((j) => j.projectId === filter.projectId).map((j) => j.name));
        const runs = state.runs
          .map((r, i) => ({ r, i }))
          .filter(({ r }) => projectJobs.has(r.job) && (!filter.jobNames || filter.jobNames.includes(r.job)) && (!filter.transferStatuses || filter.transferStatuses.map((s) => s.toUpperCase()).includes(r.status)))
          .sort((a, b) => b.r.startTime.localeCompare(a.r.startTime));
        const { page, next } = pageOf(runs, start, size);
        return ok({
          operations: page.map(({ r, i }) => ({
            name: `transferOperations/transferJobs-${r.job.replace(/^transferJobs\//, "")}-${i}`,
            metadata: { "@type": "type.googleapis.com/google.storagetransfer.v1.TransferOperation", projectId: filter.projectId, transferJobName: r.job, status: r.status, startTime: r.startTime, ...(r.endTime ? { endTime: r.endTime } : {}) },
            done: r.status !== "IN_PROGRESS",
          })),
          ...(next !== undefined ? { nextPageToken: pageToken.encode(next) } : {}),
        });
      }
      return error(404, "NOT_FOUND", `no such method: ${req.url.pathname}`);
    },
  });
  return Object.assign(server, state);
}
