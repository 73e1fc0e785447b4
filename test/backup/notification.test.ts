/**
 * A backup's alerts must reach someone: without `notification.email` the alert resources still
 * exist (so adding an address later is a small change), but the deployment warns, naming the arg.
 * Under Pulumi's mocks there is no engine to receive log messages, so the SDK prints them to the
 * console, where the test reads them.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { deploy, FUTURE_DATE } from "./helpers/deploy";

const base = {
  source: { provider: "gcp" as const, region: "europe-west1", bucket: "acme-events" },
  destination: { provider: "azure" as const, region: "westeurope" },
  sizeGiB: 800,
  dailyChangeGiB: 8,
};

function warnings(spy: { mock: { calls: unknown[][] } }): string[] {
  return spy.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("notification"));
}

afterEach(() => vi.restoreAllMocks());

describe("alerts that reach nobody are called out", () => {
  it("warns at deployment, naming notification.email, when no address is given", async () => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await deploy("events", base);
    expect(warnings(spy)).toEqual([expect.stringMatching(/no notification\.email: failed Azure Data Factory runs raise an alert that reaches nobody; set notification: \{ email/)]);
  });

  it("stays quiet, and subscribes the address, when one is given (every destination cloud)", async () => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const email = { email: "ops@example.com" };
    const intoBlob = await deploy("events", { ...base, notification: email });
    expect(intoBlob.engine.byName("events-alerts").inputs.emailReceivers).toEqual([{ name: "backup-owner", emailAddress: "ops@example.com", useCommonAlertSchema: true }]);
    const intoS3 = await deploy("events", { ...base, destination: { provider: "aws", region: "eu-west-1" }, notification: email });
    expect(intoS3.engine.byName("events-alerts-email").inputs).toMatchObject({ protocol: "email", endpoint: "ops@example.com" });
    const intoGcs = await deploy("media", {
      source: { provider: "azure", region: "westeurope", storageAccount: "acme", container: "media", resourceGroupName: "rg", sasExpiresOn: FUTURE_DATE },
      destination: { provider: "gcp", region: "europe-west4" },
      sizeGiB: 10,
      dailyChangeGiB: 1,
      notification: email,
    });
    expect(intoGcs.engine.byName("media-alerts-email").inputs.labels).toEqual({ email_address: "ops@example.com" });
    expect(warnings(spy)).toEqual([]);
  });
});
