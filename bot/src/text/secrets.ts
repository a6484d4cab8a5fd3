/**
 * Recognises text that looks like a credential, so replies and logs never repeat it. Patterns
 * are specific (token formats, `key=value` with a secret-ish key, URL passwords) plus one
 * catch-all for long mixed-case random strings; ids we show on purpose (GUIDs, lowercase hex
 * hashes, work item numbers, names) do not match. Prefixes are bounded so a 4,000-character
 * message costs milliseconds, not a quadratic backtrack.
 */
const PATTERNS: readonly RegExp[] = [
  // JSON Web Tokens (Entra access and id tokens): three base64url parts, the first a JSON header.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  // Azure DevOps PATs: the 84-character format carries "AZDO" at 76-79; the older one is 52 base32 characters.
  /\b[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}\b/g,
  /\b(?=[a-z2-7]*[2-7])(?=[a-z2-7]*[a-z])[a-z2-7]{52}\b/g,
  // Credentials in a URL: scheme://user:password@host.
  /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s/?#@:]{0,200}:[^\s/?#@]+@/gi,
  // Authorization header values.
  /\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // key=value or key: value where the key names a secret (password=..., "pat": "...", AccountKey=...).
  /\b[\w-]{0,40}(?:password|passwd|pwd|secret|token|pat|api[-_]?key|accountkey|sharedaccesskey|sig)["']?\s*[:=]\s*["']?[^\s"',;&]+/gi,
  // Well-known vendor prefixes: GitHub, Slack, AWS access key ids, OpenAI-style keys.
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{20,})\b/g,
  // Anything else long and random: 32+ token characters with upper case, lower case and digits
  // ('/' ends a run, so URL paths stay readable).
  /(?<![\w~+=.-])(?=[\w~+=.-]*[A-Z])(?=[\w~+=.-]*[a-z])(?=[\w~+=.-]*\d)[\w~+=.-]{32,}/g,
];

export interface SecretSpan {
  start: number;
  end: number;
}

/** Every stretch of `text` that looks like a credential, merged and in order. */
export function findSecrets(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) spans.push({ start: match.index, end: match.index + match[0].length });
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: SecretSpan[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

export function looksLikeSecret(text: string): boolean {
  return findSecrets(text).length > 0;
}

/** `text` with every secret-looking stretch replaced, for echoing what someone typed. */
export function maskSecrets(text: string, mask = '[hidden]'): string {
  let out = '';
  let from = 0;
  for (const span of findSecrets(text)) {
    out += text.slice(from, span.start) + mask;
    from = span.end;
  }
  return out + text.slice(from);
}
