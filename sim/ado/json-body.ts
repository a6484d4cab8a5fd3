/**
 * A JSON answer as the strings to write, byte for byte what `JSON.stringify(body)` gives. A list
 * answer `{count, value}` (a batch of 200 work items is about 370 KB) is serialized element by
 * element and written in pieces of about PIECE_CHARS: one JSON.stringify of the whole body builds
 * a string that large and then a buffer that large to send it, and on a small machine the fresh
 * memory for those costs the simulator more than the serializing. The body clients receive is the
 * same; only its chunked transfer encoding (as before) has more chunks.
 */
const PIECE_CHARS = 32 * 1024;

export function jsonPieces(body: unknown): string[] {
  if (!isListAnswer(body) || body.value.length < 2) {
    // No body at all (a 204) is no piece, as `res.end(JSON.stringify(undefined))` wrote nothing.
    const text = JSON.stringify(body) as string | undefined;
    return text === undefined ? [] : [text];
  }
  const pieces: string[] = [];
  let piece = `{"count":${JSON.stringify(body.count)},"value":[`;
  body.value.forEach((element, i) => {
    // In an array, what JSON.stringify cannot represent (undefined, a function) is written null.
    const text = (JSON.stringify(element) as string | undefined) ?? 'null';
    piece += i === 0 ? text : `,${text}`;
    if (piece.length >= PIECE_CHARS) {
      pieces.push(piece);
      piece = '';
    }
  });
  pieces.push(`${piece}]}`);
  return pieces;
}

/** Exactly `{count, value: [...]}`, in that order, as `list()` in api.ts builds it. */
function isListAnswer(body: unknown): body is { count: number; value: unknown[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || (body as { toJSON?: unknown }).toJSON !== undefined) return false;
  const keys = Object.keys(body);
  const { count, value } = body as { count: unknown; value: unknown };
  return keys.length === 2 && keys[0] === 'count' && keys[1] === 'value' && typeof count === 'number' && Array.isArray(value);
}
