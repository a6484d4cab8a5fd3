/**
 * A collection longer than this many pages is not read to the end: at the services' page sizes
 * (PWA 100–300 rows, Graph up to 1,000, Dataverse 5,000) that is far past any plan or calendar,
 * so a server that keeps sending new links is misbehaving.
 */
export const MAX_PAGES = 2_000;

/** Why a read by next-page links stopped. */
export interface PagingStopped {
  pages: number;
  /** The server sent a link it had sent before; otherwise the read ran past MAX_PAGES. */
  repeated: boolean;
}

/**
 * The next-page links of one collection read (OData `@odata.nextLink`, PWA `__next`): a link seen
 * before would be read again for ever, and so would links without end.
 */
export class NextLinks {
  private readonly seen = new Set<string>();

  /** Records `link` before it is followed; says why not to follow it, if so. */
  follow(link: string): PagingStopped | undefined {
    const repeated = this.seen.has(link);
    if (repeated || this.seen.size + 1 >= MAX_PAGES) return { pages: this.seen.size + 1, repeated };
    this.seen.add(link);
    return undefined;
  }
}

/** What to tell the user, `service` naming the server ("Microsoft Graph"). */
export function pagingStoppedMessage(service: string, stopped: PagingStopped): string {
  const what = stopped.repeated ? 'sent the same next-page link twice' : `kept sending next-page links past ${stopped.pages} pages`;
  return `${service} ${what} while listing, so PlanBridge stopped reading rather than go round for ever. Try again later.`;
}
