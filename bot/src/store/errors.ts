import { UserFacingError } from '../errors.js';

/**
 * Store failures a caller can act on. Messages name the document kind and id (never field
 * values), so they are safe to log; secrets never reach an error message.
 */
export class StoreError extends UserFacingError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'store', message, { cause: options?.cause });
  }
}

/** A create that must be unique found the id taken (HTTP 409). */
export class DuplicateError extends StoreError {
  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} "${id}" already exists`, { code: 'duplicate' });
  }
}

/** An etag-conditional write lost to a concurrent writer and was not (or could no longer be) retried (HTTP 412). */
export class ConcurrencyError extends StoreError {
  constructor(readonly kind: string, readonly id: string, detail = 'it was changed by someone else; re-read and try again') {
    super(`${kind} "${id}" was not updated: ${detail}`, { code: 'concurrency' });
  }
}

export class NotFoundError extends StoreError {
  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} "${id}" does not exist`, { code: 'not-found' });
  }
}

/** Refused before any network call: Cosmos DB rejects items over 2 MB. */
export class DocumentTooLargeError extends StoreError {
  constructor(readonly kind: string, readonly id: string, readonly bytes: number, readonly limit: number) {
    super(`${kind} "${id}" is ${bytes} bytes serialized, over the ${limit}-byte limit per stored document; store less (for example split the plan or drop the baseline of unlinked items)`, { code: 'too-large' });
  }
}

/** A stored document has a shape this version cannot read (for example written by a newer release). */
export class SchemaError extends StoreError {}

/** Errors from @azure/cosmos carry the HTTP status in `code`. */
export function cosmosStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}
