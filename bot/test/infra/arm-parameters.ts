import type { BicepParam } from './bicep-syntax.js';

/**
 * Checks an ARM deployment parameters file (azure.parameters.json) against the params a Bicep
 * file declares. Teams Toolkit fills `${{NAME}}` placeholders from env/.env.* before deploying,
 * so a placeholder must sit in the value of a param the template really has.
 */

export interface Placeholder {
  /** The Bicep param whose value holds it. */
  param: string;
  /** The env variable Teams Toolkit substitutes, e.g. BOT_ID. */
  variable: string;
}

export interface ParametersFileReport {
  problems: string[];
  placeholders: Placeholder[];
}

const PLACEHOLDER = /\$\{\{([A-Za-z0-9_]+)\}\}/g;
const HAS_PLACEHOLDER = /\$\{\{[A-Za-z0-9_]+\}\}/;

export function checkParametersFile(file: unknown, declared: Map<string, BicepParam>): ParametersFileReport {
  const problems: string[] = [];
  const placeholders: Placeholder[] = [];
  const entries = isObject(file) ? file['parameters'] : undefined;
  if (!isObject(entries)) {
    return { problems: ['the file has no "parameters" object (expected an ARM deploymentParameters file)'], placeholders };
  }

  for (const [name, entry] of Object.entries(entries)) {
    const param = declared.get(name);
    if (!param) {
      problems.push(`"${name}" is set in the parameters file but the Bicep declares no such param`);
      continue;
    }
    if (!isObject(entry) || (!('value' in entry) && !('reference' in entry))) {
      problems.push(`"${name}" needs a "value" (or a Key Vault "reference")`);
      continue;
    }
    const strings = stringsIn(entry['value']);
    for (const s of strings) {
      for (const match of s.matchAll(PLACEHOLDER)) placeholders.push({ param: name, variable: match[1]! });
      // `${{` left over after removing well-formed placeholders means a typo Teams Toolkit won't fill.
      if (s.replace(PLACEHOLDER, '').includes('${{')) problems.push(`"${name}" has a malformed placeholder in ${JSON.stringify(s)}`);
    }
    // A secure param's value must come from the environment, never be committed here.
    const committedSecret = strings.some((s) => s !== '' && !HAS_PLACEHOLDER.test(s));
    if (param.decorators.includes('secure()') && committedSecret) {
      problems.push(`"${name}" is @secure() but has a literal value: use a \${{SECRET_...}} placeholder or a Key Vault reference`);
    }
  }

  for (const param of declared.values()) {
    if (!param.optional && !(param.name in entries)) {
      problems.push(`"${param.name}" has no default in the Bicep and no value in the parameters file`);
    }
  }
  return { problems, placeholders };
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isObject(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
