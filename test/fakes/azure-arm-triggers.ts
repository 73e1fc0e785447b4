/**
 * A loopback fake of the ARM Triggers API of Data Factory
 * (https://learn.microsoft.com/en-us/rest/api/datafactory/triggers, api-version 2018-06-01), and of
 * the App Service managed identity endpoint that hands @azure/identity its ARM token, so that the
 * real credential chain runs in a process the test does not control (the plugin).
 *
 * Triggers: PUT creates or updates a trigger, which the service creates Stopped; a PUT on a
 * Started trigger is refused with TriggerEnabledCannotUpdate
 * (https://github.com/MicrosoftDocs/azure-docs/issues/74039); GET answers the trigger with its
 * read-only `runtimeState`, or 404 (Triggers - Get); POST /start and /stop change the runtime state
 * (202 Accepted with a Location to poll, as the generated SDK polls Triggers_Start/_Stop, or with
 * an Azure-AsyncOperation whose `status` ends the operation,
 * https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/async-operations);
 * DELETE answers 200, or 204 when there is nothing to delete.
 *
 * Managed identity (App Service, what MSAL's AppService source calls when IDENTITY_ENDPOINT and
 * IDENTITY_HEADER are set, https://learn.microsoft.com/en-us/azure/app-service/overview-managed-identity#rest-endpoint-reference):
 * GET ?api-version=2019-08-01&resource=... with the X-IDENTITY-HEADER secret; answers
 * `{access_token, expires_on, resource, token_type}`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeTrigger {
  properties: Record<string, any>;
  runtimeState: "Started" | "Stopped";
}

export class FakeArmTriggers {
  readonly triggers = new Map<string, FakeTrigger>();
  /** `METHOD name[/action]` of every trigger call, and `GET <path>` of async-operation polls. */
  readonly log: string[] = [];
  /** The Authorization header of every trigger call. */
  readonly authorizations: string[] = [];
  private server!: Server;
  endpoint = "";
  /** When set, trigger calls without `Authorization: Bearer <token>` are refused (401), as ARM does. */
  requiredToken?: string;
  /** How start/stop answer: a Location to poll, or an Azure-AsyncOperation that reports InProgress once, then `asyncOutcome`. */
  pollStyle: "location" | "async-operation" = "location";
  asyncOutcome: "Succeeded" | "Failed" = "Succeeded";
  private readonly asyncPolls = new Map<string, number>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const url = new URL(req.url!, "http://x");
        const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { "content-type": "application/json", ...headers });
          res.end(json === undefined ? "" : JSON.stringify(json));
        };
        if (url.pathname.startsWith("/operations/")) return reply(200, { status: "Succeeded" });
        if (url.pathname.startsWith("/asyncoperations/")) {
          const seen = (this.asyncPolls.get(url.pathname) ?? 0) + 1;
          this.asyncPolls.set(url.pathname, seen);
          this.log.push(`GET ${url.pathname}`);
          return reply(200, { status: seen === 1 ? "InProgress" : this.asyncOutcome }, { "retry-after": "0" });
        }
        const authorization = String(req.headers.authorization ?? "");
        this.authorizations.push(authorization);
        if (this.requiredToken !== undefined && authorization !== `Bearer ${this.requiredToken}`) {
          return reply(401, { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing or invalid." } });
        }
        if (url.searchParams.get("api-version") !== "2018-06-01") return reply(400, { error: { code: "InvalidApiVersion" } });
        const m = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.DataFactory\/factories\/[^/]+\/triggers\/[^/]+)(\/start|\/stop)?$/.exec(url.pathname);
        if (!m) return reply(404, { error: { code: "NotFound" } });
        const [, path, action] = m as unknown as [string, string, string | undefined];
        const name = path.split("/").pop()!;
        this.log.push(`${req.method} ${name}${action ?? ""}`);
        const trigger = this.triggers.get(path);
        if (req.method === "GET" && !action) {
          if (!trigger) return reply(404, { error: { code: "TriggerNotFound", message: `Trigger ${name} not found` } });
          return reply(200, { id: path, name, type: "Microsoft.DataFactory/factories/triggers", properties: { ...trigger.properties, runtimeState: trigger.runtimeState } });
        }
        if (req.method === "PUT" && !action) {
          if (trigger?.runtimeState === "Started") {
            return reply(400, { error: { code: "TriggerEnabledCannotUpdate", message: `Cannot update enabled Trigger '${name}', the trigger needs to be disabled first.` } });
          }
          const properties = JSON.parse(body).properties;
          if (!["ScheduleTrigger", "TumblingWindowTrigger", "BlobEventsTrigger"].includes(properties?.type)) {
            return reply(400, { error: { code: "BadRequest", message: "The document creation or update failed because of invalid reference or type." } });
          }
          this.triggers.set(path, { properties, runtimeState: "Stopped" });
          return reply(200, { name, properties: { ...properties, runtimeState: "Stopped" } });
        }
        if (req.method === "POST" && action) {
          if (!trigger) return reply(404, { error: { code: "TriggerNotFound" } });
          trigger.runtimeState = action === "/start" ? "Started" : "Stopped";
          if (this.pollStyle === "async-operation") {
            return reply(202, undefined, { "azure-asyncoperation": `${this.endpoint}/asyncoperations/${name}${action}-${this.log.length}`, "retry-after": "0" });
          }
          return reply(202, undefined, { location: `${this.endpoint}/operations/${name}${action}`, "retry-after": "0" });
        }
        if (req.method === "DELETE") {
          if (!trigger) return reply(204);
          this.triggers.delete(path);
          return reply(200);
        }
        return reply(405);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The trigger stored at an ARM path (`/subscriptions/.../triggers/<name>`). */
  at(path: string): FakeTrigger | undefined {
    return this.triggers.get(path);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The App Service managed identity endpoint: a token for ARM to whoever presents the identity header. */
export class FakeManagedIdentity {
  readonly requests: { resource: string; apiVersion: string }[] = [];
  private server!: Server;
  endpoint = "";

  constructor(
    readonly token: string,
    readonly header: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url!, "http://x");
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.headers["x-identity-header"] !== this.header) return reply(401, { error: "invalid_request", error_description: "missing or wrong X-IDENTITY-HEADER" });
      const resource = url.searchParams.get("resource") ?? "";
      this.requests.push({ resource, apiVersion: url.searchParams.get("api-version") ?? "" });
      if (url.searchParams.get("api-version") !== "2019-08-01" || !resource) return reply(400, { error: "invalid_request", error_description: "api-version 2019-08-01 and resource are required" });
      const expiresOn = Math.floor(Date.now() / 1000) + 3600;
      reply(200, { access_token: this.token, expires_on: String(expiresOn), resource, token_type: "Bearer", client_id: "00000000-0000-0000-0000-00000000c11e" });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
