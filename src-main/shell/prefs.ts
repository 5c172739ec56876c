/**
 * The shell's own preferences (preferences.json in the user-data folder): the theme and language chosen
 * in the View menu and the recent files of File › Open Recent. Pure, like window-state.ts: a corrupt
 * file, or a field of the wrong type, falls back to the default for that field.
 */
import { LANGUAGES, THEMES, type Theme } from './commands';

export interface Preferences {
  theme: Theme;
  language: string;
  /** Absolute paths, most recent first. */
  recent: string[];
}

export const PREFERENCES_FILE = 'preferences.json';
export const MAX_RECENT = 10;
export const DEFAULT_PREFERENCES: Preferences = { theme: 'system', language: 'en', recent: [] };

export function parsePreferences(text: string | null | undefined, languages = LANGUAGES): Preferences {
  let value: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) value = parsed as Record<string, unknown>;
  } catch {
    // A damaged file: start from the defaults (it is rewritten on the next change).
  }
  const theme = (THEMES as readonly unknown[]).includes(value.theme) ? (value.theme as Theme) : DEFAULT_PREFERENCES.theme;
  const language = languages.some((l) => l.code === value.language) ? (value.language as string) : DEFAULT_PREFERENCES.language;
  const recent = Array.isArray(value.recent) ? value.recent.filter((p): p is string => typeof p === 'string' && p.length > 0 && p.length < 4096) : [];
  return { theme, language, recent: [...new Set(recent)].slice(0, MAX_RECENT) };
}

export function serializePreferences(prefs: Preferences): string {
  return JSON.stringify(prefs, null, 2) + '\n';
}

/** The path moved to the front of the recent files (once), keeping at most MAX_RECENT. */
export function withRecent(prefs: Preferences, path: string): Preferences {
  return { ...prefs, recent: [path, ...prefs.recent.filter((p) => p !== path)].slice(0, MAX_RECENT) };
}

export function withoutRecent(prefs: Preferences, path?: string): Preferences {
  return { ...prefs, recent: path === undefined ? [] : prefs.recent.filter((p) => p !== path) };
}
