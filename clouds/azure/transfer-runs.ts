/**
 * The last successful run of the Data Factory pipeline that fills a Blob backup, for `backup
 * verify` without --as-of: Pipeline Runs - Query By Factory over ARM REST
 * (https://learn.microsoft.com/en-us/rest/api/datafactory/pipeline-runs/query-by-factory), signed
 * in with DefaultAzureCredential (@azure/identity), the same query the pipeline's own watermark
 * makes (clouds/azure/backup-emitter.ts, watermarkQueryBody).
 *
 * The factory and its resource group are named from the project, stack and backup name, as the
 * emitter names them (`names.dns(63, "adf")`, `names.dns(90, "rg")`, pipeline `backup-copy`), so
 * they are found only with --stack-config; a --destination URL names the storage account alone.
 *
 * The as-of is the run's copy window end: its `windowEnd` parameter (the trigger's scheduled
 * time) when set, else its start (a run started by hand, whose window ends at its TriggerTime).
 * Objects modified before it were copied by that run or an earlier one.
 *
 * Subscription: AZURE_SUBSCRIPTION_ID. Endpoint: MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT (default
 * https://management.azure.com; a loopback address, a test's fake, is not authenticated).
 */
import { proxiedFetch } from "../../core/prices/proxy";
import { DefaultAzureCredential } from "@azure/identity";
import type { PhysicalNames } from "../../core/backup/naming";
import { UserError } from "../../core/util/errors";

/** The emitter's pipeline name (clouds/azure/backup-emitter.ts `PIPELINE_NAME`). */
const PIPELINE_NAME = "backup-copy";
/** Days Data Factory keeps pipeline runs (clouds/azure/backup-emitter.ts `RUN_HISTORY_DAYS`). */
const RUN_HISTORY_DAYS = 45;
const API_VERSION = "2018-06-01";

interface PipelineRun {
  runId: string;
  pipelineName?: string;
  status?: string;
  runStart?: string;
  parameters?: Record<string, string>;
}

const byHand = (factory = "FACTORY", group = "GROUP") =>
  `give --as-of TIME: az datafactory pipeline-run query-by-factory --factory-name ${factory} --resource-group ${group} --last-updated-after DATE --last-updated-before DATE (of pipeline ${PIPELINE_NAME}, the newest Succeeded run: its windowEnd parameter, or its runStart)`;

export async function lastDataFactoryRun(names: PhysicalNames | undefined, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): Promise<{ startedAt: Date; run: string }> {
  if (!names) {
    throw new UserError(`--as-of: not given, and the Data Factory filling a Blob backup is found only with --stack-config (its factory and resource group are named from the project, stack and backup name); give --stack-config, or ${byHand()}`);
  }
  const factory = names.dns(63, "adf");
  const group = names.dns(90, "rg");
  const subscription = env.AZURE_SUBSCRIPTION_ID;
  if (!subscription) throw new UserError(`--as-of: not given, and AZURE_SUBSCRIPTION_ID is not set (the subscription of Data Factory ${factory}); set it, or ${byHand(factory, group)}`);
  const endpoint = (env.MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT || "https://management.azure.com").replace(/\/$/, "");
  const url = `${endpoint}/subscriptions/${encodeURIComponent(subscription)}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.DataFactory/factories/${encodeURIComponent(factory)}/queryPipelineRuns?api-version=${API_VERSION}`;
  const query = {
    lastUpdatedAfter: new Date(now.getTime() - RUN_HISTORY_DAYS * 86_400_000).toISOString(),
    lastUpdatedBefore: now.toISOString(),
    filters: [
      { operand: "PipelineName", operator: "Equals", values: [PIPELINE_NAME] },
      { operand: "Status", operator: "Equals", values: ["Succeeded"] },
    ],
    orderBy: [{ orderBy: "RunStart", order: "DESC" }],
  };
  let runs: PipelineRun[];
  try {
    const headers: Record<string, string> = { "content-type": "application/json" };
    // Always signed, wherever MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT points (a proxy or private
    // endpoint still needs the token), and through HTTPS_PROXY like every other live call.
    headers.authorization = `Bearer ${(await new DefaultAzureCredential().getToken("https://management.azure.com/.default")).token}`;
    const res = await proxiedFetch(url, { method: "POST", headers, body: JSON.stringify(query) });
    const body = (await res.json()) as { value?: PipelineRun[]; error?: { code?: string; message?: string } };
    if (!res.ok) throw new Error(`${res.status} ${body.error?.code ?? ""}: ${body.error?.message ?? ""}`);
    runs = body.value ?? [];
  } catch (err) {
    throw new UserError(`--as-of: not given, and reading the pipeline runs of Data Factory ${factory} failed (${(err as Error).message.split("\n")[0]}); ${byHand(factory, group)}`);
  }
  const succeeded = runs.filter((r) => r.status === "Succeeded" && r.pipelineName === PIPELINE_NAME && r.runStart);
  if (succeeded.length === 0) throw new UserError(`--as-of: not given, and pipeline ${PIPELINE_NAME} of Data Factory ${factory} has no successful run in the ${RUN_HISTORY_DAYS} days it keeps; ${byHand(factory, group)}`);
  const windowEnd = (r: PipelineRun): Date => {
    const param = r.parameters?.windowEnd ? new Date(r.parameters.windowEnd) : undefined;
    return param && !Number.isNaN(param.getTime()) ? param : new Date(r.runStart!);
  };
  const newest = succeeded.reduce((a, b) => (windowEnd(b).getTime() > windowEnd(a).getTime() ? b : a));
  return { startedAt: windowEnd(newest), run: `pipeline run ${newest.runId} of ${factory}/${PIPELINE_NAME}` };
}
