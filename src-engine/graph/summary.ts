/**
 * A graph as PyTorch's print(model) lists it, with torchinfo's extra columns: each node in forward
 * order with its type and attributes, output shape and parameter count, and the totals with the
 * memory they take (float32: 4 bytes per number; activations and their gradients per sample).
 */
import { ACTIVATIONS, layerDef } from '../layers';
import type { GraphSpec } from './types';
import { analyzeGraph } from './validate';

export interface SummaryRow {
  id: string;
  type: string;
  /** The non-default attributes, as PyTorch prints a module: `Linear(in_features=2, out_features=4)`. */
  repr: string;
  inputs: string[];
  width: number | undefined;
  params: number;
}

export interface GraphSummary {
  rows: SummaryRow[];
  params: number;
  /** Bytes of the parameters (and as many again for their gradients while training). */
  paramBytes: number;
  /** Bytes of activations and their gradients for one sample (a batch of n takes n times as much). */
  activationBytesPerSample: number;
  /**
   * Whether a nonlinearity stands between two layers with weights. Without one the network is a
   * single linear map (the lecture's proof: W₂(W₁x) = (W₂W₁)x) and draws one straight boundary,
   * whatever its depth — no seed or learning rate makes it learn XOR.
   */
  hiddenNonlinear: boolean;
}

/** The summary of a valid graph; nodes that cannot be inferred show an unknown width. */
export function summarizeGraph(graph: GraphSpec, bytesPerNumber = 4): GraphSummary {
  const a = analyzeGraph(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const order = a.order.length ? a.order : graph.nodes.map((n) => n.id);
  const rows = order.map((id): SummaryRow => {
    const node = byId.get(id)!;
    const def = layerDef(node.type);
    const attrs = a.attrs[id] ?? {};
    const inW = (node.in ?? []).map((s) => a.widths[s]);
    const width = a.widths[id];
    let params = 0;
    if (def?.params && width !== undefined && inW.every((w) => w !== undefined)) {
      for (const p of def.params(attrs, inW as number[], width)) params += p.shape.reduce((x, y) => x * y, 1);
    }
    const shown = def ? def.attrs.filter((s) => attrs[s.name] !== undefined && attrs[s.name] !== s.default).map((s) => `${s.name}=${String(attrs[s.name])}`) : [];
    const head = node.type === 'Linear' ? [`in_features=${inW[0] ?? '?'}`, `out_features=${width ?? '?'}`] : node.type === 'Input' ? [`size=${width ?? '?'}`] : [];
    const rest = node.type === 'Linear' ? shown.filter((s) => !s.startsWith('units=')) : node.type === 'Input' ? [] : shown;
    return { id, type: node.type, repr: `${node.type}(${[...head, ...rest].join(', ')})`, inputs: node.in ?? [], width, params };
  });
  const params = rows.reduce((s, r) => s + r.params, 0);
  const activations = rows.reduce((s, r) => s + (r.width ?? 0), 0);
  return { rows, params, paramBytes: params * bytesPerNumber, activationBytesPerSample: 2 * activations * bytesPerNumber, hiddenNonlinear: hiddenNonlinear(graph, order, rows) };
}

/** True when some nonlinear node (an activation, or Maxout) feeds, directly or not, a node with weights. */
function hiddenNonlinear(graph: GraphSpec, order: readonly string[], rows: readonly SummaryRow[]): boolean {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const weighted = new Set(rows.filter((r) => r.params > 0).map((r) => r.id));
  // afterNonlinear[id]: a nonlinear node lies on some path into id's output (id included).
  const afterNonlinear = new Map<string, boolean>();
  for (const id of order) {
    const node = byId.get(id);
    if (!node) continue;
    const upstream = (node.in ?? []).some((s) => afterNonlinear.get(s));
    if (upstream && weighted.has(id)) return true;
    afterNonlinear.set(id, upstream || node.type in ACTIVATIONS || node.type === 'Maxout');
  }
  return false;
}
