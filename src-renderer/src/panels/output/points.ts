/** The data set's points as the pictures draw them: position, label (class or signed value), train or test. */
import { argmax, splitOf, type TrainingBlock } from '../../lib/engine';
import type { PlotPoint } from '../../lib/heatmap';
import type { DatasetView } from '../../../../src-main/api';

/** Number of classes of a classification view (index column or one-hot rows). */
export function classCount(view: DatasetView): number {
  if (view.task !== 'classification' || view.y.length === 0) return 0;
  if (view.y[0].length > 1) return view.y[0].length;
  return Math.max(2, 1 + Math.max(...view.y.map((r) => r[0])));
}

export function plotPoints(view: DatasetView, training: TrainingBlock): PlotPoint[] {
  const pts = view.points ?? [];
  const test = new Set(splitOf(pts.length, training).split.test);
  const regression = view.task === 'regression';
  const scale = regression ? Math.max(1e-12, ...view.y.map((r) => Math.abs(r[0]))) : 1;
  return pts.map(([x, y], i) => {
    const t = view.y[i];
    const label = regression ? t[0] / Math.max(1, scale) : t.length > 1 ? argmax(t) : t[0];
    return { x, y, label, test: test.has(i) };
  });
}
