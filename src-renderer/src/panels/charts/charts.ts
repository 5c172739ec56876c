/**
 * What each training chart shows, built from run histories: loss (and validation loss, accuracy),
 * per-layer gradient norms with the stretches where a health flag held shaded, an optimizer's own
 * numbers, and the epochs where the learning rate was changed by hand. Used by the run's charts and by
 * the compare view (one colour per run).
 */
import type { HealthKind, MetricPoint } from '../../lib/engine';
import { t } from '../../lib/i18n/index.svelte';
import { bands, PALETTE, series, type Band, type Marker, type PlotData, type PlotSeries } from '../../lib/plot';

export type XMode = 'epoch' | 'time';

export interface RunLine {
  key: string;
  label: string;
  color: string;
  history: readonly MetricPoint[];
}

export const HEALTH_COLORS: Record<HealthKind, string> = {
  vanishing: 'rgba(59, 111, 216, 0.13)',
  exploding: 'rgba(201, 55, 44, 0.15)',
  nan: 'rgba(201, 55, 44, 0.3)',
  dead: 'rgba(85, 94, 104, 0.16)',
  saturated: 'rgba(224, 123, 57, 0.15)',
  spike: 'rgba(156, 77, 204, 0.14)',
};

export const xOf = (mode: XMode) => (p: MetricPoint): number | undefined => (mode === 'time' ? p.t : p.epoch);
export const xTitle = (mode: XMode) => (mode === 'time' ? t('seconds of training') : t('epoch'));

type Opts = { log: boolean; smoothing: number };

/** Epochs where the learning rate was set by hand, as chart markers. */
export function lrMarkers(history: readonly MetricPoint[], mode: XMode = 'epoch'): Marker[] {
  const x = xOf(mode);
  return history.filter((p) => p.lr_set !== undefined).map((p) => ({ x: x(p) ?? p.epoch, label: `lr ${p.lr_set}` }));
}

/** One run: loss, validation loss, accuracy (right axis) when the points carry them. */
export function lossData(history: readonly MetricPoint[], o: Opts): PlotData {
  const lines: PlotSeries[] = [{ key: 'loss', label: t('loss'), color: PALETTE[0], points: series(history, (p) => p.epoch, (p) => p.loss, o) }];
  const extra: [keyof MetricPoint, string, string, 'y' | 'y1'][] = [
    ['val_loss', t('val loss'), PALETTE[1], 'y'],
    ['accuracy', t('accuracy'), PALETTE[2], 'y1'],
    ['val_accuracy', t('val accuracy'), PALETTE[3], 'y1'],
  ];
  for (const [key, label, color, axis] of extra) {
    const points = series(history, (p) => p.epoch, (p) => p[key] as number | undefined, { ...o, log: axis === 'y' && o.log });
    if (points.length) lines.push({ key, label, color, points, axis, dash: key.startsWith('val') ? [5, 3] : undefined });
  }
  return { series: lines, markers: lrMarkers(history) };
}

/** Several runs on one metric: one colour per run. */
export function overlay(runs: readonly RunLine[], metric: (p: MetricPoint) => number | undefined, o: Opts & { x: XMode }): PlotData {
  return {
    series: runs.map((r) => ({ key: r.key, label: r.label, color: r.color, points: series(r.history, xOf(o.x), metric, o) })),
    xTitle: xTitle(o.x),
  };
}

/** The first health condition of a point (for shading), restricted to one node when given. */
function conditionOf(p: MetricPoint, node?: string): string | null {
  const h = p.health;
  if (!h) return null;
  const kinds = node ? h[node] : Object.values(h).flat();
  return kinds?.[0] ?? null;
}

/** ‖∂L/∂W‖ per layer (log scale), with the stretches where any health condition held shaded. */
export function gradData(history: readonly MetricPoint[], o: Opts): PlotData {
  const layers = [...new Set(history.flatMap((p) => Object.keys(p.grad_norms ?? {})))];
  const lines = layers.map((node, i) => ({ key: node, label: node, color: PALETTE[i % PALETTE.length], points: series(history, (p) => p.epoch, (p) => p.grad_norms?.[node], { ...o, log: o.log }) }));
  const shaded: Band[] = bands(history, (p) => p.epoch, (p) => conditionOf(p), (k) => HEALTH_COLORS[k as HealthKind] ?? HEALTH_COLORS.spike);
  for (const b of shaded) b.label = t(b.label);
  return { series: lines, bands: shaded, markers: lrMarkers(history) };
}

/** The keys of an optimizer's own numbers in a history, plus lr when it changes (schedule or by hand). */
export function internalKeys(history: readonly MetricPoint[], schedule: boolean): string[] {
  const keys = new Set<string>();
  for (const p of history) for (const k of Object.keys(p.optimizer ?? {})) keys.add(k);
  const lrs = history.filter((p) => typeof p.lr === 'number');
  if (lrs.length && (schedule || lrs.some((p) => p.lr !== lrs[0].lr))) keys.add('lr');
  return [...keys];
}

/** One optimizer number over the epochs, on its own scale. */
export function internalData(history: readonly MetricPoint[], key: string, o: Opts, color = PALETTE[0]): PlotData {
  const get = key === 'lr' ? (p: MetricPoint) => p.lr : (p: MetricPoint) => p.optimizer?.[key];
  return { series: [{ key, label: key, color, points: series(history, (p) => p.epoch, get, o) }], markers: lrMarkers(history) };
}

/** Per-layer numbers of the last epoch, for the health table. */
export interface LayerRow {
  node: string;
  grad?: number;
  weight?: number;
  ratio?: number;
  dead?: number;
  saturated?: number;
  kinds: HealthKind[];
}

export function layerRows(p: MetricPoint | undefined): LayerRow[] {
  if (!p) return [];
  const nodes = [...new Set([...Object.keys(p.grad_norms ?? {}), ...Object.keys(p.dead ?? {}), ...Object.keys(p.saturated ?? {})])];
  return nodes.map((node) => ({
    node,
    grad: p.grad_norms?.[node],
    weight: p.weight_norms?.[node],
    ratio: p.update_ratios?.[node],
    dead: p.dead?.[node],
    saturated: p.saturated?.[node],
    kinds: p.health?.[node] ?? [],
  }));
}
