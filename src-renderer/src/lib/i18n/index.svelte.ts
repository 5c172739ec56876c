/**
 * The UI's two languages. Text is written in English in the components and passed through `t()`;
 * Russian comes from one dictionary (ru.ts) keyed by the English text, so a string without a
 * translation still reads (in English) rather than showing a key. `{name}` placeholders are filled
 * from `vars`. The language is kept in localStorage; the first start follows the system's.
 */
import { RU } from './ru';

export type Language = 'en' | 'ru';
export const LANGUAGES: readonly { id: Language; name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'ru', name: 'Русский' },
];
const KEY = 'neurograph.language';

function initial(): Language {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'ru') return saved;
  } catch {
    // Storage unavailable (private mode): fall back to the system language.
  }
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

class LanguageState {
  current = $state<Language>(initial());

  constructor() {
    if (typeof document !== 'undefined') document.documentElement.lang = this.current;
  }

  set(lang: Language): void {
    this.current = lang;
    try {
      localStorage.setItem(KEY, lang);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
    document.documentElement.lang = lang;
  }
}

export const language = new LanguageState();

/** The text in the current language, with `{name}` filled from vars. */
export function t(text: string, vars?: Record<string, string | number>): string {
  const out = language.current === 'ru' ? (RU[text] ?? text) : text;
  return vars ? out.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : out;
}
