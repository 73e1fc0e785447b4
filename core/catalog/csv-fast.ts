/**
 * The fast path of reading a catalog file (./csv.ts): the rows of a quote-free file scanned in
 * place. A plainly valid row (every check of csv.ts passes without trimming a cell) becomes its
 * offer without splitting the line into cell strings: names are compared in place (the provider
 * and a region repeated from the row before are not copied), numbers are read from their digits.
 * Every other row is handed back as the trimmed cells csv.ts checks, so its messages are exactly
 * theirs. An 86,000-row `prices export` file reads in a fraction of the time the cell-by-cell
 * path took, and builds the same offers (test/catalog-csv-fast.test.ts).
 *
 * Numbers: a plain decimal `ddd.ddd` of at most 15 digits is M / 10^k with M < 2^53 and k <= 22,
 * both exact doubles, so one IEEE division gives the correctly rounded value: the same double as
 * `Number(text)`. Anything else (exponent, sign, more digits) takes the full path.
 */
import type { CloudSet } from "../clouds/cloud-set";
import type { InstanceOffer } from "./offer";

export interface PlainRowSink {
  /** A plainly valid row's offer; `line` counts non-empty lines, the header being line 1. */
  offer(offer: InstanceOffer, line: number): void;
  /** Any other row: its cells, trimmed, for the full checks. */
  row(cells: string[], line: number): void;
}

export interface PlainLimits {
  vcpu: number;
  memoryGiB: number;
  gpus: number;
  hourlyUsd: number;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const RETURN = 13;

/**
 * Whether `body` splits into lines at "\n" and "\r\n" only (no lone "\r", which csv.ts also
 * treats as a line break): the scan below handles exactly those.
 */
export function scannable(body: string): boolean {
  return !body.includes("\r") || !/\r(?!\n)/.test(body);
}

/**
 * Scans the rows of `body` from `start` (just after the header line). `columns` is the header's
 * column count (10, or 11 with `burstable`).
 */
export function scanPlainRows(body: string, start: number, columns: number, clouds: CloudSet, limits: PlainLimits, sink: PlainRowSink): void {
  const providers = clouds.names;
  const cellStart = new Int32Array(columns);
  const cellEnd = new Int32Array(columns);
  let region = "";
  let line = 1;
  for (let pos = start; pos < body.length; ) {
    let end = body.indexOf("\n", pos);
    if (end === -1) end = body.length;
    const next = end + 1;
    if (end > pos && body.charCodeAt(end - 1) === RETURN) end--;
    if (end === pos) {
      pos = next;
      continue;
    }
    line++;
    const offer = cellsOf(body, pos, end, cellStart, cellEnd) ? plainOffer() : undefined;
    if (offer) sink.offer(offer, line);
    else sink.row(body.slice(pos, end).split(",").map((cell) => cell.trim()), line);
    pos = next;
  }

  /** The offer of the row whose cells are in cellStart/cellEnd, if every cell is plainly valid. */
  function plainOffer(): InstanceOffer | undefined {
    const provider = providers.find((name) => same(cellStart[0]!, cellEnd[0]!, name));
    if (provider === undefined) return undefined;
    if (!same(cellStart[1]!, cellEnd[1]!, region)) region = body.slice(cellStart[1], cellEnd[1]);
    const instanceType = body.slice(cellStart[2], cellEnd[2]);
    const arch = same(cellStart[7]!, cellEnd[7]!, "x86_64") ? "x86_64" : same(cellStart[7]!, cellEnd[7]!, "arm64") ? "arm64" : undefined;
    if (region === "" || instanceType === "" || arch === undefined) return undefined;
    const vcpu = decimal(3);
    const memoryGiB = decimal(4);
    const gpus = decimal(5);
    const onDemand = decimal(8);
    const spot = cellStart[9] === cellEnd[9] ? null : decimal(9);
    if (!(vcpu > 0 && vcpu <= limits.vcpu && memoryGiB > 0 && memoryGiB <= limits.memoryGiB && gpus >= 0 && gpus <= limits.gpus)) return undefined;
    if (!(onDemand > 0 && onDemand <= limits.hourlyUsd) || (spot !== null && !(spot > 0 && spot <= limits.hourlyUsd))) return undefined;
    let burstable: boolean;
    if (columns === 10) burstable = clouds.get(provider).isBurstable(instanceType);
    else if (same(cellStart[10]!, cellEnd[10]!, "true")) burstable = true;
    else if (same(cellStart[10]!, cellEnd[10]!, "false")) burstable = false;
    else return undefined;
    const gpuType = cellStart[6] === cellEnd[6] ? null : body.slice(cellStart[6], cellEnd[6]).toLowerCase();
    return { provider, region, instanceType, vcpu, memoryGiB, gpus, gpuType, arch, burstable, onDemandHourlyUsd: onDemand, spotHourlyUsd: spot, spotEstimated: false };
  }

  function same(from: number, to: number, text: string): boolean {
    return to - from === text.length && body.startsWith(text, from);
  }

  /** Cell i as a plain decimal (NaN when it is not one: the full path then decides). */
  function decimal(i: number): number {
    const from = cellStart[i]!;
    const to = cellEnd[i]!;
    let m = 0;
    let digits = 0;
    let fraction = -1;
    for (let p = from; p < to; p++) {
      const c = body.charCodeAt(p);
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        if (fraction >= 0) fraction++;
      } else if (c === 46 && fraction < 0) fraction = 0;
      else return NaN;
    }
    if (digits === 0 || digits > 15) return NaN;
    return fraction > 0 ? m / POW10[fraction]! : m;
  }

  /**
   * Splits [from, to) at its commas into exactly `columns` cells; false when the count differs or
   * a cell starts or ends with a character that may be white space (the full path trims it).
   */
  function cellsOf(text: string, from: number, to: number, starts: Int32Array, ends: Int32Array): boolean {
    let s = from;
    for (let i = 0; i < columns; i++) {
      const last = i === columns - 1;
      const comma = text.indexOf(",", s);
      // The line ends right after the last cell: its cells are exactly `columns`.
      if (last ? comma !== -1 && comma < to : comma === -1 || comma >= to) return false;
      const e = last ? to : comma;
      if (e > s && (maySpace(text.charCodeAt(s)) || maySpace(text.charCodeAt(e - 1)))) return false;
      starts[i] = s;
      ends[i] = e;
      s = e + 1;
    }
    return true;
  }
}

/** Printable ASCII other than the space is never white space; anything else may be. */
function maySpace(code: number): boolean {
  return code <= 32 || code >= 127;
}
