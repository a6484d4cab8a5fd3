import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

/**
 * Syntax-level checks for Bicep files, built on the tree-sitter grammar. The real compiler
 * (`az bicep build`) is a .NET tool that cannot run here, so this catches what a parser can:
 * syntax errors, and the declarations other files depend on (parameters, resources, outputs).
 */

export interface SyntaxProblem {
  kind: 'syntax error' | 'missing token';
  /** 1-based, like an editor. */
  line: number;
  column: number;
  /** What the parser saw (error) or expected (missing), trimmed for a one-line message. */
  near: string;
}

export interface BicepParam {
  name: string;
  type: string;
  /** A param with a default (or a nullable type) may be left out of a parameters file. */
  optional: boolean;
  /** Decorator calls with whitespace collapsed, e.g. `minLength(4)`, `secure()`. */
  decorators: string[];
  defaultValue?: Node;
}

export interface BicepResource {
  symbol: string;
  /** Full type, e.g. `Microsoft.Web/sites/config`, also for resources nested in a parent. */
  type: string;
  apiVersion: string;
  existing: boolean;
  line: number;
  /** The resource body object, unwrapped from `if (...)` and `[for ...]`. */
  body?: Node;
}

export interface BicepOutline {
  params: Map<string, BicepParam>;
  resources: BicepResource[];
  outputs: Map<string, { type: string }>;
  /** Variable name -> value expression. */
  variables: Map<string, Node>;
}

export interface ParsedBicep {
  tree: Tree;
  problems: SyntaxProblem[];
  outline: BicepOutline;
}

const require = createRequire(import.meta.url);
let parserReady: Promise<Parser> | undefined;

/** One parser per process: loading the wasm runtime and grammar is the slow part. */
export function bicepParser(): Promise<Parser> {
  parserReady ??= (async () => {
    await Parser.init();
    const grammar = await Language.load(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm'));
    return new Parser().setLanguage(grammar);
  })();
  return parserReady;
}

export async function parseBicep(source: string): Promise<ParsedBicep> {
  const tree = (await bicepParser()).parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree: the Bicep grammar did not load');
  return { tree, problems: syntaxProblems(tree.rootNode), outline: outline(tree.rootNode) };
}

/** Every ERROR and MISSING node, in source order. Only subtrees flagged hasError are walked. */
export function syntaxProblems(root: Node): SyntaxProblem[] {
  const found: SyntaxProblem[] = [];
  const visit = (node: Node): void => {
    if (node.isMissing || node.isError) {
      found.push({
        kind: node.isMissing ? 'missing token' : 'syntax error',
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        near: node.isMissing ? node.type : oneLine(node.text),
      });
      if (node.isMissing) return;
    }
    for (const child of node.children) if (child.hasError || child.isMissing) visit(child);
  };
  if (root.hasError) visit(root);
  return found;
}

export function formatProblems(file: string, problems: SyntaxProblem[]): string {
  return problems.map((p) => `${file}:${p.line}:${p.column}: ${p.kind} near ${JSON.stringify(p.near)}`).join('\n');
}

export function outline(root: Node): BicepOutline {
  const params = new Map<string, BicepParam>();
  const outputs = new Map<string, { type: string }>();
  const variables = new Map<string, Node>();
  for (const node of root.namedChildren) {
    if (node.type === 'parameter_declaration') {
      const [name, type, defaultValue] = node.namedChildren;
      if (!name || !type) continue;
      params.set(name.text, {
        name: name.text,
        type: type.text,
        optional: defaultValue !== undefined || type.text.trim().endsWith('?'),
        decorators: decoratorsOf(node),
        defaultValue,
      });
    } else if (node.type === 'output_declaration') {
      const [name, type] = node.namedChildren;
      if (name && type) outputs.set(name.text, { type: type.text });
    } else if (node.type === 'variable_declaration') {
      const [name, value] = node.namedChildren;
      if (name && value) variables.set(name.text, value);
    }
  }
  return { params, resources: resourcesIn(root, undefined), outputs, variables };
}

/** Resources at this level and, recursively, those nested in their bodies (`resource x 'config' = {}`). */
function resourcesIn(container: Node, parentType: string | undefined): BicepResource[] {
  const found: BicepResource[] = [];
  const declarations = parentType === undefined
    ? container.namedChildren.filter((n) => n.type === 'resource_declaration')
    : container.namedChildren.flatMap((n) => (n.type === 'object_property' ? n.namedChildren : [])).filter((n) => n.type === 'resource_declaration');
  for (const node of declarations) {
    const [symbol, typeString] = node.namedChildren;
    if (!symbol || !typeString) continue;
    const [typeName = '', apiVersion = ''] = (stringLiteral(typeString) ?? '').split('@');
    // A nested child names only its own segment; the parent supplies the rest.
    const type = parentType !== undefined && !typeName.includes('.') ? `${parentType}/${typeName}` : typeName;
    const body = resourceBody(node);
    found.push({
      symbol: symbol.text,
      type,
      apiVersion,
      existing: node.children.some((c) => c.type === 'existing'),
      line: node.startPosition.row + 1,
      body,
    });
    if (body) found.push(...resourcesIn(body, type));
  }
  return found;
}

function resourceBody(declaration: Node): Node | undefined {
  let node = declaration.namedChildren.at(-1);
  while (node && node.type !== 'object') {
    // `if (cond) {...}` ends with the object; `[for x in xs: body]` has body as its last named child.
    node = node.type === 'if_statement' || node.type === 'for_statement' ? node.namedChildren.at(-1) : undefined;
  }
  return node;
}

function decoratorsOf(declaration: Node): string[] {
  const group = declaration.previousNamedSibling;
  if (group?.type !== 'decorators') return [];
  return group.namedChildren.map((d) => d.text.replace(/^@/, '').replace(/\s+/g, ' ').trim());
}

/** Value of an object property by dotted path, e.g. `properties.siteConfig.linuxFxVersion`. */
export function propertyAt(object: Node | undefined, path: string): Node | undefined {
  let current = object;
  for (const key of path.split('.')) {
    if (current?.type !== 'object') return undefined;
    current = propertiesOf(current).get(key);
  }
  return current;
}

/** Direct properties of an object node, keyed by their (unquoted) names. */
export function propertiesOf(object: Node): Map<string, Node> {
  const props = new Map<string, Node>();
  for (const prop of object.namedChildren) {
    if (prop.type !== 'object_property') continue;
    const [key, value] = prop.namedChildren;
    if (!key || !value || key.type === 'resource_declaration') continue;
    props.set(key.type === 'string' ? (stringLiteral(key) ?? key.text) : key.text.replace(/\?$/, ''), value);
  }
  return props;
}

export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/**
 * The JSON value of a literal expression (strings without interpolation, numbers, booleans,
 * null, and arrays/objects of those); undefined for anything that needs evaluating.
 */
export function literalValue(node: Node | undefined): Literal | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string': return stringLiteral(node);
    case 'number': return Number(node.text);
    case 'boolean': return node.text === 'true';
    case 'null': return null;
    case 'unary_expression': {
      const operand = literalValue(node.namedChildren[0]);
      return node.text.startsWith('-') && typeof operand === 'number' ? -operand : undefined;
    }
    case 'array': {
      const items = node.namedChildren.filter((n) => n.type !== 'comment' && n.type !== 'decorators').map(literalValue);
      return items.every((v) => v !== undefined) ? (items as Literal[]) : undefined;
    }
    case 'object': {
      const result: { [key: string]: Literal } = {};
      for (const [key, value] of propertiesOf(node)) {
        const v = literalValue(value);
        if (v === undefined) return undefined;
        result[key] = v;
      }
      return result;
    }
    default: return undefined;
  }
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };

/** Content of a '...' string with escapes resolved; undefined if it interpolates `${...}`. */
export function stringLiteral(node: Node): string | undefined {
  if (node.type !== 'string' || node.namedChildren.some((c) => c.type === 'interpolation')) return undefined;
  const raw = node.text;
  if (raw.startsWith("'''")) return raw.slice(3, -3).replace(/^\r?\n/, '');
  return raw.slice(1, -1).replace(/\\(u\{[0-9a-fA-F]+\}|.)/g, (_, e: string) =>
    e.startsWith('u{') ? String.fromCodePoint(parseInt(e.slice(2, -1), 16)) : (ESCAPES[e] ?? e));
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
