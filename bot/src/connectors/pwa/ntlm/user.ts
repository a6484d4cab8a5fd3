/**
 * Splits an on-premises sign-in name into what NTLM sends.
 * - `CONTOSO\pwa.admin` (down-level logon name): domain `CONTOSO`, user `pwa.admin`.
 * - `pwa.admin@contoso.local` (UPN): user `pwa.admin@contoso.local`, domain empty. This is what
 *   Windows itself sends for a UPN, and it stays right when the UPN suffix is not a domain name.
 * - `pwa.admin` or `.\pwa.admin`: domain empty, so the server's own domain applies.
 */
export interface NtlmUser {
  domain: string;
  user: string;
}

export function parseNtlmUser(signIn: string): NtlmUser {
  const text = signIn.trim();
  const slash = text.indexOf('\\');
  if (slash >= 0) {
    const domain = text.slice(0, slash);
    return { domain: domain === '.' ? '' : domain, user: text.slice(slash + 1) };
  }
  return { domain: '', user: text };
}

/** The name as Windows shows it (`DOMAIN\user`, or the UPN). */
export const displayNtlmUser = (u: NtlmUser): string => (u.domain ? `${u.domain}\\${u.user}` : u.user);
