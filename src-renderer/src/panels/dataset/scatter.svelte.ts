/**
 * A chart.js scatter of a 2-D dataset's points coloured by label, mounted with {@attach}. The chart
 * is created once; a nested $effect pushes new data into it when the dataset changes.
 */
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { Chart } from '../../lib/chart';
import { argmax } from '../../lib/engine';
import type { DatasetView } from '../../../../src-main/api';

const COLORS = ['#e07b39', '#3b6fd8', '#1f8a4c', '#9c4dcc', '#c9372c', '#0f9aa8'];

function label(y: number[]): number {
  if (y.length === 1) return y[0] >= 0.5 ? 1 : 0;
  return argmax(y);
}

function datasets(view: DatasetView) {
  const pts = view.points ?? view.x;
  const groups = new Map<number, { x: number; y: number }[]>();
  pts.forEach((p, i) => {
    const k = label(view.y[i] ?? [0]);
    groups.set(k, [...(groups.get(k) ?? []), { x: p[0], y: p[1] }]);
  });
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, data]) => ({ label: `class ${k}`, data, backgroundColor: COLORS[k % COLORS.length], pointRadius: pts.length > 50 ? 2.5 : 5 }));
}

export function scatter(get: () => DatasetView | null): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = untrack(
      () =>
        new Chart(canvas, {
          type: 'scatter',
          data: { datasets: [] },
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            plugins: { legend: { display: false } },
            scales: { x: { ticks: { maxTicksLimit: 5 } }, y: { ticks: { maxTicksLimit: 5 } } },
          },
        }),
    );
    $effect(() => {
      const view = get();
      chart.data.datasets = view ? datasets(view) : [];
      chart.update('none');
    });
    return () => chart.destroy();
  };
}
