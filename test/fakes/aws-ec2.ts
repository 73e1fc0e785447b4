/**
 * Fake EC2 `DescribeSpotPriceHistory` in EC2's query protocol: a form-encoded POST
 * (`Action=DescribeSpotPriceHistory&Version=2016-11-15&ProductDescription.1=...`) answered with
 * namespaced XML, paged by `nextToken`; errors are EC2's `<Response><Errors><Error>` document
 * (RequestLimitExceeded is a 503, as EC2 sends it). The region comes from the SigV4 scope, as
 * each regional endpoint only knows its own zones.
 */
import { signedRegion } from "./aws-json";
import { pageOf, pageToken, startFake, type FakeResponse, type FakeServer } from "./http";

export interface SpotEntry {
  instanceType: string;
  zone: string;
  usd: number;
  /** ISO timestamp of the price change. */
  at: string;
}

function ec2Error(status: number, code: string, message: string): FakeResponse {
  return {
    status,
    headers: { "content-type": "text/xml;charset=UTF-8" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>4b7d6fa2-fake</RequestID></Response>`,
  };
}

const xmlItem = (e: SpotEntry): string =>
  `<item><instanceType>${e.instanceType}</instanceType><productDescription>Linux/UNIX</productDescription><spotPrice>${e.usd.toFixed(6)}</spotPrice><timestamp>${e.at}</timestamp><availabilityZone>${e.zone}</availabilityZone></item>`;

/** `entries` are per region (zones are named after it: us-east-1a). */
export function startEc2SpotFake(entries: readonly SpotEntry[], pageSize = 1000): Promise<FakeServer> {
  return startFake({
    renderFault: (fault) =>
      fault === "throttle"
        ? ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.")
        : fault === "server"
          ? ec2Error(500, "InternalError", "An internal error has occurred.")
          : { status: 200, headers: { "content-type": "text/xml" }, body: "<DescribeSpotPriceHistoryResponse><spotPriceHistorySet><item>" },
    handle: (req) => {
      const region = signedRegion(req.headers.authorization as string | undefined);
      if (!region) return ec2Error(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
      const form = new URLSearchParams(req.body);
      if (form.get("Action") !== "DescribeSpotPriceHistory" || form.get("Version") !== "2016-11-15") return ec2Error(400, "InvalidAction", "unknown action");
      const products = [...form].filter(([k]) => k.startsWith("ProductDescription.")).map(([, v]) => v);
      const matching = entries.filter((e) => e.zone.startsWith(region) && (products.length === 0 || products.includes("Linux/UNIX")));
      const size = Math.min(pageSize, Number(form.get("MaxResults") ?? 1000));
      const { page, next } = pageOf(matching, pageToken.decode(form.get("NextToken")), size);
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
        `<requestId>59dbff89-fake</requestId><spotPriceHistorySet>${page.map(xmlItem).join("")}</spotPriceHistorySet>` +
        `<nextToken>${next !== undefined ? pageToken.encode(next) : ""}</nextToken></DescribeSpotPriceHistoryResponse>`;
      return { status: 200, headers: { "content-type": "text/xml;charset=UTF-8" }, body };
    },
  });
}
