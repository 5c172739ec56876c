/**
 * The engine as the renderer sees it: the catalog face (src-engine/catalog.ts) and nothing else —
 * catalogs, graph validation and width inference, the training block's check and defaults. Training,
 * data and files go through the api.
 */
export * from '../../../src-engine/catalog';
import type { AttrSpec, LayerInfo } from '../../../src-engine/catalog';
import { LOSS_CATALOG } from '../../../src-engine/catalog';

/** Losses the trainer accepts, with what the output layer should produce. */
export const LOSS_OPTIONS: readonly { name: string; label: string; expects: string }[] = LOSS_CATALOG.map((l) => ({ name: l.name, label: l.label, expects: l.expects }));

/** One node type as the palette and inspector see it: the engine's own types. */
export type CatalogAttr = AttrSpec;
export type CatalogEntry = LayerInfo;
