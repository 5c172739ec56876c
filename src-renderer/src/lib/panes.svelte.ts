/**
 * The sizes the user gave the panes by dragging their splitters: the data column, the settings column
 * and the charts under the canvas, in pixels (null: the layout's default for the window's width).
 * Kept in localStorage, so the app opens as it was left.
 */
const KEY = 'neurograph.panes';

export interface PaneSizes {
  left: number | null;
  right: number | null;
  charts: number | null;
}

/** How far each pane may be dragged. */
export const PANE_LIMITS: Record<keyof PaneSizes, { min: number; max: number }> = {
  left: { min: 170, max: 520 },
  right: { min: 260, max: 620 },
  charts: { min: 120, max: 700 },
};

function saved(): PaneSizes {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<PaneSizes> | null;
    const ok = (k: keyof PaneSizes) => (typeof v?.[k] === 'number' && Number.isFinite(v[k]) ? clamp(k, v[k] as number) : null);
    return { left: ok('left'), right: ok('right'), charts: ok('charts') };
  } catch {
    return { left: null, right: null, charts: null };
  }
}

function clamp(k: keyof PaneSizes, px: number): number {
  return Math.round(Math.min(PANE_LIMITS[k].max, Math.max(PANE_LIMITS[k].min, px)));
}

class Panes {
  sizes = $state<PaneSizes>(saved());

  set(k: keyof PaneSizes, px: number | null): void {
    this.sizes[k] = px === null ? null : clamp(k, px);
    try {
      localStorage.setItem(KEY, JSON.stringify(this.sizes));
    } catch {
      // Not kept; holds for this page.
    }
  }

  /** The CSS variables the app's grid reads (unset: its defaults). */
  get style(): string {
    return (Object.keys(this.sizes) as (keyof PaneSizes)[]).flatMap((k) => (this.sizes[k] === null ? [] : [`--${k}: ${this.sizes[k]}px`])).join('; ');
  }
}

export const panes = new Panes();
