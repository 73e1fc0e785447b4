import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { physicalNames } from "../../core/backup/naming";

describe("physical names", () => {
  // Pinned: changing these renames (replaces) every deployed backup bucket.
  it("are stable for a project, stack and component name", () => {
    const n = physicalNames("proj", "stack", "orders");
    expect(n.hash).toBe("b21a44f8");
    expect(n.dns(63)).toBe("mc-bk-orders-b21a44f8");
    expect(n.dns(64, "reader")).toBe("mc-bk-orders-b21a44f8-reader");
    expect(n.compact(24)).toBe("mcbkordersb21a44f8");
  });

  it("differ between stacks, so two stacks never collide on a globally unique bucket name", () => {
    expect(physicalNames("proj", "dev", "orders").dns(63)).not.toBe(physicalNames("proj", "prod", "orders").dns(63));
  });

  it("cut long or odd component names to each cloud's rules", () => {
    const n = physicalNames("proj", "stack", "Orders_Backup--for__EU.customers.with.a.very.long.name.indeed");
    expect(n.dns(30, "reader")).toMatch(/^mc-bk-orders-b-[0-9a-f]{8}-reader$/); // GCP service account ids: at most 30
    expect(n.compact(24)).toHaveLength(24);
  });

  it("always fit the budget and the character rules", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom(30, 63, 64, 90, 256), fc.constantFrom(undefined, "reader", "rg", "alerts"), (name, max, suffix) => {
        const n = physicalNames("p", "s", name);
        const dns = n.dns(max, suffix);
        expect(dns.length).toBeLessThanOrEqual(max);
        expect(dns).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
        expect(dns).not.toContain("--");
        const compact = n.compact(24);
        expect(compact.length).toBeLessThanOrEqual(24);
        expect(compact).toMatch(/^[a-z0-9]{3,24}$/);
        expect(physicalNames("p", "s", name).dns(max, suffix)).toBe(dns);
      }),
    );
  });
});
