/**
 * Address ranges of the private networks the component creates where none is given. Pure.
 *
 * The range depends only on the region's name (not on its position in a list), so adding a region
 * never renumbers, and so never replaces, an existing network. Different regions usually get
 * different ranges, which keeps later peering possible; a clash is harmless as the networks are
 * not connected.
 */
import { createHash } from "node:crypto";

export interface PrivateRanges {
  /** The network: a /16 in 10.16.0.0 - 10.239.255.255. */
  network: string;
  /** Two /20 subnets at the start of the network (AWS spreads them over two zones; others use the first). */
  subnets: [string, string];
}

export function privateRanges(cloud: string, region: string): PrivateRanges {
  const second = 16 + (createHash("sha256").update(`${cloud}/${region}`).digest().readUInt16BE(0) % 224);
  return { network: `10.${second}.0.0/16`, subnets: [`10.${second}.0.0/20`, `10.${second}.16.0/20`] };
}
