/** What the connect forms of every system check and show the same way. */
import { checkUrlText, UnsafeUrlError } from '../net/url-safety.js';

export interface AddressRules {
  localMode: boolean;
  /** The system's name in messages, e.g. "Project Web App". */
  system: string;
  /** Private addresses are judged when the client connects (PLANBRIDGE_ALLOW_PRIVATE_NETWORK); Graph has one public address. */
  allowPrivateNetwork?: boolean;
  /** Said when the field is empty. */
  missing: string;
  /** Said when the text is not a URL at all: where the right address comes from. */
  invalid: string;
}

/**
 * The URL by the shared policy (scheme, credentials, length, loopback and metadata literals) before
 * anything is sent; '' when it may be tried. No DNS lookup happens here, in a flow.
 */
export function addressProblem(url: string, rules: AddressRules): string {
  if (!url) return rules.missing;
  try {
    checkUrlText(url, { localMode: rules.localMode, ...(rules.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}) }, rules.system);
    return '';
  } catch (err) {
    if (!(err instanceof UnsafeUrlError)) throw err;
    return err.reason === 'invalid' ? rules.invalid : err.message;
  }
}

/** A checklist mark: yes, no, or not known. */
export const mark = (yes: boolean | 'unknown' | null): string => (yes === true ? '✓' : yes === false ? '✗' : '?');
