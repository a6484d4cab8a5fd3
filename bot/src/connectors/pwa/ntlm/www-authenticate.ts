/** The schemes a 401 offers, from every `WWW-Authenticate` header (servers send one per scheme). */
export interface AuthOffer {
  scheme: string;
  /** The token after the scheme (an NTLM/Negotiate base64 message), if any. */
  token?: string;
}

export function authOffers(rawHeaders: readonly string[]): AuthOffer[] {
  const offers: AuthOffer[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'www-authenticate') continue;
    // Base64 has no commas, so a comma-joined header splits cleanly for NTLM and Negotiate;
    // other schemes' parameters (realm="...") are not tokens, and a lone `charset="..."` is skipped.
    for (const item of rawHeaders[i + 1]!.split(',')) {
      const match = /^([A-Za-z][\w-]*)(?:\s+(.*))?$/.exec(item.trim());
      if (!match) continue;
      const rest = match[2]?.trim() ?? '';
      offers.push(/^[A-Za-z0-9+/]+={0,2}$/.test(rest) ? { scheme: match[1]!, token: rest } : { scheme: match[1]! });
    }
  }
  return offers;
}

export const offerToken = (offers: readonly AuthOffer[], scheme: string): string | undefined =>
  offers.find((o) => o.scheme.toLowerCase() === scheme.toLowerCase() && o.token)?.token;

export const offersScheme = (offers: readonly AuthOffer[], scheme: string): boolean =>
  offers.some((o) => o.scheme.toLowerCase() === scheme.toLowerCase());
