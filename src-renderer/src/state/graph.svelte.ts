/**
 * The canvas graph: xyflow nodes and edges held as `$state.raw` arrays that are replaced, never
 * mutated, plus what the engine says about them (widths, issues). Converts to and from GraphSpec.
 */
import type { Edge, Node } from '@xyflow/svelte';
import { inferWidths, LAYER_CATALOG, validateGraph } from '../lib/engine';
import type { AttrValue, CatalogEntry, GraphIssue, GraphSpec, NodeSpec } from '../lib/engine';
import type { Layout } from '../../../src-main/api';

export interface LayerData extends Record<string, unknown> {
  type: string;
  attrs: Record<string, AttrValue>;
}
export type LayerNode = Node<LayerData, 'layer'>;

export const CATALOG: readonly CatalogEntry[] = LAYER_CATALOG as readonly CatalogEntry[];
const BY_TYPE = new Map(CATALOG.map((e) => [e.type, e]));

export function catalogEntry(type: string): CatalogEntry | undefined {
  return BY_TYPE.get(type);
}

/** Default attribute values of a node type, from the catalog. */
function defaultAttrs(type: string): Record<string, AttrValue> {
  const attrs: Record<string, AttrValue> = {};
  for (const a of catalogEntry(type)?.attrs ?? []) attrs[a.name] = a.default;
  return attrs;
}

/** True if adding source→target would close a cycle (target already reaches source). */
export function wouldCycle(edges: readonly Edge[], source: string, target: string): boolean {
  if (source === target) return true;
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [target];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === source) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(out.get(id) ?? []));
  }
  return false;
}

export class GraphState {
  nodes = $state.raw<LayerNode[]>([]);
  edges = $state.raw<Edge[]>([]);
  /** Width of the dataset's input rows; Input nodes take it automatically. */
  inputWidth = $state<number | null>(null);
  /** Bumped on every load(), so the canvas can fit the view to a newly opened graph. */
  loads = $state(0);

  readonly spec: GraphSpec = $derived(this.toSpec());
  readonly issues: GraphIssue[] = $derived(safe(() => validateGraph(this.spec) as GraphIssue[], (e) => [{ severity: 'error' as const, message: e }]));
  readonly widths: Record<string, number> = $derived(safe(() => inferWidths(this.spec) as Record<string, number>, () => ({})));
  readonly selected: LayerNode | undefined = $derived(this.nodes.find((n) => n.selected));
  /** The first reason the graph cannot be trained, or null. */
  readonly blocker: string | null = $derived(this.firstBlocker());

  /** Issues about one node, their messages without the node id the engine prefixes. */
  issuesFor(nodeId: string): GraphIssue[] {
    const prefix = `${nodeId}: `;
    return this.issues
      .filter((i) => i.nodeId === nodeId)
      .map((i) => (i.message.startsWith(prefix) ? { ...i, message: i.message.slice(prefix.length) } : i));
  }

  /** Adds a node of `type` at `position` (flow coordinates) and selects it; returns its id. */
  add(type: string, position?: { x: number; y: number }): string {
    const id = this.freshId(type);
    const last = this.nodes.at(-1);
    const at = position ?? (last ? { x: last.position.x + 200, y: last.position.y } : { x: 0, y: 0 });
    const node: LayerNode = { id, type: 'layer', position: at, data: { type, attrs: defaultAttrs(type) }, selected: true };
    this.nodes = [...this.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node];
    return id;
  }

  setAttr(nodeId: string, name: string, value: AttrValue): void {
    this.nodes = this.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, attrs: { ...n.data.attrs, [name]: value } } } : n));
  }

  remove(nodeId: string): void {
    this.nodes = this.nodes.filter((n) => n.id !== nodeId);
    this.edges = this.edges.filter((e) => e.source !== nodeId && e.target !== nodeId);
  }

  /** Why an edge source→target may not exist, or null if it may. */
  connectionProblem(source: string, target: string): string | null {
    const t = this.nodes.find((n) => n.id === target);
    if (!t) return 'unknown node';
    const arity = catalogEntry(t.data.type)?.arity ?? 'one';
    if (arity === 'none') return `${t.data.type} takes no inputs`;
    if (this.edges.some((e) => e.source === source && e.target === target)) return 'already connected';
    if (arity === 'one' && this.edges.some((e) => e.target === target)) return `${target} already has an input`;
    if (wouldCycle(this.edges, source, target)) return 'this edge would make a cycle';
    return null;
  }

  connect(source: string, target: string): boolean {
    if (this.connectionProblem(source, target)) return false;
    this.edges = [...this.edges, edge(source, target)];
    return true;
  }

  /** The engine's view: nodes with `in` from edges (in edge order), Input size from the dataset, outputs = sinks. */
  toSpec(): GraphSpec {
    const nodes: NodeSpec[] = this.nodes.map((n) => {
      const spec: NodeSpec = { id: n.id, type: n.data.type, ...n.data.attrs };
      if (n.data.type === 'Input') {
        if (this.inputWidth !== null) spec.size = this.inputWidth;
      } else {
        spec.in = this.edges.filter((e) => e.target === n.id).map((e) => e.source);
      }
      return spec;
    });
    const hasOut = new Set(this.edges.map((e) => e.source));
    const outputs = this.nodes.filter((n) => !hasOut.has(n.id) && n.data.type !== 'Input').map((n) => n.id);
    return { nodes, outputs };
  }

  layout(): Layout {
    const layout: Layout = {};
    for (const n of this.nodes) layout[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
    return layout;
  }

  /** Replaces the canvas with `spec`, placing nodes from `layout` (or in a left-to-right row). */
  load(spec: GraphSpec, layout: Layout): void {
    this.nodes = spec.nodes.map((s, i) => {
      const { id, type, in: _in, ...attrs } = s;
      return {
        id,
        type: 'layer',
        position: layout[id] ?? { x: i * 200, y: 0 },
        data: { type, attrs: { ...defaultAttrs(type), ...(attrs as Record<string, AttrValue>) } },
      };
    });
    this.edges = spec.nodes.flatMap((s) => (s.in ?? []).map((src) => edge(src, s.id)));
    this.loads++;
  }

  private freshId(type: string): string {
    const base = type.toLowerCase().replace(/[^a-z0-9]/g, '');
    const taken = new Set(this.nodes.map((n) => n.id));
    let i = 1;
    while (taken.has(`${base}${i}`)) i++;
    return `${base}${i}`;
  }

  private firstBlocker(): string | null {
    if (this.nodes.length === 0) return 'The graph is empty: add an Input and some layers.';
    if (!this.nodes.some((n) => n.data.type === 'Input')) return 'The graph has no Input node.';
    const issue = this.issues.find((i) => i.severity !== 'warning');
    if (issue) return issue.nodeId && !issue.message.startsWith(issue.nodeId) ? `${issue.nodeId}: ${issue.message}` : issue.message;
    return null;
  }
}

function edge(source: string, target: string): Edge {
  return { id: `${source}->${target}`, source, target, type: 'shape' };
}

function safe<T>(fn: () => T, fallback: (message: string) => T): T {
  try {
    return fn();
  } catch (e) {
    return fallback(e instanceof Error ? e.message : String(e));
  }
}
