import { NeurographError } from '../errors';
import { layerDef, type Attrs, type LayerDef } from '../layers';
import type { GraphSpec, NodeSpec } from './types';

/** One problem with a graph, tied to the node (and field) the canvas should mark. */
export interface GraphIssue {
  severity: 'error' | 'warning';
  message: string;
  nodeId?: string;
  field?: string;
  /** Path in the model JSON, e.g. `nodes[3].units`. */
  path?: string;
  /** The nodes involved, e.g. those forming a cycle. */
  nodes?: string[];
}

/** Limits that keep an absurd graph from being allocated at all. */
export const LIMITS = {
  maxNodes: 500,
  maxWidth: 1_000_000,
  maxParams: 20_000_000,
};

export interface GraphAnalysis {
  issues: GraphIssue[];
  /** Node ids in topological order (only when there is no cycle). */
  order: string[];
  /** Output width per node (where it could be inferred). */
  widths: Record<string, number>;
  /** Attributes with defaults filled in, per node. */
  attrs: Record<string, Attrs>;
  paramCount: number;
  inputId: string | null;
}

const FRAME_KEYS = new Set(['id', 'type', 'in', 'label']);
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype']);
const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

export function formatBytes(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(1)} TB`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1e3))} kB`;
}

function checkAttrs(node: NodeSpec, def: LayerDef, at: string, issues: GraphIssue[]): Attrs {
  const out: Attrs = Object.create(null);
  const err = (field: string, message: string) =>
    issues.push({ severity: 'error', nodeId: node.id, field, path: `${at}.${field}`, message: `${node.id}: ${message}` });
  for (const key of Object.keys(node)) {
    if (FRAME_KEYS.has(key) || def.attrs.some((a) => a.name === key)) continue;
    const known = def.attrs.map((a) => a.name).join(', ') || 'none';
    err(key, `unknown attribute '${key}' for ${def.type} (known: ${known})`);
  }
  for (const spec of def.attrs) {
    const raw = node[spec.name];
    if (raw === undefined || raw === null) {
      out[spec.name] = spec.default;
      continue;
    }
    if (spec.kind === 'bool') {
      if (typeof raw !== 'boolean') err(spec.name, `${spec.name} must be true or false, got ${JSON.stringify(raw)}`);
      else out[spec.name] = raw;
      continue;
    }
    if (spec.kind === 'enum') {
      if (typeof raw !== 'string' || !spec.options?.includes(raw)) {
        err(spec.name, `${spec.name} must be one of ${spec.options?.join(', ')}, got ${JSON.stringify(raw)}`);
      } else out[spec.name] = raw;
      continue;
    }
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      err(spec.name, `${spec.name} must be a finite number, got ${JSON.stringify(raw)}`);
      continue;
    }
    if (spec.kind === 'int' && !Number.isInteger(raw)) {
      err(spec.name, `${spec.name} must be a whole number, got ${raw}`);
      continue;
    }
    const lowBad = spec.min !== undefined && (spec.exclusive ? raw <= spec.min : raw < spec.min);
    const highBad = spec.max !== undefined && (spec.exclusive ? raw >= spec.max : raw > spec.max);
    if (lowBad || highBad) {
      const lo = spec.min !== undefined ? `${spec.exclusive ? '>' : '≥'} ${spec.min}` : '';
      const hi = spec.max !== undefined ? `${spec.exclusive ? '<' : '≤'} ${spec.max}` : '';
      err(spec.name, `${spec.name} must be ${[lo, hi].filter(Boolean).join(' and ')}, got ${raw}`);
      continue;
    }
    if (spec.kind === 'int' && (spec.name === 'units' || spec.name === 'size') && raw > LIMITS.maxWidth) {
      err(spec.name, `${spec.name} ${raw} is far too large (limit ${LIMITS.maxWidth}); one row of it alone needs ${formatBytes(raw * 4)}`);
      continue;
    }
    out[spec.name] = raw;
  }
  return out;
}

/** Finds one cycle among `ids` (DFS), returned as the list of node ids along it. */
function findCycle(ids: string[], inputs: Map<string, string[]>): string[] {
  const color = new Map<string, number>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    color.set(id, 1);
    stack.push(id);
    for (const src of inputs.get(id) ?? []) {
      if (!inputs.has(src)) continue;
      if (color.get(src) === 1) return stack.slice(stack.indexOf(src)).reverse();
      if (!color.get(src)) {
        const c = visit(src);
        if (c) return c;
      }
    }
    stack.pop();
    color.set(id, 2);
    return null;
  };
  for (const id of ids) {
    if (!color.get(id)) {
      const c = visit(id);
      if (c) return c;
    }
  }
  return ids;
}

/**
 * Checks a GraphSpec without allocating anything: ids, types, attributes, connections, cycles,
 * reachability, widths (shape inference) and the parameter count. Never throws.
 */
export function analyzeGraph(spec: GraphSpec): GraphAnalysis {
  const issues: GraphIssue[] = [];
  const res: GraphAnalysis = { issues, order: [], widths: Object.create(null), attrs: Object.create(null), paramCount: 0, inputId: null };
  const nodes = Array.isArray(spec?.nodes) ? spec.nodes : [];
  if (nodes.length === 0) issues.push({ severity: 'error', message: 'the graph has no nodes', path: 'nodes' });
  if (nodes.length > LIMITS.maxNodes) {
    issues.push({ severity: 'error', message: `the graph has ${nodes.length} nodes (limit ${LIMITS.maxNodes})`, path: 'nodes' });
    return res;
  }
  const byId = new Map<string, NodeSpec>();
  const defs = new Map<string, LayerDef>();
  const inputs = new Map<string, string[]>();
  nodes.forEach((node, i) => {
    const at = `nodes[${i}]`;
    if (!node || typeof node !== 'object' || typeof node.id !== 'string' || !ID_RE.test(node.id) || RESERVED_IDS.has(node.id)) {
      issues.push({ severity: 'error', path: `${at}.id`, message: `${at}: id must be 1–64 letters, digits or _ . : - (got ${JSON.stringify(node?.id)})` });
      return;
    }
    if (byId.has(node.id)) {
      issues.push({ severity: 'error', nodeId: node.id, path: `${at}.id`, message: `duplicate node id '${node.id}'` });
      return;
    }
    byId.set(node.id, node);
    const def = typeof node.type === 'string' ? layerDef(node.type) : undefined;
    if (!def) {
      issues.push({ severity: 'error', nodeId: node.id, field: 'type', path: `${at}.type`, message: `${node.id}: unknown node type ${JSON.stringify(node.type)}` });
      return;
    }
    defs.set(node.id, def);
    res.attrs[node.id] = checkAttrs(node, def, at, issues);
    const ins = node.in ?? [];
    if (!Array.isArray(ins) || ins.some((s) => typeof s !== 'string')) {
      issues.push({ severity: 'error', nodeId: node.id, field: 'in', path: `${at}.in`, message: `${node.id}: 'in' must be a list of node ids` });
      inputs.set(node.id, []);
      return;
    }
    inputs.set(node.id, ins);
    if (def.arity === 'none' && ins.length > 0) {
      issues.push({ severity: 'error', nodeId: node.id, field: 'in', path: `${at}.in`, message: `${node.id}: an Input takes no inputs` });
    } else if (def.arity === 'one' && ins.length === 0) {
      issues.push({ severity: 'error', nodeId: node.id, field: 'in', path: `${at}.in`, message: `${node.id}: not connected — ${def.type} needs one input` });
    } else if (def.arity === 'one' && ins.length > 1) {
      issues.push({ severity: 'error', nodeId: node.id, field: 'in', path: `${at}.in`, message: `${node.id}: ${def.type} takes one input, got ${ins.length} (${ins.join(', ')}); merge them with Add or Concat first` });
    } else if (def.arity === 'many' && ins.length < 2) {
      issues.push({ severity: 'error', nodeId: node.id, field: 'in', path: `${at}.in`, message: `${node.id}: ${def.type} needs at least two inputs, got ${ins.length}` });
    }
  });
  nodes.forEach((node, i) => {
    for (const src of inputs.get(node?.id) ?? []) {
      if (!byId.has(src)) {
        issues.push({ severity: 'error', nodeId: node.id, field: 'in', path: `nodes[${i}].in`, message: `${node.id}: input '${src}' does not exist` });
      }
    }
  });
  const inputIds = [...defs].filter(([, d]) => d.type === 'Input').map(([id]) => id);
  if (inputIds.length === 0) issues.push({ severity: 'error', message: 'the graph has no Input node', path: 'nodes' });
  if (inputIds.length > 1) {
    issues.push({ severity: 'error', nodes: inputIds, nodeId: inputIds[1], message: `only one Input node is supported, found ${inputIds.join(', ')}` });
  }
  res.inputId = inputIds[0] ?? null;

  // Topological order (Kahn); whatever is left sits on or behind a cycle.
  const ids = [...inputs.keys()];
  const indeg = new Map(ids.map((id) => [id, (inputs.get(id) ?? []).filter((s) => inputs.has(s)).length]));
  const consumers = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const s of inputs.get(id) ?? []) if (inputs.has(s)) consumers.get(s)!.push(id);
  const queue = ids.filter((id) => indeg.get(id) === 0);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    order.push(id);
    for (const c of consumers.get(id)!) {
      indeg.set(c, indeg.get(c)! - 1);
      if (indeg.get(c) === 0) queue.push(c);
    }
  }
  if (order.length < ids.length) {
    const left = ids.filter((id) => !order.includes(id));
    const cycle = findCycle(left, inputs);
    const msg = cycle.length === 1 ? `node ${cycle[0]} feeds itself (self-loop)` : `cycle: ${[...cycle, cycle[0]].join(' → ')}`;
    issues.push({ severity: 'error', nodes: cycle, nodeId: cycle[0], message: msg });
    return res;
  }
  res.order = order;

  // Outputs and reachability.
  const outputs = Array.isArray(spec?.outputs) ? spec.outputs : [];
  if (outputs.length === 0) issues.push({ severity: 'error', path: 'outputs', message: 'the graph has no output (outputs is empty)' });
  outputs.forEach((o, i) => {
    if (!inputs.has(o)) issues.push({ severity: 'error', path: `outputs[${i}]`, message: `output '${o}' is not a node of the graph` });
  });
  const reachesOutput = new Set<string>();
  const stack = outputs.filter((o) => inputs.has(o));
  while (stack.length) {
    const id = stack.pop()!;
    if (reachesOutput.has(id)) continue;
    reachesOutput.add(id);
    for (const s of inputs.get(id) ?? []) if (inputs.has(s)) stack.push(s);
  }
  if (outputs.length) {
    for (const id of order) {
      if (!reachesOutput.has(id)) issues.push({ severity: 'error', nodeId: id, message: `${id}: does not reach an output` });
    }
  }

  // Shape inference and the parameter count, before anything is allocated.
  for (const id of order) {
    const def = defs.get(id);
    const attrs = res.attrs[id];
    if (!def || !attrs) continue;
    const ins = inputs.get(id) ?? [];
    const inW = ins.map((s) => res.widths[s]);
    if (inW.some((w) => w === undefined)) continue;
    if ((def.arity === 'one' && inW.length !== 1) || (def.arity === 'many' && inW.length < 2)) continue; // arity already reported
    const w = def.width(attrs, inW);
    if (typeof w === 'string') {
      issues.push({ severity: 'error', nodeId: id, message: `${id}: ${w}` });
      continue;
    }
    res.widths[id] = w;
    for (const p of def.params?.(attrs, inW, w) ?? []) res.paramCount += p.shape.reduce((a, b) => a * b, 1);
  }
  if (res.paramCount > LIMITS.maxParams) {
    const bytes = res.paramCount * 4 * 4;
    issues.push({
      severity: 'error',
      path: 'nodes',
      message: `the model would have ${res.paramCount.toLocaleString('en')} parameters and need about ${formatBytes(bytes)} (weights, gradients and optimizer state); the limit is ${LIMITS.maxParams.toLocaleString('en')} parameters`,
    });
  }
  return res;
}

/** The problems with a graph (empty when it can be compiled). */
export function validateGraph(spec: GraphSpec): GraphIssue[] {
  return analyzeGraph(spec).issues;
}

/** Output width of every node whose width can be inferred. */
export function inferWidths(spec: GraphSpec): Record<string, number> {
  return analyzeGraph(spec).widths;
}

/** Thrown by compile() when a graph has errors; carries every issue. */
export class GraphError extends NeurographError {
  constructor(readonly issues: GraphIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const first = errors[0];
    super(errors.map((i) => (i.path && !i.nodeId ? `${i.path}: ${i.message}` : i.message)).join('; '), 'invalid_model', first?.path ?? first?.nodeId);
  }
}
