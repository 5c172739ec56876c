import type { EdgeTypes } from '@xyflow/svelte';
import ShapeEdge from './ShapeEdge.svelte';

/** Edge types for SvelteFlow: a constant, like the node types. */
export const EDGE_TYPES: EdgeTypes = { shape: ShapeEdge };
