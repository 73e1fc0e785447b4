/**
 * Run by ./proxy.test.ts in a child process: reads one scale set's Azure Monitor metrics through
 * the real SDK, reaching Resource Manager through MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT, with only
 * the environment (HTTPS_PROXY, NO_PROXY, NODE_EXTRA_CA_CERTS) deciding how. A token is the one
 * thing injected: Entra ID is not what is under test. Prints the number of CPU samples read.
 */
import { azureMetrics } from "../../clouds/azure/metrics";
import { staticToken } from "../fakes/azure-arm";
import { DEFAULT_POLICY } from "../../core/prices/retry";

const HOUR = 3_600_000;
const start = new Date(Number(process.env.METRICS_START));

azureMetrics
  .read({ fleet: { vmScaleSetId: process.env.SCALE_SET_ID }, start, end: new Date(start.getTime() + 24 * HOUR), periodSeconds: 3600, policy: DEFAULT_POLICY, connection: { credentials: staticToken() } })
  .then(
    (m) => process.stdout.write(`${JSON.stringify({ cpuSamples: m.cpu.length })}\n`),
    (err: unknown) => {
      process.stdout.write(`${JSON.stringify({ error: String((err as Error).message ?? err) })}\n`);
      process.exitCode = 1;
    },
  );
