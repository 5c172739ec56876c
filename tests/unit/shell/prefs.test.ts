/** The shell's preferences file (src-main/shell/prefs.ts): tolerant parsing and the recent-files list. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, MAX_RECENT, parsePreferences, serializePreferences, withoutRecent, withRecent } from '../../../src-main/shell';

describe('preferences', () => {
  it('round-trips, and falls back field by field on a damaged or foreign file', () => {
    const prefs = { theme: 'dark' as const, language: 'en', recent: ['/a.json', '/b.csv'] };
    expect(parsePreferences(serializePreferences(prefs))).toEqual(prefs);
    for (const text of [null, '', 'garbage{', '[]', '42']) expect(parsePreferences(text)).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences('{"theme": "sepia", "language": "xx", "recent": ["/a.json", 7, "", "/a.json"]}')).toEqual({ theme: 'system', language: 'en', recent: ['/a.json'] });
    expect(parsePreferences('{"recent": "not a list"}').recent).toEqual([]);
  });

  it('a file opened again moves to the front once; the list keeps the last ten', () => {
    let prefs = DEFAULT_PREFERENCES;
    for (let i = 0; i < 12; i++) prefs = withRecent(prefs, `/f${i}.json`);
    expect(prefs.recent).toHaveLength(MAX_RECENT);
    expect(prefs.recent.slice(0, 2)).toEqual(['/f11.json', '/f10.json']);
    prefs = withRecent(prefs, '/f5.json');
    expect(prefs.recent.slice(0, 3)).toEqual(['/f5.json', '/f11.json', '/f10.json']);
    expect(prefs.recent.filter((p) => p === '/f5.json')).toHaveLength(1);
    expect(withoutRecent(prefs, '/f5.json').recent).not.toContain('/f5.json');
    expect(withoutRecent(prefs).recent).toEqual([]);
  });
});
