/**
 * Live training charts mounted with {@attach}: each chart is created once, and a nested $effect
 * writes the run's (replaced) history into it and calls chart.update('none') — no re-creation,
 * no animation, so hundreds of epochs a second stay cheap.
 */
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { Chart } from '../../lib/chart';
import type { MetricPoint } from '../../../../src-main/api';

const PALETTE = ['#3b6fd8', '#e07b39', '#1f8a4c', '#9c4dcc', '#c9372c', '#0f9aa8', '#8a6d1f', '#555e68'];

type Series = { label: string; data: { x: number; y: number }[]; axis?: 'y' | 'y1' };

function lineChart(canvas: HTMLCanvasElement, yTitle: string, logY: boolean): Chart<'line', { x: number; y: number }[]> {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      elements: { point: { radius: 0 }, line: { borderWidth: 2, tension: 0 } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 11 } } } },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { maxTicksLimit: 8 } },
        y: { type: logY ? 'logarithmic' : 'linear', title: { display: yTitle !== '', text: yTitle }, ticks: { maxTicksLimit: 6, callback: (v) => compact(Number(v)) } },
        // Accuracy (0–1) on its own right-hand axis, shown only when a series uses it.
        y1: { type: 'linear', position: 'right', display: 'auto', min: 0, max: 1, title: { display: true, text: 'accuracy' }, grid: { drawOnChartArea: false } },
      },
    },
  });
}

/** Short tick labels (narrow charts clip long ones): 0.05, 1e-4, 2e+10. */
function compact(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(0) : String(Number(v.toPrecision(2)));
}

/** Updates the chart's datasets in place (keeps object identity so chart.js does not rebuild them). */
function setSeries(chart: Chart<'line', { x: number; y: number }[]>, series: Series[]): void {
  const ds = chart.data.datasets;
  const last = Math.max(0, ...series.map((s) => s.data.at(-1)?.x ?? 0));
  chart.options.scales!.x!.max = last > 0 ? last : undefined;
  ds.length = series.length;
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    if (ds[i]) {
      ds[i].label = s.label;
      ds[i].data = s.data;
      ds[i].yAxisID = s.axis ?? 'y';
    } else ds[i] = { label: s.label, data: s.data, borderColor: color, backgroundColor: color, yAxisID: s.axis ?? 'y' };
  });
  // The series names, for tests and screen readers (the canvas itself is opaque).
  chart.canvas.dataset.series = series.map((s) => s.label).join(',');
  chart.update('none');
}

function pick(history: MetricPoint[], key: 'loss' | 'val_loss' | 'accuracy' | 'val_accuracy'): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (const p of history) {
    const v = p[key];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ x: p.epoch, y: v });
  }
  return out;
}

/** Loss (and validation loss / accuracy when the points carry them) per epoch. */
export function lossChart(get: () => MetricPoint[]): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = untrack(() => lineChart(canvas, 'loss', false));
    $effect(() => {
      const history = get();
      const series: Series[] = [{ label: 'loss', data: pick(history, 'loss') }];
      for (const key of ['val_loss', 'accuracy', 'val_accuracy'] as const) {
        const data = pick(history, key);
        if (data.length) series.push({ label: key.replace('_', ' '), data, axis: key.includes('accuracy') ? 'y1' : 'y' });
      }
      setSeries(chart, series);
    });
    return () => chart.destroy();
  };
}

/** Per-layer gradient norms ‖∂L/∂W‖ per epoch (log scale). */
export function gradChart(get: () => MetricPoint[]): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = untrack(() => lineChart(canvas, '‖∂L/∂W‖', true));
    $effect(() => {
      const byNode = new Map<string, { x: number; y: number }[]>();
      for (const p of get()) {
        for (const [node, v] of Object.entries(p.grad_norms ?? {})) {
          if (!(v > 0) || !Number.isFinite(v)) continue;
          let arr = byNode.get(node);
          if (!arr) byNode.set(node, (arr = []));
          arr.push({ x: p.epoch, y: v });
        }
      }
      setSeries(chart, [...byNode.entries()].map(([label, data]) => ({ label, data })));
    });
    return () => chart.destroy();
  };
}

/**
 * The optimizer's own numbers per epoch (point.optimizer: LM μ, CG β, Adam's effective step, …), one
 * line per key, plus the learning rate when a schedule changes it. Log scale when every value is > 0.
 */
export function optimizerChart(get: () => { history: MetricPoint[]; schedule: boolean }): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = untrack(() => lineChart(canvas, '', true));
    $effect(() => {
      const { history, schedule } = get();
      const byKey = new Map<string, { x: number; y: number }[]>();
      const push = (key: string, x: number, y: number) => {
        if (!Number.isFinite(y)) return;
        let arr = byKey.get(key);
        if (!arr) byKey.set(key, (arr = []));
        arr.push({ x, y });
      };
      for (const p of history) for (const [k, v] of Object.entries(p.optimizer ?? {})) push(k, p.epoch, v);
      const lrs = history.filter((p) => typeof p.lr === 'number');
      if (lrs.length && (schedule || lrs.some((p) => p.lr !== lrs[0].lr))) for (const p of lrs) push('lr', p.epoch, p.lr!);
      const series = [...byKey.entries()].map(([label, data]) => ({ label, data }));
      const positive = series.every((s) => s.data.every((d) => d.y > 0));
      chart.options.scales!.y!.type = positive ? 'logarithmic' : 'linear';
      setSeries(chart, series);
    });
    return () => chart.destroy();
  };
}
