/**
 * Bad `traffic` input fails `pulumi preview` with a message naming the field and what was
 * expected, before any child resource is registered.
 */
import { describe, expect, it } from "vitest";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import { setupPulumi, valueOf } from "./harness";
import { webArgs } from "./scenario";
import { resolveTraffic, trafficSchema } from "../../core/spec/traffic";

const COMPONENT = "multicloud:index:MultiCloudWorkload";

async function failWith(args: MultiCloudWorkloadArgs): Promise<string> {
  const h = await setupPulumi({ preview: true });
  const workload = new MultiCloudWorkload("web", args);
  const message = await workload.ready().then(() => "no failure", (err: Error) => err.message);
  await valueOf(workload.urn);
  expect(h.resources.filter((r) => r.type !== COMPONENT)).toEqual([]);
  return message;
}

const withTraffic = (traffic: unknown, overrides: Partial<MultiCloudWorkloadArgs> = {}) => webArgs({ traffic: traffic as MultiCloudWorkloadArgs["traffic"], ...overrides });

describe("traffic validation at preview", () => {
  it("refuses port 0 and ports above 65535, naming the field", async () => {
    expect(await failWith(withTraffic({ port: 0 }))).toMatch(/traffic\.port: expected a number >= 1, got 0/);
    expect(await failWith(withTraffic({ port: 443, targetPort: 70000 }))).toMatch(/traffic\.targetPort: expected a number <= 65535, got 70000/);
  });

  it("refuses a health-check path without a leading slash", async () => {
    expect(await failWith(withTraffic({ port: 443, healthCheck: { path: "healthz" } }))).toMatch(/traffic\.healthCheck\.path: expected a path that starts with "\/"/);
  });

  it("refuses an internet-facing load balancer without ingressCidrs", async () => {
    const message = await failWith(withTraffic({ port: 443, public: true }, { ports: [], ingressCidrs: [] }));
    expect(message).toMatch(/ingressCidrs: is required when traffic\.public is true/);
  });

  it("refuses an unknown protocol, listing the known ones", async () => {
    expect(await failWith(withTraffic({ port: 443, protocol: "udp" }))).toMatch(/traffic\.protocol: .*"tcp".*"http"|traffic\.protocol: .*tcp.*http/);
  });

  it("refuses a path on a tcp health check and an interval no DNS health check accepts", async () => {
    expect(await failWith(withTraffic({ port: 443, healthCheck: { protocol: "tcp", path: "/x" } }))).toMatch(/traffic\.healthCheck\.path: is only used by http and https health checks/);
    expect(await failWith(withTraffic({ port: 443, healthCheck: { intervalSeconds: 15 } }))).toMatch(/traffic\.healthCheck\.intervalSeconds: expected 10 or 30/);
  });
});

describe("traffic defaults", () => {
  it("probes the target port; http traffic or a path means an http check on that path", () => {
    expect(resolveTraffic(trafficSchema.parse({ port: 443, targetPort: 8443 }))).toEqual({
      port: 443, targetPort: 8443, protocol: "tcp", public: false,
      healthCheck: { protocol: "tcp", port: 8443, intervalSeconds: 10, unhealthyThreshold: 3 },
    });
    expect(resolveTraffic(trafficSchema.parse({ port: 80, protocol: "http" })).healthCheck).toEqual({ protocol: "http", path: "/", port: 80, intervalSeconds: 10, unhealthyThreshold: 3 });
    expect(resolveTraffic(trafficSchema.parse({ port: 443, healthCheck: { path: "/healthz", port: 9000 } })).healthCheck).toMatchObject({ protocol: "http", path: "/healthz", port: 9000 });
  });
});
