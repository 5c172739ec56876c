/**
 * The main window's size and position across launches: a small JSON file in the user-data folder
 * (window-state.json). Pure: main reads and writes the file; this module parses it (a corrupt or foreign
 * file is ignored, never an error) and fits the saved rectangle onto the displays there are now (a
 * monitor unplugged since, a smaller screen, a resolution change).
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** The normal (not maximized) bounds. */
  bounds: Rect;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1400, height: 900 };
export const MIN_SIZE = { width: 900, height: 600 };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;

/** The saved state, or null when the text is missing, not JSON or not a window state. */
export function parseWindowState(text: string | null | undefined): WindowState | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { x, y, width, height, maximized } = value as Record<string, unknown>;
  if (![x, y, width, height].every(finite) || (width as number) <= 0 || (height as number) <= 0) return null;
  return { bounds: { x: x as number, y: y as number, width: width as number, height: height as number }, maximized: maximized === true };
}

export function serializeWindowState(state: WindowState): string {
  const { x, y, width, height } = state.bounds;
  return JSON.stringify({ x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height), maximized: state.maximized }) + '\n';
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where the window opens: the saved bounds moved and shrunk to lie wholly inside the work area of the
 * display they overlap most; if they overlap none (that monitor is gone), the saved size centred on the
 * primary display; with nothing saved, the default size centred there. `workAreas[0]` is the primary.
 */
export function restoreWindowState(saved: WindowState | null, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const fit = (size: { width: number; height: number }, area: Rect) => ({
    width: Math.round(Math.max(Math.min(size.width, area.width), Math.min(MIN_SIZE.width, area.width))),
    height: Math.round(Math.max(Math.min(size.height, area.height), Math.min(MIN_SIZE.height, area.height))),
  });
  const centred = (size: { width: number; height: number }, area: Rect): Rect => {
    const s = fit(size, area);
    return { x: Math.round(area.x + (area.width - s.width) / 2), y: Math.round(area.y + (area.height - s.height) / 2), ...s };
  };
  if (!saved) return { bounds: centred(DEFAULT_SIZE, primary), maximized: false };

  let best: Rect | null = null;
  let bestOverlap = 0;
  for (const area of workAreas) {
    const o = overlap(saved.bounds, area);
    if (o > bestOverlap) [best, bestOverlap] = [area, o];
  }
  if (!best) return { bounds: centred(saved.bounds, primary), maximized: saved.maximized };
  const s = fit(saved.bounds, best);
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  return {
    bounds: { x: Math.round(clamp(saved.bounds.x, best.x, best.x + best.width - s.width)), y: Math.round(clamp(saved.bounds.y, best.y, best.y + best.height - s.height)), ...s },
    maximized: saved.maximized,
  };
}
