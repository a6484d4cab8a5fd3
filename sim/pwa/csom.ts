import { randomUUID } from 'node:crypto';
import { PsError } from './errors.js';
import type { PwaService } from './service.js';
import type { SimUser } from './model.js';

/**
 * `/_vti_bin/client.svc/ProcessQuery`, the CSOM endpoint, for the one call REST lacks:
 * `DraftTask.SetCustomFieldValue(fieldName, value)`. Object paths are resolved from
 * `Constructor(ProjectServer) > Projects > GetByGuid > Draft > Tasks > GetByGuid`.
 */

/** CSOM type id of PS.ProjectServer, used by the Constructor object path. */
export const PROJECT_SERVER_TYPE_ID = '{3a609e5f-e2a1-497c-87a2-e5e8a781c096}';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Enough XML for CSOM requests: elements, attributes, text; no DTDs or CDATA. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const re = /<\?[^>]*\?>|<!--[\s\S]*?-->|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const top = stack.at(-1)!;
    if (m[5] !== undefined) { top.text += decode(m[5]); continue; }
    if (!m[2]) continue;
    if (m[1]) {
      if (top.name !== m[2]) throw new Error(`Mismatched closing tag </${m[2]}>.`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    const node: XmlNode = { name: m[2], attrs, children: [], text: '' };
    top.children.push(node);
    if (!m[4]) stack.push(node);
  }
  if (stack.length !== 1) throw new Error('Unclosed element in the request body.');
  return root;
}

function parameterValue(p: XmlNode): unknown {
  switch (p.attrs.Type) {
    case 'Null': return null;
    case 'Boolean': return p.text.trim() === 'true';
    case 'Number': case 'Double': case 'Int32': return Number(p.text);
    case 'Array': return p.children.map(parameterValue);
    default: return p.text;
  }
}

type Resolved = { kind: 'server' } | { kind: 'projects' } | { kind: 'project'; id: string } | { kind: 'draft'; id: string }
  | { kind: 'draftTasks'; id: string } | { kind: 'draftTask'; id: string; taskId: string };

function guidParam(node: XmlNode): string {
  const p = node.children.find((c) => c.name === 'Parameters')?.children[0];
  return (p?.text ?? '').replace(/[{}]/g, '').trim().toLowerCase();
}

export function processQuery(service: PwaService, user: SimUser, body: string): unknown[] {
  const header = { SchemaVersion: '15.0.0.0', LibraryVersion: '16.0.10337.12109', ErrorInfo: null as unknown, TraceCorrelationId: randomUUID() };
  const fail = (message: string, code: number, type: string): unknown[] => {
    header.ErrorInfo = { ErrorMessage: message, ErrorValue: null, TraceCorrelationId: header.TraceCorrelationId, ErrorCode: code, ErrorTypeName: type };
    return [header];
  };
  let request: XmlNode | undefined;
  try {
    request = parseXml(body).children.find((c) => c.name === 'Request');
  } catch (err) {
    return fail(`The request body is not valid XML: ${(err as Error).message}`, -2147024809, 'System.ArgumentException');
  }
  if (!request) return fail('The request has no Request element.', -2147024809, 'System.ArgumentException');
  const paths = new Map<string, XmlNode>();
  for (const node of request.children.find((c) => c.name === 'ObjectPaths')?.children ?? []) paths.set(node.attrs.Id ?? '', node);

  const resolve = (id: string): Resolved => {
    const node = paths.get(id);
    if (!node) throw new Error(`Object path ${id} is not defined.`);
    if (node.name === 'Constructor' || node.name === 'StaticProperty') {
      if (node.attrs.TypeId?.toLowerCase() !== PROJECT_SERVER_TYPE_ID) throw new Error(`Unknown type ${node.attrs.TypeId ?? ''}.`);
      return { kind: 'server' };
    }
    const parent = resolve(node.attrs.ParentId ?? '');
    const step = `${node.name}:${node.attrs.Name ?? ''}`;
    if (parent.kind === 'server' && step === 'Property:Projects') return { kind: 'projects' };
    if (parent.kind === 'projects' && step === 'Method:GetByGuid') return { kind: 'project', id: guidParam(node) };
    if (parent.kind === 'project' && step === 'Property:Draft') return { kind: 'draft', id: parent.id };
    if (parent.kind === 'draft' && step === 'Property:Tasks') return { kind: 'draftTasks', id: parent.id };
    if (parent.kind === 'draftTasks' && step === 'Method:GetByGuid') return { kind: 'draftTask', id: parent.id, taskId: guidParam(node) };
    throw new Error(`The object path ${step} is not supported by the simulator.`);
  };

  const results: unknown[] = [header];
  for (const action of request.children.find((c) => c.name === 'Actions')?.children ?? []) {
    try {
      if (action.name === 'ObjectPath' || action.name === 'ObjectIdentityQuery') continue;
      const target = resolve(action.attrs.ObjectPathId ?? '');
      if (action.name !== 'Method' || action.attrs.Name !== 'SetCustomFieldValue' || target.kind !== 'draftTask') {
        throw new Error(`The action ${action.name} ${action.attrs.Name ?? ''} is not supported by the simulator.`);
      }
      const params = action.children.find((c) => c.name === 'Parameters')?.children ?? [];
      const [fieldName, value] = params.map(parameterValue);
      const project = service.project(target.id);
      service.setTaskCustomField(project, user, target.taskId, String(fieldName ?? ''), value);
    } catch (err) {
      if (err instanceof PsError) {
        const code = Number.parseInt(err.code, 10);
        return fail(err.message, Number.isFinite(code) ? code : -1, err.code.split(', ')[1] ?? 'Microsoft.SharePoint.SPException');
      }
      return fail((err as Error).message, -1, 'Microsoft.SharePoint.Client.InvalidClientQueryException');
    }
  }
  return results;
}
