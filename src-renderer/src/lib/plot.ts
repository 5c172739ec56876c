/**
 * Line charts for training metrics, on chart.js: series built from a run's history (sampled to a
 * bounded number of points, smoothed on request), shaded epoch stretches (health flags), vertical
 * markers (a learning rate set by hand), log or linear y, tooltips with the values. Pure functions and
 * one chart factory; Plot.svelte mounts it.
 */
import { Chart } from './chart';
import type { Plugin } from 'chart.js';
import { t } from './i18n/index.svelte';
import { cssColor } from './theme.svelte';

export type XY = { x: number; y: number };

export interface PlotSeries {
  /** Stable key (legend toggles follow it across updates). */
  key: string;
  label: string;
  color: string;
  points: XY[];
  /** Accuracy-like series (0–1) go on the right-hand axis. */
  axis?: 'y' | 'y1';
  dash?: number[];
}

/** What one chart draws. */
export interface PlotData {
  series: PlotSeries[];
  bands?: Band[];
  markers?: Marker[];
  xTitle?: string;
}

/** An epoch (or time) range to shade behind the lines, e.g. where a health flag held. */
export interface Band {
  from: number;
  to: number;
  color: string;
  label: string;
}

/** A vertical line with a label, e.g. "lr 0.001" where the learning rate was changed. */
export interface Marker {
  x: number;
  label: string;
}

export const PALETTE = ['#3b6fd8', '#e07b39', '#1f8a4c', '#9c4dcc', '#c9372c', '#0f9aa8', '#8a6d1f', '#d6477f', '#5b8c2a', '#555e68', '#2f4b9c', '#b5651d'];

/** Most points a series hands to chart.js: long runs are sampled evenly (the last point always kept). */
export const MAX_POINTS = 1500;

/**
 * A series from any list: `y(item)` skipped when undefined or not finite (or ≤ 0 on a log axis),
 * sampled to at most `max` points, smoothed by an exponential moving average with bias correction
 * (TensorBoard's) when `smoothing` > 0.
 */
export function series<T>(items: readonly T[], x: (item: T) => number | undefined, y: (item: T) => number | undefined, opts: { smoothing?: number; log?: boolean; max?: number } = {}): XY[] {
  const n = items.length;
  const stride = Math.max(1, Math.ceil(n / (opts.max ?? MAX_POINTS)));
  const a = opts.smoothing ?? 0;
  const out: XY[] = [];
  let ema = 0;
  let weight = 0;
  for (let i = 0; i < n; i += stride) {
    const at = i + stride >= n ? n - 1 : i;
    const item = items[at];
    const yv = y(item);
    const xv = x(item);
    if (yv === undefined || xv === undefined || !Number.isFinite(yv) || (opts.log && yv <= 0)) continue;
    let v = yv;
    if (a > 0) {
      ema = a * ema + (1 - a) * yv;
      weight = a * weight + (1 - a);
      v = ema / weight;
    }
    out.push({ x: xv, y: v });
    if (at === n - 1) break;
  }
  return out;
}

/** Contiguous stretches of x where `holds(item)` is true, as bands. */
export function bands<T>(items: readonly T[], x: (item: T) => number | undefined, holds: (item: T) => string | null, color: (kind: string) => string): Band[] {
  const out: Band[] = [];
  let open: Band | null = null;
  let prevX = 0;
  for (const item of items) {
    const xv = x(item);
    if (xv === undefined) continue;
    const kind = holds(item);
    if (kind && open && open.label === kind) open.to = xv;
    else {
      if (open) out.push(open);
      open = kind ? { from: prevX, to: xv, color: color(kind), label: kind } : null;
    }
    prevX = xv;
  }
  if (open) out.push(open);
  return out;
}

/** Short tick labels (narrow charts clip long ones): 0.05, 1e-4, 2e+10. */
export function compact(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(0) : String(Number(v.toPrecision(2)));
}

/** Values in tooltips: enough digits to tell close runs apart. */
export function precise(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

interface Decorations {
  bands: Band[];
  markers: Marker[];
  /** The markers' colour (the theme's). */
  color: string;
}

const decorations: Plugin<'line'> = {
  id: 'neurographDecorations',
  beforeDatasetsDraw(chart) {
    const deco = (chart.options.plugins as { neurographDecorations?: Decorations }).neurographDecorations;
    if (!deco) return;
    const { ctx, chartArea: area, scales } = chart;
    const x = scales.x;
    ctx.save();
    for (const b of deco.bands) {
      const left = Math.max(area.left, x.getPixelForValue(b.from));
      const right = Math.min(area.right, x.getPixelForValue(b.to));
      if (right <= left) continue;
      ctx.fillStyle = b.color;
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
    }
    ctx.strokeStyle = deco.color;
    ctx.fillStyle = deco.color;
    ctx.font = '10px system-ui, sans-serif';
    ctx.setLineDash([3, 3]);
    for (const m of deco.markers) {
      const px = x.getPixelForValue(m.x);
      if (px < area.left || px > area.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.fillText(m.label, Math.min(px + 3, area.right - 40), area.top + 10);
    }
    ctx.restore();
  },
};

export type LineChart = Chart<'line', XY[]>;

/** A chart with no datasets yet: linear x, y (log or linear), an accuracy axis shown when used. */
export function createLineChart(canvas: HTMLCanvasElement, yTitle: string): LineChart {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    plugins: [decorations],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      spanGaps: true,
      elements: { point: { radius: 0, hitRadius: 6, hoverRadius: 3 }, line: { borderWidth: 1.8, tension: 0 } },
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? `${(items[0].chart.options.scales?.x as { title?: { text?: string } } | undefined)?.title?.text ?? 'x'} ${precise(items[0].parsed.x ?? 0)}` : ''),
            label: (item) => `${item.dataset.label}: ${precise(item.parsed.y ?? NaN)}`,
          },
        },
      },
      scales: {
        x: { type: 'linear', title: { display: true, text: t('epoch'), font: { size: 11 } }, ticks: { maxTicksLimit: 7, callback: (v) => compact(Number(v)) } },
        y: { type: 'linear', title: { display: yTitle !== '', text: yTitle, font: { size: 11 } }, ticks: { maxTicksLimit: 6, callback: (v) => compact(Number(v)) } },
        y1: { type: 'linear', position: 'right', display: 'auto', min: 0, max: 1, title: { display: true, text: t('accuracy'), font: { size: 11 } }, grid: { drawOnChartArea: false } },
      },
    },
  });
}

type ScaleColours = { ticks?: { color?: string }; title?: { color?: string; text?: string }; grid?: { color?: string }; border?: { color?: string } };

/** Axis text, gridlines and the axis lines in the theme's colours (read from its CSS variables at each draw). */
function applyTheme(chart: LineChart): void {
  const text = cssColor('--muted', '#65717e');
  const grid = cssColor('--grid', 'rgba(0, 0, 0, 0.1)');
  const scales = (chart.config.options as { scales?: Record<string, ScaleColours> }).scales ?? {};
  for (const s of Object.values(scales)) {
    (s.ticks ??= {}).color = text;
    (s.title ??= {}).color = text;
    (s.grid ??= {}).color = grid;
    (s.border ??= {}).color = grid;
  }
  if (scales.y1?.title) scales.y1.title.text = t('accuracy');
}

/** Puts series, axes and decorations into the chart (datasets keep their identity) and redraws once. */
export function draw(chart: LineChart, s: { series: PlotSeries[]; hidden: ReadonlySet<string>; log: boolean; xTitle: string; bands?: Band[]; markers?: Marker[] }): void {
  const ds = chart.data.datasets;
  ds.length = s.series.length;
  s.series.forEach((line, i) => {
    const d = ds[i] ?? (ds[i] = { label: line.label, data: [] });
    d.label = line.label;
    d.data = line.points;
    d.borderColor = line.color;
    d.backgroundColor = line.color;
    d.yAxisID = line.axis ?? 'y';
    d.borderDash = line.dash ?? [];
    d.hidden = s.hidden.has(line.key);
  });
  const scales = chart.options.scales!;
  scales.y!.type = s.log ? 'logarithmic' : 'linear';
  (scales.x as { title: { text: string } }).title.text = s.xTitle;
  const last = Math.max(0, ...s.series.map((l) => l.points.at(-1)?.x ?? 0));
  scales.x!.max = last > 0 ? last : undefined;
  (chart.options.plugins as { neurographDecorations?: Decorations }).neurographDecorations = { bands: s.bands ?? [], markers: s.markers ?? [], color: cssColor('--marker', '#8a6d1f') };
  applyTheme(chart);
  // The series names, for tests and screen readers (the canvas itself is opaque).
  chart.canvas.dataset.series = s.series.map((l) => l.label).join(',');
  chart.update('none');
}
