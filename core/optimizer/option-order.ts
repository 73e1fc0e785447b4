/**
 * The fixed orders over placement options that make every plan independent of catalog row order:
 * the canonical order (that of plan allocations) and, among exact ties, the preferred option.
 * Structural types, so that options.ts and reduce.ts both use them without importing each other.
 */
import { cmp, type InstanceOffer, type Lifecycle } from "../catalog/offer";

interface Ordered {
  offer: Pick<InstanceOffer, "provider" | "region" | "instanceType" | "vcpu" | "memoryGiB">;
  lifecycle: Lifecycle;
}

/** Among exact ties: fewer vCPUs, then less memory, then the canonical order. */
export function preferred(a: Ordered, b: Ordered): number {
  return a.offer.vcpu - b.offer.vcpu || a.offer.memoryGiB - b.offer.memoryGiB || compareOptions(a, b);
}

/** The canonical option order: the order of plan allocations (provider, region, type, lifecycle). */
export function compareOptions(a: Ordered, b: Ordered): number {
  return (
    cmp(a.offer.provider, b.offer.provider) ||
    cmp(a.offer.region, b.offer.region) ||
    cmp(a.offer.instanceType, b.offer.instanceType) ||
    cmp(a.lifecycle, b.lifecycle)
  );
}
