import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The PS entity types of a real `$metadata` dump (`../shared/specs/pwa`), with inherited members
 * resolved, so a payload can be checked property by property against the types the server declares.
 */

export interface CsdlProperty {
  type: string;
  nullable: boolean;
}

export interface CsdlEntityType {
  name: string;
  open: boolean;
  abstract: boolean;
  properties: Map<string, CsdlProperty>;
  navigations: Set<string>;
}

export type CsdlSchema = Map<string, CsdlEntityType>;
export type DumpName = '2019' | 'spo';

const FILES: Record<DumpName, string> = { '2019': 'PS-namespace.2019.csdl.xml', spo: 'PS-namespace.spo.csdl.xml' };

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}

export function loadCsdl(dump: DumpName): CsdlSchema {
  const xml = readFileSync(fileURLToPath(new URL(`../../../../../shared/specs/pwa/${FILES[dump]}`, import.meta.url)), 'utf8');
  const raw = new Map<string, { base: string | null; tag: string; body: string }>();
  for (const m of xml.matchAll(/<EntityType\b([^>]*?)(?:\/>|>([\s\S]*?)<\/EntityType>)/g)) {
    raw.set(attr(m[1]!, 'Name')!, { base: attr(m[1]!, 'BaseType')?.replace(/^PS\./, '') ?? null, tag: m[1]!, body: m[2] ?? '' });
  }
  const schema: CsdlSchema = new Map();
  for (const [name, t] of raw) {
    const properties = new Map<string, CsdlProperty>();
    const navigations = new Set<string>();
    // Walk from the root base type down, so a derived type's declaration wins.
    const chain: Array<{ body: string }> = [];
    for (let n: string | null = name; n; n = raw.get(n)?.base ?? null) chain.unshift(raw.get(n)!);
    for (const link of chain) {
      for (const p of link.body.matchAll(/<Property\b([^>]*)\/>/g)) {
        properties.set(attr(p[1]!, 'Name')!, { type: attr(p[1]!, 'Type')!, nullable: attr(p[1]!, 'Nullable') !== 'false' });
      }
      for (const p of link.body.matchAll(/<NavigationProperty\b([^>]*)\/>/g)) navigations.add(attr(p[1]!, 'Name')!);
    }
    schema.set(`PS.${name}`, { name: `PS.${name}`, open: attr(t.tag, 'OpenType') === 'true', abstract: attr(t.tag, 'Abstract') === 'true', properties, navigations });
  }
  return schema;
}
