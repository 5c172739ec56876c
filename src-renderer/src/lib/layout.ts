/** Auto-layout with dagre (a well-kept layered layout): inputs on the left, data flowing right. */
import dagre from '@dagrejs/dagre';

interface Box {
  id: string;
  measured?: { width?: number; height?: number };
}

/** Positions (top-left corners) for every node, ranked left to right by the edges; unmeasured nodes take `size`. */
export function autoLayout(nodes: readonly Box[], edges: readonly { source: string; target: string }[], size: { width: number; height: number }): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 64, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    const width = n.measured?.width ?? size.width;
    const height = n.measured?.height ?? size.height;
    g.setNode(n.id, { width, height });
  }
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  for (const n of nodes) {
    const p = g.node(n.id);
    out[n.id] = { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) };
  }
  return out;
}
