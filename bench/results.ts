/**
 * bench/RESULTS.md as several commands write it: bench/run.ts the report, and others their own
 * sections between `<!-- name:start -->` and `<!-- name:end -->` (bench/ui.ts, bench/compare.ts,
 * bench/soak.ts). Whoever rewrites the file keeps the sections it does not own.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const RESULTS = resolve(import.meta.dirname, 'RESULTS.md');
const SECTION = /<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g;

/** The marked sections of a text, in order. */
export function markedSections(text: string): string[] {
  return [...text.matchAll(SECTION)].map((m) => m[0]);
}

/** The text without its marked sections. */
export function withoutSections(text: string): string {
  return text.replace(new RegExp(`${SECTION.source}\\s*`, 'g'), '');
}

/**
 * Writes RESULTS.md as `report` followed by the marked sections the file had (in their order), with
 * `section` (a marked section) in place of the one of its name, or appended when there was none.
 */
export function writeResults(report: string, section?: string, file = RESULTS): void {
  const name = section ? /<!-- ([\w-]+):start -->/.exec(section)?.[1] : undefined;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = markedSections(current).map((m) => (name && m.startsWith(`<!-- ${name}:start -->`) ? section! : m));
  if (section && !kept.includes(section)) kept.push(section);
  writeFileSync(file, `${[withoutSections(report).trimEnd(), ...kept].join('\n\n')}\n`);
}
