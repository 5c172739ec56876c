/**
 * The canvas graph: xyflow nodes and edges held as `$state.raw` arrays that are replaced, never
 * mutated, plus what the engine says about them (widths, issues). Converts to and from GraphSpec.
 */
import { untrack } from 'svelte';
import type { Edge, Node } from '@xyflow/svelte';
import { t as tr } from '../lib/i18n/index.svelte';
import { inferWidths, LAYER_CATALOG, validateGraph } from '../lib/engine';
import { autoLayout } from '../lib/layout';
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

/** Nodes and the edges between them, copied (Ctrl+C) to be pasted (Ctrl+V) or duplicated (Ctrl+D). */
export interface Clip {
  nodes: { id: string; type: string; attrs: Record<string, AttrValue>; position: { x: number; y: number } }[];
  edges: { source: string; target: string }[];
}

/** Roughly how large a node is on the canvas (flow units), for placing and laying out. */
export const NODE_SIZE = { width: 150, height: 70 };

export class GraphState {
  #nodes = $state.raw<LayerNode[]>([]);
  #edges = $state.raw<Edge[]>([]);
  #inputWidth = $state<number | null>(null);
  #spec = $state.raw<GraphSpec>({ nodes: [], outputs: [] });
  #specKey = '';

  /** The canvas's nodes (xyflow binds to them: a drag sets a new array on every move). */
  get nodes(): LayerNode[] {
    return this.#nodes;
  }
  set nodes(nodes: LayerNode[]) {
    const before = this.#nodes;
    this.#nodes = nodes;
    // A move or a selection keeps every node's data: the network is the same.
    if (nodes.length !== before.length || nodes.some((n, i) => n.id !== before[i].id || n.data !== before[i].data)) this.respec();
  }
  get edges(): Edge[] {
    return this.#edges;
  }
  set edges(edges: Edge[]) {
    this.#edges = edges;
    this.respec();
  }
  /** Width of the dataset's input rows; Input nodes take it automatically. */
  get inputWidth(): number | null {
    return this.#inputWidth;
  }
  set inputWidth(width: number | null) {
    this.#inputWidth = width;
    this.respec();
  }
  /**
   * The engine's view of the canvas. It is set only when the network changes, not when a node moves:
   * what depends on it (checks, widths, the pictures, every node's badges) is not even looked at
   * during a drag, which with hundreds of nodes is what keeps dragging smooth.
   */
  get spec(): GraphSpec {
    return this.#spec;
  }
  /** The visible part of the canvas in flow coordinates, set by the canvas (new nodes land inside it). */
  visible: (() => { x: number; y: number; width: number; height: number }) | null = null;
  /** Bumped on every load(), so the canvas can fit the view to a newly opened graph. */
  loads = $state(0);

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

  /**
   * Adds a node of `type` at `position` (flow coordinates), or inside the visible canvas — right of the
   * last node when that is in view, else at the view's centre — and selects it; returns its id.
   */
  add(type: string, position?: { x: number; y: number }): string {
    const id = this.freshId(type);
    const at = position ?? this.freePlace();
    const node: LayerNode = { id, type: 'layer', position: at, data: { type, attrs: defaultAttrs(type) }, selected: true };
    this.nodes = [...this.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node];
    return id;
  }

  /** Selects one node (the inspector shows it), deselecting the rest. */
  select(nodeId: string): void {
    this.nodes = this.nodes.map((n) => (n.id === nodeId ? (n.selected ? n : { ...n, selected: true }) : n.selected ? { ...n, selected: false } : n));
  }

  /** Where a node added without a position goes: never outside the visible canvas. */
  private freePlace(): { x: number; y: number } {
    const view = this.visible?.();
    const last = this.nodes.at(-1);
    const next = last ? { x: last.position.x + 200, y: last.position.y } : { x: 0, y: 0 };
    if (!view) return next;
    const inside = (p: { x: number; y: number }) => p.x >= view.x && p.y >= view.y && p.x + NODE_SIZE.width <= view.x + view.width && p.y + NODE_SIZE.height <= view.y + view.height;
    if (inside(next)) return next;
    const centre = { x: view.x + view.width / 2 - NODE_SIZE.width / 2, y: view.y + view.height / 2 - NODE_SIZE.height / 2 };
    // Several adds in a row step down-right from the centre instead of piling up.
    const taken = (p: { x: number; y: number }) => this.nodes.some((n) => Math.abs(n.position.x - p.x) < 20 && Math.abs(n.position.y - p.y) < 20);
    let p = centre;
    for (let k = 1; taken(p) && k < 20; k++) p = { x: centre.x + 24 * k, y: centre.y + 24 * k };
    return p;
  }

  /**
   * The top-left corner for a w×h group inside `view` that covers no node: the free spot nearest the
   * view's centre (a paste never hides what it was copied from), else the centre itself.
   */
  private freeBox(view: { x: number; y: number; width: number; height: number }, w: number, h: number): { x: number; y: number } {
    const centre = { x: view.x + Math.max(10, (view.width - w) / 2), y: view.y + Math.max(10, (view.height - h) / 2) };
    const gap = 16;
    const boxes = this.nodes.map((n) => ({ x: n.position.x, y: n.position.y, w: n.measured?.width ?? NODE_SIZE.width, h: n.measured?.height ?? NODE_SIZE.height }));
    const free = (x: number, y: number) => boxes.every((b) => x + w + gap <= b.x || b.x + b.w + gap <= x || y + h + gap <= b.y || b.y + b.h + gap <= y);
    const step = Math.max(20, Math.min(w, h) / 2);
    const spots: { x: number; y: number; d: number }[] = [];
    for (let y = view.y + 10; y + h <= view.y + view.height - 10; y += step) {
      for (let x = view.x + 10; x + w <= view.x + view.width - 10; x += step) spots.push({ x, y, d: (x - centre.x) ** 2 + (y - centre.y) ** 2 });
    }
    spots.sort((a, b) => a.d - b.d);
    const spot = spots.find((p) => free(p.x, p.y));
    return spot ? { x: spot.x, y: spot.y } : centre;
  }

  /** The selected nodes (or `ids`) with the edges between them. */
  copy(ids?: readonly string[]): Clip | null {
    const chosen = new Set(ids ?? this.nodes.filter((n) => n.selected).map((n) => n.id));
    if (chosen.size === 0) return null;
    return {
      nodes: this.nodes.filter((n) => chosen.has(n.id)).map((n) => ({ id: n.id, type: n.data.type, attrs: { ...n.data.attrs }, position: { ...n.position } })),
      edges: this.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)).map((e) => ({ source: e.source, target: e.target })),
    };
  }

  /** Pastes a clip with fresh ids, centred in the visible canvas (or offset from the original), selected. */
  paste(clip: Clip): string[] {
    const view = this.visible?.();
    const minX = Math.min(...clip.nodes.map((n) => n.position.x));
    const minY = Math.min(...clip.nodes.map((n) => n.position.y));
    const w = Math.max(...clip.nodes.map((n) => n.position.x)) - minX + NODE_SIZE.width;
    const h = Math.max(...clip.nodes.map((n) => n.position.y)) - minY + NODE_SIZE.height;
    const origin = view ? this.freeBox(view, w, h) : { x: minX + 40, y: minY + 40 };
    const ids = new Map<string, string>();
    const added: LayerNode[] = [];
    for (const n of clip.nodes) {
      const id = this.freshId(n.type, [...ids.values()]);
      ids.set(n.id, id);
      added.push({ id, type: 'layer', position: { x: origin.x + n.position.x - minX + 12, y: origin.y + n.position.y - minY + 12 }, data: { type: n.type, attrs: { ...n.attrs } }, selected: true });
    }
    this.nodes = [...this.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...added];
    this.edges = [...this.edges, ...clip.edges.map((e) => edge(ids.get(e.source)!, ids.get(e.target)!))];
    return [...ids.values()];
  }

  selectAll(): void {
    this.nodes = this.nodes.map((n) => (n.selected ? n : { ...n, selected: true }));
  }

  /** Removes the selected nodes (and their edges). */
  removeSelected(): void {
    const gone = new Set(this.nodes.filter((n) => n.selected).map((n) => n.id));
    if (gone.size === 0) return;
    this.nodes = this.nodes.filter((n) => !gone.has(n.id));
    this.edges = this.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
  }

  /** Moves nodes to the given positions (auto-layout). */
  place(positions: Record<string, { x: number; y: number }>): void {
    this.nodes = this.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n));
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
    if (!t) return tr('unknown node');
    const arity = catalogEntry(t.data.type)?.arity ?? 'one';
    if (arity === 'none') return tr('{type} takes no inputs', { type: t.data.type });
    if (this.edges.some((e) => e.source === source && e.target === target)) return tr('already connected');
    if (arity === 'one' && this.edges.some((e) => e.target === target)) return tr('{node} already has an input', { node: target });
    if (wouldCycle(this.edges, source, target)) return tr('this edge would make a cycle');
    return null;
  }

  connect(source: string, target: string): boolean {
    if (this.connectionProblem(source, target)) return false;
    this.edges = [...this.edges, edge(source, target)];
    return true;
  }

  private respec(): void {
    untrack(() => {
      const spec = this.toSpec();
      const key = JSON.stringify(spec);
      if (key === this.#specKey) return;
      this.#specKey = key;
      this.#spec = spec;
    });
  }

  /** The engine's view: nodes with `in` from edges (in edge order), Input size from the dataset, outputs = sinks. */
  toSpec(): GraphSpec {
    const inputs = new Map<string, string[]>();
    for (const e of this.edges) {
      const list = inputs.get(e.target);
      if (list) list.push(e.source);
      else inputs.set(e.target, [e.source]);
    }
    const nodes: NodeSpec[] = this.nodes.map((n) => {
      const spec: NodeSpec = { id: n.id, type: n.data.type, ...n.data.attrs };
      if (n.data.type === 'Input') {
        if (this.inputWidth !== null) spec.size = this.inputWidth;
      } else {
        spec.in = inputs.get(n.id) ?? [];
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

  /** Replaces the canvas with `spec`, placing nodes from `layout` (or in a left-to-right row); `fit` refits the view. */
  load(spec: GraphSpec, layout: Layout, fit = true): void {
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
    // A graph without positions for some node (an imported model) is laid out whole, left to right.
    if (spec.nodes.some((n) => !layout[n.id])) this.place(autoLayout(this.nodes, this.edges, NODE_SIZE));
    if (fit) this.loads++;
  }

  private freshId(type: string, also: readonly string[] = []): string {
    const base = type.toLowerCase().replace(/[^a-z0-9]/g, '');
    const taken = new Set([...this.nodes.map((n) => n.id), ...also]);
    let i = 1;
    while (taken.has(`${base}${i}`)) i++;
    return `${base}${i}`;
  }

  private firstBlocker(): string | null {
    if (this.nodes.length === 0) return tr('The graph is empty: add an Input and some layers.');
    if (!this.nodes.some((n) => n.data.type === 'Input')) return tr('The graph has no Input node.');
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
