import { describe, expect, it } from 'vitest';
import { CsvError, csvToDataset, inspectCsv, parseCsv } from '../../../src-engine/data';

/** Run fn, expect a CsvError, return it. */
function csvError(fn: () => unknown): CsvError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CsvError);
    return e as CsvError;
  }
  throw new Error('expected a CsvError');
}

describe('parseCsv: formats that must parse (FAULTS 11)', () => {
  it('strips a BOM and reads CRLF line ends', () => {
    const t = parseCsv('\ufeffa,b\r\n1,2\r\n3,4\r\n');
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.rows).toEqual([['1', '2'], ['3', '4']]);
  });

  it('keeps quoted commas and newlines inside one cell and counts lines after them', () => {
    const t = parseCsv('name,v\n"Smith, J",1\n"two\nlines",2\nlast,3\n');
    expect(t.rows.map((r) => r[0])).toEqual(['Smith, J', 'two\nlines', 'last']);
    expect(t.lines).toEqual([2, 3, 5]);
  });

  it('detects ; and tab separators', () => {
    expect(parseCsv('a;b;c\n1;2;3\n').delimiter).toBe(';');
    expect(parseCsv('a\tb\n1\t2\n').delimiter).toBe('\t');
    expect(parseCsv('x;y\n1,5;2,5\n3,5;4\n').columns).toEqual(['x', 'y']);
  });

  it('detects a header, and names columns col1… when the first row is numbers', () => {
    expect(parseCsv('a,b\n1,2').headerLine).toBe(1);
    const t = parseCsv('1,2\n3,4');
    expect(t.headerLine).toBeNull();
    expect(t.columns).toEqual(['col1', 'col2']);
    expect(t.rows).toHaveLength(2);
  });
});

describe('parseCsv: files that must be refused with a line number (FAULTS 12)', () => {
  it('a ragged row, at its line', () => {
    const e = csvError(() => parseCsv('a,b\n1,2\n\n3\n4,5\n'));
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/expected 2 fields, found 1/);
  });

  it('a header with no rows', () => {
    expect(csvError(() => parseCsv('a,b,c\r\n')).message).toMatch(/header but no data rows/);
  });

  it('an empty file', () => {
    expect(csvError(() => parseCsv('\ufeff \n\n')).message).toMatch(/empty/);
  });

  it('duplicate column names, naming the column', () => {
    const e = csvError(() => parseCsv('\n\nx,y,x\n1,2,3\n'));
    expect(e.line).toBe(3);
    expect(e.column).toBe('x');
  });

  it('an unterminated quote', () => {
    expect(csvError(() => parseCsv('a,b\n1,"2\n3,4\n')).line).toBe(2);
  });
});

describe('bad cells (FAULTS 13–14)', () => {
  const text = 'a,b,t\n1,N/A,0\n2,,1\n3,"1,5",0\n1e309,4,1\n5,6,0\n';

  it('reports each column with counts per kind and the first lines', () => {
    const { report } = inspectCsv(text);
    const [a, b, t] = report.columns;
    expect(a.bad).toEqual({ count: 1, kinds: { overflow: 1 }, firstLines: [5] });
    expect(b.bad).toEqual({ count: 3, kinds: { missing: 1, empty: 1, decimal_comma: 1 }, firstLines: [2, 3, 4] });
    expect(t.bad.count).toBe(0);
  });

  it('refuses by default, naming the column and line, so NaN/Inf never reach training', () => {
    const e = csvError(() => csvToDataset(text, { name: 'n' }));
    expect(e.column).toBe('a');
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/column 'b': 3 bad cells/);
  });

  it('drops the rows with bad cells when asked', () => {
    const r = csvToDataset(text, { name: 'n', missing: 'drop' });
    expect(r.dataset.x).toEqual([[5, 6]]);
    expect(r.dropped).toBe(4);
  });

  it('fills with the column mean of the good cells, or zero', () => {
    const mean = csvToDataset(text, { name: 'n', missing: 'mean' });
    // a: good 1, 2, 3, 5 → mean 2.75; b: good 4, 6 → mean 5.
    expect(mean.dataset.x).toEqual([[1, 5], [2, 5], [3, 5], [2.75, 4], [5, 6]]);
    expect(mean.filled).toBe(4);
    expect(csvToDataset(text, { name: 'n', missing: 'zero' }).dataset.x[3]).toEqual([0, 4]);
  });

  it('reads decimal commas in a ; file without decimal points', () => {
    const r = csvToDataset('x;y\n1,5;0\n2,25;1\n', { name: 'n' });
    expect(r.report.decimalComma).toBe(true);
    expect(r.dataset.x).toEqual([[1.5], [2.25]]);
  });
});

describe('csvToDataset: targets', () => {
  it('turns a text target with three classes into one-hot columns, classes sorted', () => {
    const r = csvToDataset('f,species\n1,b\n2,a\n3,c\n4,a\n', { name: 'n' });
    expect(r.dataset.task).toBe('classification');
    expect(r.dataset.classes).toEqual(['a', 'b', 'c']);
    expect(r.dataset.outputNames).toEqual(['species=a', 'species=b', 'species=c']);
    expect(r.dataset.y).toEqual([[0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0]]);
    expect(csvToDataset('f,s\n1,b\n2,a\n3,c\n', { name: 'n', targetEncoding: 'index' }).dataset.y).toEqual([[1], [0], [2]]);
  });

  it('turns a two-class text target into one 0/1 column', () => {
    const r = csvToDataset('f,d\n1,yes\n2,no\n', { name: 'n' });
    expect(r.dataset.y).toEqual([[1], [0]]);
  });

  it('treats a many-valued numeric target as regression and honours a named target', () => {
    const text = 'a,b,c\n' + Array.from({ length: 30 }, (_, i) => `${i},${i * 0.5},${i % 2}`).join('\n');
    const reg = csvToDataset(text, { name: 'n', target: ['b'] });
    expect(reg.dataset.task).toBe('regression');
    expect(reg.dataset.inputNames).toEqual(['a', 'c']);
    expect(reg.dataset.y[3]).toEqual([1.5]);
    expect(csvToDataset(text, { name: 'n' }).dataset.task).toBe('classification');
    expect(csvError(() => csvToDataset(text, { name: 'n', target: ['z'] })).column).toBe('z');
  });

  it('one-hot encodes a text input column', () => {
    const r = csvToDataset('colour,v\nred,1\nblue,2.5\n', { name: 'n' });
    expect(r.dataset.inputNames).toEqual(['colour=blue', 'colour=red']);
    expect(r.dataset.x).toEqual([[0, 1], [1, 0]]);
  });
});
