/**
 * AWS commercial regions and where they are. The table is the list of regions a backup may name
 * (an unknown region is an error with a suggestion); GovCloud and China are separate partitions
 * with their own accounts, so they are not listed.
 */
import type { RegionTable } from "../../core/backup/types";

export const awsRegions: RegionTable = {
  "us-east-1": ["north-america", "US"],
  "us-east-2": ["north-america", "US"],
  "us-west-1": ["north-america", "US"],
  "us-west-2": ["north-america", "US"],
  "ca-central-1": ["north-america", "CA"],
  "ca-west-1": ["north-america", "CA"],
  "mx-central-1": ["north-america", "MX"],
  "sa-east-1": ["south-america", "BR"],
  "eu-west-1": ["europe", "IE"],
  "eu-west-2": ["europe", "GB"],
  "eu-west-3": ["europe", "FR"],
  "eu-central-1": ["europe", "DE"],
  "eu-central-2": ["europe", "CH"],
  "eu-north-1": ["europe", "SE"],
  "eu-south-1": ["europe", "IT"],
  "eu-south-2": ["europe", "ES"],
  "me-south-1": ["middle-east", "BH"],
  "me-central-1": ["middle-east", "AE"],
  "il-central-1": ["middle-east", "IL"],
  "af-south-1": ["africa", "ZA"],
  "ap-east-1": ["asia-pacific", "HK"],
  "ap-east-2": ["asia-pacific", "TW"],
  "ap-south-1": ["asia-pacific", "IN"],
  "ap-south-2": ["asia-pacific", "IN"],
  "ap-northeast-1": ["asia-pacific", "JP"],
  "ap-northeast-2": ["asia-pacific", "KR"],
  "ap-northeast-3": ["asia-pacific", "JP"],
  "ap-southeast-1": ["asia-pacific", "SG"],
  "ap-southeast-2": ["asia-pacific", "AU"],
  "ap-southeast-3": ["asia-pacific", "ID"],
  "ap-southeast-4": ["asia-pacific", "AU"],
  "ap-southeast-5": ["asia-pacific", "MY"],
  "ap-southeast-7": ["asia-pacific", "TH"],
};
