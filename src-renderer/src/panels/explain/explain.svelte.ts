/**
 * The backprop walkthrough's state: whether it is on, which sample row and mode, the Linear node whose
 * weights are tabulated, and the last models.explain reply. The canvas nodes read it to show z, a, δ.
 */
import { call, type ApiClient } from '../../lib/api';
import type { ModelExplanation } from '../../../../src-main/api';

export class ExplainState {
  open = $state(false);
  row = $state(0);
  mode = $state<'train' | 'eval'>('eval');
  /** Linear node whose weight matrix and ∂L/∂w are shown. */
  node = $state<string | null>(null);
  data = $state.raw<ModelExplanation | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  /** Guards against an older reply overwriting a newer one. */
  private seq = 0;

  /** Values of node `id` for the sample, or null when explain is off or the node is not in the reply. */
  valuesFor(id: string): { out: number[]; delta: number[] } | null {
    const d = this.data;
    if (!this.open || !d) return null;
    if (d.activations[id]) return { out: d.activations[id], delta: d.deltas[id] ?? [] };
    return null;
  }

  async load(api: ApiClient, projectId: string, runId?: string): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const data = await call(api, 'models.explain', { projectId, runId, row: this.row, mode: this.mode });
      if (seq !== this.seq) return;
      this.data = data;
      this.error = null;
    } catch (e) {
      if (seq !== this.seq) return;
      this.data = null;
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  close(): void {
    this.open = false;
    this.seq++;
    this.loading = false;
  }
}

/** A number with 4 significant digits, short: 0.1235, -12.35, 1.235e-5. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(4)));
  const [m, e] = v.toExponential(3).split('e');
  return `${String(Number(m))}e${Number(e)}`;
}

/** Background tint for a signed value: blue for positive, red for negative, stronger for larger |v| relative to `scale`. */
export function signColor(v: number, scale: number): string {
  if (!Number.isFinite(v) || v === 0 || scale <= 0) return 'transparent';
  const t = Math.min(1, Math.abs(v) / scale);
  const alpha = (0.12 + 0.5 * t).toFixed(2);
  return v > 0 ? `rgba(59, 111, 216, ${alpha})` : `rgba(201, 55, 44, ${alpha})`;
}
