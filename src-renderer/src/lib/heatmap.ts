/**
 * The Playground's pictures on a canvas: a value in [−1, 1] per grid cell, coloured orange (−1) →
 * near-white (0) → blue (+1) (its d3 scale), optionally discretized to the sign; several classes
 * coloured by the winning class with the winner's margin as strength. Points drawn on top, train
 * points with a white ring and test points with a black one, as the Playground does.
 */
import { PALETTE } from './plot';

const NEG = [245, 147, 34];
const MID = [232, 234, 235];
const POS = [8, 119, 189];

/** The Playground's colour for v in [−1, 1]. */
export function signedColor(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const [a, b] = t < 0 ? [MID, NEG] : [MID, POS];
  const k = Math.abs(t);
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
}

export const css = (c: readonly number[]) => `rgb(${c[0] | 0}, ${c[1] | 0}, ${c[2] | 0})`;

/** Class colours: the Playground's two for binary problems, then the chart palette. */
export function classColor(k: number, classes: number): string {
  if (classes <= 2) return css(k === 0 ? NEG : POS);
  return PALETTE[k % PALETTE.length];
}

function hexRgb(color: string): [number, number, number] {
  if (color.startsWith('rgb')) return color.match(/\d+/g)!.slice(0, 3).map(Number) as [number, number, number];
  const n = parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Paints res × res signed values (row 0 at the top) into `canvas` (its pixel size is set to res), or,
 * with `classes` > 1 and width = classes, the winning class per cell.
 */
export function paintGrid(canvas: HTMLCanvasElement, res: number, values: ArrayLike<number>, opts: { width?: number; unit?: number; discretize?: boolean; classes?: number; toSigned?: (v: number) => number } = {}): void {
  const width = opts.width ?? 1;
  const unit = opts.unit ?? 0;
  if (canvas.width !== res) canvas.width = res;
  if (canvas.height !== res) canvas.height = res;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(res, res);
  const classes = opts.classes ?? 0;
  const tints = classes > 2 ? Array.from({ length: classes }, (_, k) => hexRgb(classColor(k, classes))) : [];
  for (let i = 0; i < res * res; i++) {
    let rgb: readonly number[];
    if (classes > 2) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (values[i * width + k] > values[i * width + best]) best = k;
      const strength = opts.discretize ? 1 : 0.35 + 0.65 * Math.max(0, Math.min(1, values[i * width + best]));
      rgb = tints[best].map((c, j) => MID[j] + (c - MID[j]) * strength);
    } else {
      let v = values[i * width + unit];
      if (opts.toSigned) v = opts.toSigned(v);
      if (opts.discretize) v = v > 0 ? 1 : v < 0 ? -1 : 0;
      rgb = signedColor(v);
    }
    img.data[i * 4] = rgb[0];
    img.data[i * 4 + 1] = rgb[1];
    img.data[i * 4 + 2] = rgb[2];
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

export interface PlotPoint {
  x: number;
  y: number;
  /** Class index (0, 1, …) or a signed value in [−1, 1] for regression. */
  label: number;
  test: boolean;
}

/** Draws points over a canvas covering [−extent, extent]², sized to its box (device pixels). */
export function paintPoints(canvas: HTMLCanvasElement, points: readonly PlotPoint[], extent: number, opts: { classes: number; regression: boolean; showTest: boolean }): void {
  const box = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(box.width * dpr));
  const h = Math.max(1, Math.round(box.height * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, w, h);
  const r = Math.max(2, 2.6 * dpr);
  for (const p of points) {
    if (p.test && !opts.showTest) continue;
    const px = ((p.x + extent) / (2 * extent)) * w;
    const py = ((extent - p.y) / (2 * extent)) * h;
    ctx.beginPath();
    ctx.arc(px, py, r, 0, 2 * Math.PI);
    ctx.fillStyle = opts.regression ? css(signedColor(p.label)) : classColor(p.label, opts.classes);
    ctx.fill();
    ctx.lineWidth = dpr;
    ctx.strokeStyle = p.test ? '#111' : '#fff';
    ctx.stroke();
  }
}
