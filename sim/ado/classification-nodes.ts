import type { ApiContext, ApiRequest, ApiResult } from './api.js';
import { adoErrors } from './errors.js';
import type { SimNode, SimProject } from './model.js';
import { nodeView } from './views.js';

/**
 * `{project}/_apis/wit/classificationNodes[/{areas|iterations}[/{path}]]` (Classification Nodes_*,
 * wit 7.1): reads by path or by `ids`, and the writes of the official examples: create a child
 * (201), move a node under another (`{"id": n}`), rename or re-date one (PATCH), and delete one,
 * reclassifying its work items to `$reclassifyId` (204).
 */
const ok = (body: unknown): ApiResult => ({ status: 200, body });

type Located = { node: SimNode; path: string; parent: SimNode | null };

/** Every node of a tree with its work item path (`Phoenix\Web`) and its parent. */
function locate(root: SimNode): Located[] {
  const out: Located[] = [];
  const walk = (node: SimNode, path: string, parent: SimNode | null): void => {
    out.push({ node, path, parent });
    for (const c of node.children) walk(c, `${path}\\${c.name}`, node);
  };
  walk(root, root.name, null);
  return out;
}

/** The `parentPath` nodeView wants: `\Project\Area\Web` for the node `Phoenix\Web\Checkout`. */
function viewParentPath(project: SimProject, node: SimNode, path: string): string | undefined {
  const parts = path.split('\\').slice(1, -1);
  if (path === project.name) return undefined;
  return [`\\${project.name}\\${node.structureType === 'area' ? 'Area' : 'Iteration'}`, ...parts].join('\\');
}

function view(ctx: ApiContext, project: SimProject, at: Located, depth: number): Record<string, unknown> {
  return nodeView(ctx.base, project, at.node, depth, viewParentPath(project, at.node, at.path));
}

function groupOf(project: SimProject, raw: string): SimNode {
  const g = raw.toLowerCase();
  if (g === 'areas') return project.areas;
  if (g === 'iterations') return project.iterations;
  throw adoErrors.badRequest(`The structure group '${raw}' is not valid; use 'areas' or 'iterations'.`);
}

export function classificationNodes(ctx: ApiContext, req: ApiRequest, project: SimProject): ApiResult {
  const depth = Number(req.query.get('$depth') ?? 0) || 0;
  const [, , groupRaw, ...pathParts] = req.rest;
  if (!groupRaw) {
    // A write without a structure group is what the client library sends for TreeStructureGroup.Areas
    // (it drops the 0): refuse it loudly, never with a 404 the library turns into null.
    if (req.method !== 'GET') throw adoErrors.badRequest('The structure group is missing: write to classificationNodes/areas or classificationNodes/iterations.');
    const ids = req.query.get('ids');
    if (!ids) return list([view(ctx, project, locate(project.areas)[0]!, depth), view(ctx, project, locate(project.iterations)[0]!, depth)]);
    const all = [...locate(project.areas), ...locate(project.iterations)];
    const omit = (req.query.get('errorPolicy') ?? '').toLowerCase() === 'omit';
    return list(ids.split(',').map((x) => {
      const at = all.find((a) => a.node.id === Number(x.trim()));
      if (!at && !omit) throw adoErrors.nodeNotFound(x.trim());
      return at ? view(ctx, project, at, depth) : null;
    }));
  }
  const root = groupOf(project, groupRaw);
  const relPath = pathParts.join('/').split(/[\\/]/).filter(Boolean);
  const fullPath = [project.name, ...relPath].join('\\');
  const tree = locate(root);
  const at = tree.find((a) => a.path.toLowerCase() === fullPath.toLowerCase());
  if (!at) throw adoErrors.nodeNotFound(relPath.join('\\'));
  const body = (req.body ?? {}) as { id?: unknown; name?: unknown; attributes?: { startDate?: string | null; finishDate?: string | null } };

  if (req.method === 'GET') return ok(view(ctx, project, at, depth));
  if (req.method === 'POST' && body.id !== undefined && body.name === undefined) return ok(move(ctx, project, tree, at, Number(body.id)));
  if (req.method === 'POST') {
    const name = String(body.name ?? '').trim();
    if (!name) throw adoErrors.badRequest('The classification node needs a name.');
    if (at.node.children.some((c) => c.name.toLowerCase() === name.toLowerCase())) throw adoErrors.classificationNodeExists(name);
    const node: SimNode = { id: ctx.state.nextNodeId++, identifier: crypto.randomUUID(), name, structureType: root.structureType, children: [] };
    setDates(node, body.attributes);
    at.node.children.push(node);
    return { status: 201, body: view(ctx, project, { node, path: `${at.path}\\${name}`, parent: at.node }, 0) };
  }
  if (req.method === 'PATCH') {
    if (typeof body.name === 'string' && body.name.trim() && at.parent) {
      const name = body.name.trim();
      if (at.parent.children.some((c) => c !== at.node && c.name.toLowerCase() === name.toLowerCase())) throw adoErrors.classificationNodeExists(name);
      const newPath = `${at.path.slice(0, at.path.length - at.node.name.length)}${name}`;
      at.node.name = name;
      repath(ctx, project, root.structureType, at.path, newPath);
      at.path = newPath;
    }
    setDates(at.node, body.attributes);
    return ok(view(ctx, project, at, depth));
  }
  if (req.method === 'DELETE') {
    if (!at.parent) throw adoErrors.badRequest(`The root node ${at.path} cannot be deleted.`);
    const reclassifyId = Number(req.query.get('$reclassifyId'));
    const into = tree.find((a) => a.node.id === reclassifyId && !a.path.toLowerCase().startsWith(at.path.toLowerCase()));
    if (!into) throw adoErrors.badRequest(`Deleting ${at.path} needs $reclassifyId: the id of a node outside it for its work items.`);
    at.parent.children = at.parent.children.filter((c) => c !== at.node);
    repath(ctx, project, root.structureType, at.path, into.path, true);
    return { status: 204, body: undefined };
  }
  throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
}

const list = (value: unknown[]): ApiResult => ok({ count: value.length, value });

function setDates(node: SimNode, attributes: { startDate?: string | null; finishDate?: string | null } | undefined): void {
  if (!attributes || node.structureType !== 'iteration') return;
  if (attributes.startDate !== undefined) node.startDate = attributes.startDate ?? undefined;
  if (attributes.finishDate !== undefined) node.finishDate = attributes.finishDate ?? undefined;
}

/** POST `{"id": n}` to a node: node n (with its subtree) becomes its child. */
function move(ctx: ApiContext, project: SimProject, tree: Located[], under: Located, id: number): Record<string, unknown> {
  const moving = tree.find((a) => a.node.id === id);
  if (!moving || !moving.parent) throw adoErrors.nodeNotFound(String(id));
  if (under.path.toLowerCase().startsWith(moving.path.toLowerCase())) throw adoErrors.badRequest(`The node ${moving.path} cannot be moved under itself.`);
  if (under.node.children.some((c) => c.name.toLowerCase() === moving.node.name.toLowerCase())) throw adoErrors.classificationNodeExists(moving.node.name);
  moving.parent.children = moving.parent.children.filter((c) => c !== moving.node);
  under.node.children.push(moving.node);
  const newPath = `${under.path}\\${moving.node.name}`;
  repath(ctx, project, moving.node.structureType, moving.path, newPath);
  return view(ctx, project, { node: moving.node, path: newPath, parent: under.node }, 0);
}

/**
 * Work items and team settings follow a node that is renamed, moved or deleted (into another
 * node). The server rewrites the stored paths; the simulator does it in place, without revisions.
 */
function repath(ctx: ApiContext, project: SimProject, kind: SimNode['structureType'], from: string, to: string, collapse = false): void {
  const field = kind === 'iteration' ? 'System.IterationPath' : 'System.AreaPath';
  const moved = (p: string): string | null => {
    const low = p.toLowerCase();
    if (low === from.toLowerCase()) return to;
    if (!low.startsWith(`${from.toLowerCase()}\\`)) return null;
    return collapse ? to : `${to}${p.slice(from.length)}`;
  };
  for (const item of ctx.state.items.values()) {
    if (item.projectId !== project.id) continue;
    const next = moved(String(item.fields[field] ?? ''));
    if (next) item.fields[field] = next;
  }
  for (const team of project.teams) {
    if (field === 'System.IterationPath') {
      team.iterations = [...new Set(team.iterations.flatMap((p) => (moved(p) === null ? [p] : collapse ? [] : [moved(p)!])))];
    } else {
      team.areas = team.areas.map((a) => ({ ...a, value: moved(a.value) ?? a.value }));
      team.defaultArea = moved(team.defaultArea) ?? team.defaultArea;
    }
  }
}
