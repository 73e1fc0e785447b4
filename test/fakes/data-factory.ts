/**
 * Loopback fake of ARM's Pipeline Runs - Query By Factory, the one Data Factory call `backup verify`
 * makes without --as-of: POST .../factories/{factory}/queryPipelineRuns?api-version=2018-06-01 with
 * a body holding the required `lastUpdatedAfter` and `lastUpdatedBefore` (400 without them or
 * out of order; the window is not applied, since the client takes it from the wall clock),
 * `filters` (operand PipelineName or Status, operator Equals or In) and `orderBy` (RunStart
 * DESC or ASC). Unknown factories are ARM's 404 ResourceNotFound; errors are ARM's
 * `{"error": {"code", "message"}}`.
 *
 * Protocol reference: https://learn.microsoft.com/en-us/rest/api/datafactory/pipeline-runs/query-by-factory
 * (RunQueryFilter, RunQueryOrderBy, PipelineRun: runId, pipelineName, parameters, runStart, runEnd, status).
 */
import { startFake, type FakeResponse, type FakeServer } from "./http";

export interface FakePipelineRun {
  runId: string;
  pipelineName: string;
  status: "Succeeded" | "Failed" | "InProgress" | "Cancelled";
  runStart: string;
  runEnd?: string;
  parameters?: Record<string, string>;
}

export interface FakeDataFactory extends FakeServer {
  /** Runs per "subscription/resourceGroup/factory". */
  factories: Map<string, FakePipelineRun[]>;
}

const armError = (status: number, code: string, message: string): FakeResponse => ({ status, body: JSON.stringify({ error: { code, message } }) });

export async function startFakeDataFactory(): Promise<FakeDataFactory> {
  const factories = new Map<string, FakePipelineRun[]>();
  const server = await startFake({
    renderFault: (fault) => (fault === "throttle" ? armError(429, "TooManyRequests", "Too many requests") : fault === "server" ? armError(500, "InternalServerError", "Internal server error") : { status: 200, body: "{not json" }),
    handle: (req) => {
      const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataFactory\/factories\/([^/]+)\/queryPipelineRuns$/.exec(req.url.pathname);
      if (!m || req.method !== "POST") return armError(404, "NotFound", `no route ${req.method} ${req.url.pathname}`);
      if (req.url.searchParams.get("api-version") !== "2018-06-01") return armError(400, "InvalidApiVersionParameter", `The api-version '${req.url.searchParams.get("api-version")}' is invalid.`);
      const [sub, group, factory] = m.slice(1).map(decodeURIComponent) as [string, string, string];
      const runs = factories.get(`${sub}/${group}/${factory}`);
      if (!runs) return armError(404, "ResourceNotFound", `The Resource 'Microsoft.DataFactory/factories/${factory}' under resource group '${group}' was not found.`);
      const body = JSON.parse(req.body || "{}") as { lastUpdatedAfter?: string; lastUpdatedBefore?: string; filters?: Array<{ operand: string; operator: string; values: string[] }>; orderBy?: Array<{ orderBy: string; order: string }> };
      if (!body.lastUpdatedAfter || !body.lastUpdatedBefore) return armError(400, "BadRequest", "lastUpdatedAfter and lastUpdatedBefore are required.");
      // The window is checked for shape, not applied: the client sets it from the wall clock, and
      // the tests' runs are fixed dates.
      if (!(Date.parse(body.lastUpdatedAfter) < Date.parse(body.lastUpdatedBefore))) return armError(400, "BadRequest", "lastUpdatedAfter must be before lastUpdatedBefore.");
      let out = [...runs];
      for (const f of body.filters ?? []) {
        const field = f.operand === "PipelineName" ? "pipelineName" : f.operand === "Status" ? "status" : undefined;
        if (!field || !["Equals", "In"].includes(f.operator)) return armError(400, "BadRequest", `unsupported filter ${f.operand} ${f.operator}`);
        out = out.filter((r) => f.values.includes(r[field]));
      }
      const order = body.orderBy?.[0];
      if (order?.orderBy === "RunStart") out = [...out].sort((a, b) => (order.order === "DESC" ? b.runStart.localeCompare(a.runStart) : a.runStart.localeCompare(b.runStart)));
      return { status: 200, body: JSON.stringify({ value: out }) };
    },
  });
  return Object.assign(server, { factories });
}
