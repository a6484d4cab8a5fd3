/** Loopback host names: localhost, 127.x.y.z and ::1 (bracketed as in URLs, or bare as in HOST). */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}
