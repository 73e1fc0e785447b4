/**
 * `traffic` (DESIGN.md "Traffic"): how clients reach the workload. Per region of the plan, one
 * regional load balancer in front of every group there, probing one health check that the groups'
 * autohealing uses too. Validated here, before any resource exists; each cloud's emitter realises
 * it (clouds/<cloud>/workload-emitter.ts).
 *
 * The health check defaults follow the target: an http workload is probed over http on `/` unless
 * a path is given; a tcp workload by a TCP connect. Defaults are applied once, so two spellings of
 * the same intent are the same value.
 */
import { z } from "zod";

const port = (what: string) => z.number({ error: `expected a port number 1-65535 (${what})` }).int().min(1).max(65535);

export const TRAFFIC_PROTOCOLS = ["tcp", "http"] as const;
export const HEALTH_PROTOCOLS = ["http", "https", "tcp"] as const;

const healthCheckSchema = z.strictObject({
  protocol: z.enum(HEALTH_PROTOCOLS).optional(),
  path: z.string().regex(/^\/[\x21-\x7e]*$/, 'expected a path that starts with "/" and has no spaces, e.g. "/healthz"').max(255).optional(),
  port: port("the port probed on each instance").optional(),
  intervalSeconds: z.union([z.literal(10), z.literal(30)], { error: "expected 10 or 30 (seconds between probes: the intervals every cloud's load balancer and DNS health checks accept)" }).default(10),
  unhealthyThreshold: z.number().int().min(2).max(10).default(3),
});

/**
 * Stands in for a value another resource computes (a Pulumi Output, which the core never sees):
 * the component hands the core this string where the user gave an Output and passes the Output
 * itself to the resources. The core then checks that the value is there, not what it is.
 */
export const FROM_OUTPUT = "(output)"; // the zone id pattern below admits it

const dnsSchema = z.strictObject({
  /** An existing Route 53 hosted zone (or FROM_OUTPUT: a zone another resource creates, checked by Route 53). */
  zoneId: z.string().regex(/^(Z[A-Z0-9]{1,31}|\(output\))$/, "expected a Route 53 hosted zone id, e.g. Z0123456789ABC"),
  /** The name steered across every region of the plan, in that zone. */
  name: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/, "expected a lower-case DNS name in the hosted zone, e.g. web.example.com"),
  /** Seconds resolvers may cache an answer: with the health check interval, bounds time to fail over. */
  ttl: z.number().int().min(1).max(86400).default(60),
  /** The zone is private (a VPC-associated zone): required for records of internal load balancers. */
  privateZone: z.boolean().default(false),
});

const notificationSchema = z.strictObject({
  email: z.email("expected an e-mail address"),
});

export const trafficSchema = z.strictObject({
  port: port("the port clients connect to on each regional load balancer"),
  targetPort: port("the port the instances listen on").optional(),
  protocol: z.enum(TRAFFIC_PROTOCOLS).default("tcp"),
  public: z.boolean().default(false),
  healthCheck: healthCheckSchema.default({ intervalSeconds: 10, unhealthyThreshold: 3 }),
  /** One name steered across every region of the plan (Route 53 weighted records + health checks). */
  dns: dnsSchema.optional(),
  /** Where "a region lost healthy capacity" alerts go. */
  notification: notificationSchema.optional(),
});

type ParsedTraffic = z.output<typeof trafficSchema>;

/** The traffic settings with every default applied: what emitters read. */
export interface Traffic {
  port: number;
  targetPort: number;
  protocol: (typeof TRAFFIC_PROTOCOLS)[number];
  public: boolean;
  healthCheck: HealthCheck;
  dns?: TrafficDns;
  notification?: { email: string };
}

export interface TrafficDns {
  zoneId: string;
  name: string;
  ttl: number;
  privateZone: boolean;
}

export interface HealthCheck {
  protocol: (typeof HEALTH_PROTOCOLS)[number];
  /** Set for http and https probes only. */
  path?: string;
  port: number;
  intervalSeconds: 10 | 30;
  unhealthyThreshold: number;
}

/** Problems the schema cannot express (cross-field), with paths from the spec root. */
export function trafficProblems(t: ParsedTraffic): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (t.dns && !t.public && !t.dns.privateZone) {
    problems.push({
      path: ["traffic", "dns"],
      message: "steers a public name to internal load balancers, which nobody outside their networks can reach: set traffic.public: true, or use a private hosted zone (traffic.dns.privateZone: true)",
    });
  }
  if (t.healthCheck.path !== undefined && t.healthCheck.protocol === "tcp") {
    problems.push({ path: ["traffic", "healthCheck", "path"], message: "is only used by http and https health checks: remove it, or set healthCheck.protocol to http" });
  }
  return problems;
}

/** Applies the defaults that depend on other fields (targetPort, the health check's protocol, port and path). */
export function resolveTraffic(t: ParsedTraffic): Traffic {
  const targetPort = t.targetPort ?? t.port;
  const protocol = t.healthCheck.protocol ?? (t.protocol === "http" || t.healthCheck.path !== undefined ? "http" : "tcp");
  return {
    port: t.port,
    targetPort,
    protocol: t.protocol,
    public: t.public,
    healthCheck: {
      protocol,
      ...(protocol === "tcp" ? {} : { path: t.healthCheck.path ?? "/" }),
      port: t.healthCheck.port ?? targetPort,
      intervalSeconds: t.healthCheck.intervalSeconds as 10 | 30,
      unhealthyThreshold: t.healthCheck.unhealthyThreshold,
    },
    ...(t.dns ? { dns: { ...t.dns, name: t.dns.name.replace(/\.$/, "") } } : {}),
    ...(t.notification ? { notification: t.notification } : {}),
  };
}
