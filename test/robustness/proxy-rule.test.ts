/**
 * The proxy rule every live client follows (core/prices/proxy.ts), the one undici's
 * EnvHttpProxyAgent applies: which variable serves which target, what NO_PROXY exempts, that
 * nothing changes when no proxy variable is set, and that a malformed variable fails the provider
 * with a warning naming it instead of an internal error. The end-to-end proof, through the real
 * SDKs and a loopback proxy, is ./proxy.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { run } from "../../provider/cli/main";
import { startProxyFake } from "../fakes/proxy";
import { startAzureRetailFake } from "../fakes/azure-retail";
import { bypassesProxy, proxyAgents, proxyConfigured, proxyFor } from "../../core/prices/proxy";
import { awsClientConfig, newAwsClient } from "../../clouds/aws/live-prices";
import { azureLivePrices } from "../../clouds/azure/live-prices";
import { FAST_POLICY, noSleep } from "../fakes/policy";

afterEach(() => vi.unstubAllEnvs());

const P = "http://proxy.corp.example:3128";
const Q = "http://other.corp.example:8080";

describe("which proxy serves a target", () => {
  it("https targets use HTTPS_PROXY, else HTTP_PROXY; http targets HTTP_PROXY only; lower case first", () => {
    expect(proxyFor("https://prices.azure.com/api", { HTTPS_PROXY: P })).toBe(P);
    expect(proxyFor("https://prices.azure.com/api", { HTTP_PROXY: Q })).toBe(Q);
    expect(proxyFor("https://prices.azure.com/api", { HTTPS_PROXY: P, HTTP_PROXY: Q })).toBe(P);
    expect(proxyFor("http://127.0.0.1:8080/", { HTTPS_PROXY: P })).toBeUndefined();
    expect(proxyFor("http://127.0.0.1:8080/", { HTTPS_PROXY: P, HTTP_PROXY: Q })).toBe(Q);
    expect(proxyFor("https://ec2.us-east-1.amazonaws.com/", { https_proxy: Q, HTTPS_PROXY: P })).toBe(Q);
    expect(proxyFor("https://ec2.us-east-1.amazonaws.com/", { http_proxy: Q })).toBe(Q);
    expect(proxyFor("https://ec2.us-east-1.amazonaws.com/", {})).toBeUndefined();
  });

  it("NO_PROXY exempts a host and its subdomains, with an optional port, or everything with *", () => {
    const target = new URL("https://api.pricing.us-east-1.amazonaws.com/");
    expect(bypassesProxy(target, { NO_PROXY: "amazonaws.com" })).toBe(true);
    expect(bypassesProxy(target, { NO_PROXY: ".amazonaws.com" })).toBe(true);
    expect(bypassesProxy(target, { NO_PROXY: "*.amazonaws.com" })).toBe(true);
    expect(bypassesProxy(target, { no_proxy: "localhost, amazonaws.com:443" })).toBe(true);
    expect(bypassesProxy(target, { NO_PROXY: "amazonaws.com:8443" })).toBe(false);
    expect(bypassesProxy(target, { NO_PROXY: "zonaws.com" })).toBe(false);
    expect(bypassesProxy(target, { NO_PROXY: "*" })).toBe(true);
    expect(bypassesProxy(target, { NO_PROXY: "" })).toBe(false);
    expect(bypassesProxy(new URL("http://127.0.0.1:9000/"), { NO_PROXY: "127.0.0.1" })).toBe(true);
    expect(proxyFor(target, { HTTPS_PROXY: P, NO_PROXY: "amazonaws.com" })).toBeUndefined();
  });
});

describe("no proxy variable, no change", () => {
  it("gives no agents, and the AWS clients keep the SDK's own request handler", () => {
    for (const v of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]) vi.stubEnv(v, "");
    expect(proxyConfigured()).toBe(false);
    expect(proxyAgents()).toBeUndefined();
    expect(awsClientConfig({ credentials: { accessKeyId: "a", secretAccessKey: "b" } }, "pricing", "us-east-1")).not.toHaveProperty("requestHandler");
  });

  it("with HTTPS_PROXY set, the AWS clients get proxy-aware http and https agents", () => {
    vi.stubEnv("HTTPS_PROXY", P);
    const config = awsClientConfig({ credentials: { accessKeyId: "a", secretAccessKey: "b" } }, "pricing", "us-east-1");
    expect(config.requestHandler).toEqual({ httpAgent: expect.anything(), httpsAgent: expect.anything() });
  });
});

describe("a malformed proxy variable", () => {
  it("fails the provider with a message naming the variable (the plan then falls back with that warning)", async () => {
    vi.stubEnv("HTTPS_PROXY", "proxy.corp.example:3128");
    const err = await azureLivePrices.fetch({ regions: ["eastus"], knownTypes: new Map(), connection: {}, policy: FAST_POLICY, sleep: noSleep }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "rejected", message: expect.stringMatching(/^(Retail Prices page 1 for eastus: )?HTTPS_PROXY is not an http\(s\) proxy URL/) });
    expect(() => proxyAgents()).toThrow(/HTTPS_PROXY is not an http\(s\) proxy URL \(e\.g\. http:\/\/proxy\.example\.com:3128\): "proxy\.corp\.example:3128"/);
  });
});

describe("through a proxy, the deadline still holds", () => {
  it("a hanging endpoint behind HTTP_PROXY falls back at the deadline, with the warning naming it", async () => {
    const proxy = await startProxyFake();
    const retail = await startAzureRetailFake([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-proxy-rule-"));
    try {
      retail.failAlways("hang");
      vi.stubEnv("HTTP_PROXY", proxy.url); // the fake is plain http: HTTP_PROXY is the variable for it
      vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_PRICES", retail.url);
      vi.stubEnv("MULTICLOUD_CACHE_DIR", path.join(dir, "cache"));
      const spec = path.join(dir, "azure.yaml");
      fs.writeFileSync(spec, "name: web\ndemand: { replicas: 4, cpu: 2, memoryGiB: 8 }\nproviders:\n  azure: { regions: [eastus] }\n");
      let stdout = "";
      let stderr = "";
      const code = await run(["plan", spec, "--live", "--live-timeout", "1", "--format", "json"], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
      expect(code).toBe(0);
      expect(stderr).toMatch(/^warning: azure: live prices unavailable \((Retail Prices page 1 for eastus: )?no answer within the 1 s live-data deadline \(--live-timeout\)\); using the embedded snapshot/m);
      expect(JSON.parse(stdout)).toMatchObject({ prices: { azure: { source: "snapshot" } } });
      expect(proxy.tunnels).toContain(new URL(retail.url).host);
      expect(retail.requests.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([proxy.close(), retail.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the AWS SDK's Node-version notice", () => {
  it("is switched off only while a client is built, and a value the user set is kept", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(newAwsClient(() => env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, env)).toBe("true");
    expect(env).toEqual({});
    const own: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "false" };
    expect(newAwsClient(() => own.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, own)).toBe("false");
  });
});
