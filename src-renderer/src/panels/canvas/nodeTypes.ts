import type { NodeTypes } from '@xyflow/svelte';
import LayerNodeView from './LayerNode.svelte';

/** Node types for SvelteFlow: a constant, so the flow never sees a new object and re-mounts nodes. */
export const NODE_TYPES: NodeTypes = { layer: LayerNodeView };
