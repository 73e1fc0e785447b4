/**
 * Fake AWS Price List Query API (`GetProducts`, JSON 1.1) over a fixed product list: applies the
 * request's TERM_MATCH filters the way the service does, and pages with opaque NextTokens.
 */
import { startAwsJsonFake } from "./aws-json";
import { pageOf, pageToken, type FakeServer } from "./http";

export interface AwsProductInput {
  instanceType: string;
  region: string;
  vcpu: number;
  memoryGiB: number;
  usd: number;
  gpu?: number;
  processor?: string;
  operatingSystem?: string;
  tenancy?: string;
}

/** A product in the Price List's aws_v1 shape, as GetProducts returns it (one JSON string each). */
export function awsProduct(p: AwsProductInput): Record<string, unknown> {
  const sku = `SKU${Buffer.from(`${p.region}/${p.instanceType}/${p.operatingSystem ?? "Linux"}/${p.tenancy ?? "Shared"}`).toString("hex").slice(0, 12).toUpperCase()}`;
  const attributes: Record<string, string> = {
    servicecode: "AmazonEC2",
    instanceType: p.instanceType,
    regionCode: p.region,
    vcpu: String(p.vcpu),
    memory: `${p.memoryGiB.toLocaleString("en-US")} GiB`,
    physicalProcessor: p.processor ?? "Intel Xeon Platinum 8259CL",
    processorArchitecture: "64-bit",
    operatingSystem: p.operatingSystem ?? "Linux",
    tenancy: p.tenancy ?? "Shared",
    preInstalledSw: "NA",
    capacitystatus: "Used",
    marketoption: "OnDemand",
    licenseModel: "No License required",
    operation: "RunInstances",
  };
  if (p.gpu !== undefined) attributes.gpu = String(p.gpu);
  return {
    product: { productFamily: "Compute Instance", attributes, sku },
    serviceCode: "AmazonEC2",
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit: "Hrs",
              endRange: "Inf",
              description: `$${p.usd} per On Demand Linux ${p.instanceType} Instance Hour`,
              appliesTo: [],
              rateCode: `${sku}.JRTCKXETXF.6YS6EN2CT7`,
              beginRange: "0",
              pricePerUnit: { USD: p.usd.toFixed(10) },
            },
          },
          sku,
          effectiveDate: "2026-07-01T00:00:00Z",
          offerTermCode: "JRTCKXETXF",
          termAttributes: {},
        },
      },
    },
    version: "20260701000000",
    publicationDate: "2026-07-01T00:00:00Z",
  };
}

interface Filter {
  Type: string;
  Field: string;
  Value: string;
}

export function startAwsPricingFake(products: ReadonlyArray<Record<string, unknown>>, pageSize = 100): Promise<FakeServer> {
  return startAwsJsonFake({
    targetPrefix: "AWSPriceListService",
    jsonVersion: "1.1",
    operations: {
      GetProducts: (input) => {
        if (input.ServiceCode !== "AmazonEC2") throw new Error(`unexpected ServiceCode ${String(input.ServiceCode)}`);
        const filters = (input.Filters ?? []) as Filter[];
        const matching = products.filter((p) => {
          const attributes = (p.product as { attributes: Record<string, string> }).attributes;
          return filters.every((f) => f.Type === "TERM_MATCH" && attributes[f.Field] === f.Value);
        });
        const size = Math.min(pageSize, Number(input.MaxResults ?? 100));
        const { page, next } = pageOf(matching, pageToken.decode(input.NextToken as string | undefined), size);
        return { FormatVersion: "aws_v1", PriceList: page.map((p) => JSON.stringify(p)), ...(next !== undefined ? { NextToken: pageToken.encode(next) } : {}) };
      },
    },
  });
}
