/**
 * Loopback fake of an AWS JSON-protocol service (JSON 1.1: Price List; JSON 1.0 with query
 * compatibility: CloudWatch). Requests are POSTs to `/` with `X-Amz-Target: <Service>.<Operation>`
 * and a SigV4 `Authorization` header; errors are status 4xx/5xx with `{"__type", "message"}` and,
 * for query-compatible services, the `x-amzn-query-error: <Code>;<Sender|Receiver>` header from
 * which the SDK takes the error's name.
 */
import { startFake, type FakeResponse, type FakeServer } from "./http";

export interface AwsJsonOptions {
  /** `AWSPriceListService`, `GraniteServiceVersion20100801` */
  targetPrefix: string;
  /** 1.0 or 1.1 */
  jsonVersion: "1.0" | "1.1";
  /** CloudWatch's query-compatible error header. */
  queryCompatible?: { throttleCode: string };
  operations: Record<string, (input: Record<string, unknown>, region: string) => unknown>;
}

/** An access key id the fakes reject, as AWS does a revoked or mistyped key. */
export const REVOKED_ACCESS_KEY = "AKIDREVOKEDREVOKED";

export function awsJsonError(status: number, type: string, message: string, queryCode?: string): FakeResponse {
  return {
    status,
    headers: { "x-amzn-errortype": type, ...(queryCode ? { "x-amzn-query-error": `${queryCode};${status >= 500 ? "Receiver" : "Sender"}` } : {}) },
    body: JSON.stringify({ __type: type, message }),
  };
}

/** The region a SigV4-signed request was signed for (`Credential=AKID/20260720/us-east-1/ec2/aws4_request`). */
export function signedRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization ?? "")?.[1];
}

export function startAwsJsonFake(options: AwsJsonOptions): Promise<FakeServer> {
  const contentType = `application/x-amz-json-${options.jsonVersion}`;
  return startFake({
    renderFault: (fault) => {
      if (fault === "throttle") {
        const code = options.queryCompatible?.throttleCode;
        return awsJsonError(400, code ? "com.amazon.coral.availability#ThrottlingException" : "ThrottlingException", "Rate exceeded", code);
      }
      if (fault === "server") return awsJsonError(500, "InternalErrorException", "internal failure", options.queryCompatible ? "InternalFailure" : undefined);
      return { status: 200, headers: { "content-type": contentType }, body: '{"PriceList": [' };
    },
    handle: (req) => {
      const region = signedRegion(req.headers.authorization as string | undefined);
      if (!region) return awsJsonError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
      if (String(req.headers.authorization).includes(`Credential=${REVOKED_ACCESS_KEY}/`)) {
        return awsJsonError(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
      }
      const target = String(req.headers["x-amz-target"] ?? "");
      const [prefix, operation = ""] = target.split(".");
      const handler = options.operations[operation];
      if (prefix !== options.targetPrefix || !handler || req.method !== "POST" || !String(req.headers["content-type"]).startsWith(contentType)) {
        return awsJsonError(400, "UnknownOperationException", `unknown target ${target}`);
      }
      const output = handler(JSON.parse(req.body || "{}") as Record<string, unknown>, region);
      return { status: 200, headers: { "content-type": contentType }, body: JSON.stringify(output) };
    },
  });
}
