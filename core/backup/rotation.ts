/**
 * Rotation of the long-lived credentials a backup's transfer uses to read its source (an IAM
 * access key, a GCS HMAC key, an Azure SAS). Pure: a function of the clock it is given.
 *
 * Time is cut into fixed periods of ROTATION_DAYS counted from ROTATION_EPOCH. Every credential
 * belongs to the period `pulumi up` ran in: the key's replacement trigger is the period's start,
 * and a SAS expires two periods after that start. So:
 *   - within a period, every preview gives the same inputs (no spurious diffs);
 *   - the first `pulumi up` after a period boundary issues a new key / SAS, updates the transfer
 *     job with it, then deletes the old key (create-before-delete);
 *   - a SAS issued at any moment of a period stays valid for at least one more full period, so a
 *     stack updated at least once per ROTATION_DAYS never runs on an expired SAS.
 * A stack nobody updates keeps its IAM / HMAC key (they do not expire); its SAS expires at most
 * 2 x ROTATION_DAYS after its last update, and the transfer's failure alert then fires.
 */

/** Days between rotations: the 90 days of common key-rotation policies (CIS AWS 1.14: rotate access keys every 90 days or less). */
export const ROTATION_DAYS = 90;
/** Periods count from this instant, so every stack rotates on the same calendar. */
export const ROTATION_EPOCH = "2024-01-01T00:00:00Z";

const DAY_MS = 86_400_000;

export interface RotationPeriod {
  /** Start of the period `now` falls in (ISO-8601, UTC): the credentials' replacement trigger. */
  startsAt: string;
  /** When a SAS issued in this period expires: two periods after its start. */
  sasExpiresAt: string;
  days: number;
}

export function rotationPeriod(now: Date, days: number = ROTATION_DAYS): RotationPeriod {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`rotation period must be a whole number of days >= 1, got ${days}`);
  const epoch = Date.parse(ROTATION_EPOCH);
  const length = days * DAY_MS;
  const index = Math.floor((now.getTime() - epoch) / length);
  const start = epoch + index * length;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
  return { startsAt: iso(start), sasExpiresAt: iso(start + 2 * length), days };
}
