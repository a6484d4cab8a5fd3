import { isAscii } from 'node:buffer';

/**
 * Parses ADO's list answer `{"count":n,"value":[...]}` network chunk by network chunk, a few
 * elements at a time, and hands each element to `map` at once. Reading the body whole and parsing
 * it once (what the client library does) copies it into one Buffer and then one string the size of
 * the body (about 370 KB for 200 work items with relations), and memory that large comes fresh
 * from the system for every answer. Here each chunk's whole elements are copied into one reused
 * buffer, decoded into a young string and parsed; the parsed elements are mapped (and mostly
 * dropped) at once, and no chunk is kept once it is parsed, so the memory behind it is reused
 * instead of growing the heap. The caller decides when each chunk is parsed (batch-reader.ts: one
 * per turn of the event loop).
 *
 * A chunk is cut just before a `,{"id":` that follows the end of an element (`}` or `null`). Those
 * bytes cannot sit inside a JSON string (a quote there is escaped), so a wrong cut could only fall
 * inside a nested array of objects, and then the piece ending there leaves a bracket open and does
 * not parse: a piece that parses is exactly its elements. From a piece that does not, the rest of
 * the answer is parsed in one go at the end. Cuts fall on ASCII commas, so no UTF-8 sequence is
 * split. An answer that does not start as a list is parsed whole, as JSON.parse reads it; one that
 * starts as a list but does not end as one (`...]}`) is 'not-a-list': Azure DevOps sends neither.
 */
const HEAD = /^\s*\{\s*"count"\s*:\s*\d+\s*,\s*"value"\s*:\s*\[/;
const TAIL = /\]\s*\}\s*$/;
const CUT = Buffer.from(',{"id":');
/** Bytes kept before the head is judged: enough for any `{"count":n,"value":[`. */
const HEAD_MAX = 64;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const NULL_END = 0x6c; // the l of null

/**
 * One buffer for every parser: `bracketed` fills and decodes it synchronously, so they never use it
 * at once, and its pages stay mapped from one answer to the next. A larger piece gets its own.
 */
let scratch: Buffer | undefined;
const SCRATCH_BYTES = 256 * 1024;

export type ListAnswer<T> = T[] | 'not-json' | 'not-a-list';

/** `head`: waiting for `{"count":n,"value":[`; `pieces`: parsing as chunks come; `rest`: a piece failed, the rest waits for the end; `whole`: not a list answer. */
type Mode = 'head' | 'pieces' | 'rest' | 'whole';

export class ListAnswerParser<T> {
  private readonly items: T[] = [];
  /** Bytes not parsed yet; in `pieces` and `rest`, they start at an element. */
  private pending: Buffer[] = [];
  private mode: Mode = 'head';

  constructor(private readonly map: (element: unknown) => T) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.mode !== 'pieces') {
      this.pending.push(chunk);
      if (this.mode === 'head') this.readHead();
      return;
    }
    const previous = this.pending.at(-1);
    const cut = lastCut(chunk, previous ? previous[previous.length - 1]! : -1);
    if (cut < 0) {
      this.pending.push(chunk);
      return;
    }
    const piece = [...this.pending, chunk.subarray(0, cut)];
    this.pending = cut + 1 < chunk.length ? [chunk.subarray(cut + 1)] : [];
    if (!this.parse(piece)) {
      // Keep the piece for the end, in front of what is still pending (a comma joins them again).
      this.mode = 'rest';
      this.pending = [...piece, Buffer.from(','), ...this.pending];
    }
  }

  /** The mapped elements; 'not-json' (a sign-in page) or 'not-a-list' when the body is not a list answer. */
  end(): ListAnswer<T> {
    if (this.mode === 'head' || this.mode === 'whole') {
      const answer = parseWhole(Buffer.concat(this.pending));
      if (answer === undefined) return 'not-json';
      const value = (answer as { value?: unknown } | null)?.value;
      return Array.isArray(value) ? value.map((x) => this.map(x)) : 'not-a-list';
    }
    const rest = Buffer.concat(this.pending);
    const tail = TAIL.exec(rest.toString('latin1', Math.max(0, rest.length - HEAD_MAX)));
    if (!tail) return 'not-a-list';
    const last = rest.subarray(0, rest.length - tail[0].length);
    if (last.some((c) => !isSpace(c)) && !this.parse([last])) return 'not-a-list';
    return this.items;
  }

  /** Drops `{"count":n,"value":[`, or parses whole once enough has arrived to tell it is not there. */
  private readHead(): void {
    const start = Buffer.concat(this.pending);
    const head = HEAD.exec(start.toString('latin1', 0, HEAD_MAX));
    if (head) {
      this.mode = 'pieces';
      this.pending = start.length > head[0].length ? [start.subarray(head[0].length)] : [];
    } else if (start.length >= HEAD_MAX) {
      this.mode = 'whole';
      this.pending = [start];
    }
  }

  /** Parses and maps one piece; false when it is not a whole list of elements. */
  private parse(parts: Buffer[]): boolean {
    let parsed: unknown[];
    try {
      parsed = JSON.parse(bracketed(parts)) as unknown[];
    } catch {
      return false;
    }
    for (const x of parsed) this.items.push(this.map(x));
    return true;
  }
}

/** The whole body as JSON, as the client library reads it; undefined when it is not JSON. */
export function parseWhole(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** `[` + the parts + `]` as one flat string, copied through the shared buffer. */
function bracketed(parts: Buffer[]): string {
  let length = 2;
  for (const p of parts) length += p.length;
  scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  const into = length <= scratch.length ? scratch : Buffer.allocUnsafe(length);
  into[0] = OPEN_BRACKET;
  let at = 1;
  for (const p of parts) at += p.copy(into, at);
  into[at] = CLOSE_BRACKET;
  const text = into.subarray(0, at + 1);
  // ASCII (nearly every answer) decodes as a plain copy; anything else as UTF-8.
  return text.toString(isAscii(text) ? 'latin1' : 'utf8');
}

/** The last cut in `chunk` that ends an element (`previous`: the byte before the chunk, -1 if none), or -1. */
function lastCut(chunk: Buffer, previous: number): number {
  for (let at = chunk.lastIndexOf(CUT); at >= 0; at = at > 0 ? chunk.lastIndexOf(CUT, at - 1) : -1) {
    const before = at > 0 ? chunk[at - 1] : previous;
    if (before === CLOSE_BRACE || before === NULL_END) return at;
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
