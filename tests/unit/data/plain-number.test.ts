/**
 * plainNumber (data/cells.ts), the regex-free fast path for numeric cells: on every string it agrees
 * with the regular expression it stands in for (NUMBER_RE, nothing around the number), so parseCell
 * and the CSV import read exactly what they read before, only faster.
 */
import { describe, expect, it } from 'vitest';
import { parseCell, plainNumber } from '../../../src-engine/data/cells';
import { NUMBER_RE } from '../../../src-engine/data/csv';
import { Rng } from '../../../src-engine/tensor';

const byRegex = (s: string): number => (NUMBER_RE.test(s) && s.trim() === s ? Number(s) : NaN);

describe('plainNumber', () => {
  it('reads what NUMBER_RE accepts and nothing else (hand-picked cells)', () => {
    const cells = ['0', '12', '-1.5', '+3', '.5', '5.', '3e-4', '1E5', '-2.5e+3', '1e309', '-0', '007', '', ' 1', '1 ', '.', '-', '+', 'e5', '1e', '1e+', '1.2.3', '1,5', 'inf', 'NaN', '0x1F', '1_000', '١', '--1', '1-', '.e1', '5.e2'];
    for (const c of cells) expect(Object.is(plainNumber(c), byRegex(c)) || (Number.isNaN(plainNumber(c)) && Number.isNaN(byRegex(c))), c).toBe(true);
  });

  it('agrees with NUMBER_RE on 20000 random strings over its alphabet', () => {
    const rng = new Rng(31);
    const alphabet = '0123456789+-.eE ,x';
    for (let k = 0; k < 20000; k++) {
      const s = Array.from({ length: 1 + rng.int(7) }, () => alphabet[rng.int(alphabet.length)]).join('');
      const [a, b] = [plainNumber(s), byRegex(s)];
      expect(Number.isNaN(a) ? Number.isNaN(b) : Object.is(a, b), JSON.stringify(s)).toBe(true);
    }
  });

  it('parseCell keeps its answers: numbers, spaces trimmed, overflow, decimal commas, missing markers', () => {
    expect(parseCell('2.5')).toEqual({ ok: true, value: 2.5 });
    expect(parseCell(' 2.5 ')).toEqual({ ok: true, value: 2.5 });
    expect(parseCell('1e309')).toEqual({ ok: false, kind: 'overflow' });
    expect(parseCell('1,5')).toEqual({ ok: false, kind: 'decimal_comma' });
    expect(parseCell('1,5', true)).toEqual({ ok: true, value: 1.5 });
    expect(parseCell('N/A')).toEqual({ ok: false, kind: 'missing' });
    expect(parseCell('-')).toEqual({ ok: false, kind: 'missing' });
    expect(parseCell('abc')).toEqual({ ok: false, kind: 'text' });
  });
});
