/**
 * Light and dark themes. "system" (the default) follows the operating system's preference and
 * changes with it; the choice is kept in localStorage. The theme is `data-theme` on <html>, which
 * app.css turns into colour variables; canvas-drawn pictures read the same variables (cssColor).
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'neurograph.theme';

function saved(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'light' || v === 'dark' || v === 'system') return v;
  } catch {
    // Storage unavailable: follow the system.
  }
  return 'system';
}

const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

class ThemeState {
  choice = $state<ThemeChoice>(saved());
  #systemDark = $state(media?.matches ?? false);
  /** The theme in effect. */
  readonly resolved = $derived<'light' | 'dark'>(this.choice === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.choice);

  constructor() {
    media?.addEventListener('change', (e) => {
      this.#systemDark = e.matches;
      this.#apply();
    });
    this.#apply();
  }

  /**
   * Sets data-theme on <html> at once (not in an effect), so drawing code that reacts to `resolved`
   * and reads colours with cssColor() already sees the new theme's values.
   */
  #apply(): void {
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = this.resolved;
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      localStorage.setItem(KEY, choice);
    } catch {
      // Not persisted; holds for this page.
    }
    this.#apply();
  }
}

export const theme = new ThemeState();

/** A CSS colour variable's current value (for canvas drawing), e.g. cssColor('--text'). */
export function cssColor(name: string, fallback = '#000'): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}
