/**
 * The file-open path (src-main/shell/open.ts): what a double-clicked, dropped or File › Open-ed file
 * holds, and clear messages for files that cannot be opened; which files a launch's argv asks for.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyOpenedFile, filesFromArgv, MAX_OPEN_BYTES, openSizeError, OpenFileError } from '../../../src-main/shell';
import { NeurographError } from '../../../src-engine';
import { REPO } from '../../helpers/reference';

const utf8 = (text: string) => new TextEncoder().encode(text);
const model = JSON.stringify({ format: 'neurograph-model', version: 1, nodes: [{ id: 'x', type: 'Input', size: 2 }], outputs: ['x'] });

function refused(result: ReturnType<typeof classifyOpenedFile>): OpenFileError {
  expect(result).toBeInstanceOf(OpenFileError);
  return result as OpenFileError;
}

describe('classifyOpenedFile', () => {
  it('a project (.neurograph, format neurograph-project) and a model JSON, by their format field', () => {
    const project = utf8(JSON.stringify({ format: 'neurograph-project', whatever: { the: 'teammate designs' } }));
    expect(classifyOpenedFile('/home/ada/xor.neurograph', project)).toEqual({ kind: 'project', path: '/home/ada/xor.neurograph', name: 'xor.neurograph', bytes: project.byteLength });
    expect(classifyOpenedFile('/home/ada/net.json', utf8(model))).toMatchObject({ kind: 'model', name: 'net.json' });
    // A byte-order mark (Windows editors) is not an error.
    expect(classifyOpenedFile('/m.json', utf8('\uFEFF' + model))).toMatchObject({ kind: 'model' });
    // Text already decoded is accepted as well.
    expect(classifyOpenedFile('/m.json', model)).toMatchObject({ kind: 'model', bytes: Buffer.byteLength(model) });
  });

  it('a sample CSV table from resources/datasets opens as csv', () => {
    const bytes = readFileSync(resolve(REPO, 'resources/datasets/iris.csv'));
    expect(classifyOpenedFile('/data/iris.csv', bytes)).toEqual({ kind: 'csv', path: '/data/iris.csv', name: 'iris.csv', bytes: bytes.byteLength });
  });

  it('an ONNX file by its protobuf start (field 1, ir_version); anything else with .onnx is refused', () => {
    const onnx = Uint8Array.from([0x08, 0x08, 0x12, 0x07, ...utf8('pytorch')]);
    expect(classifyOpenedFile('/m.onnx', onnx)).toMatchObject({ kind: 'onnx' });
    const e = refused(classifyOpenedFile('/m.onnx', utf8(model)));
    expect([e.message, e.code, e.path]).toEqual(['"m.onnx" is not an ONNX model: it does not start like a protobuf ModelProto (ir_version first).', 'invalid_model', '/m.onnx']);
  });

  it('malformed JSON names the file and the parser error', () => {
    const e = refused(classifyOpenedFile('/home/ada/broken.json', utf8('{"format": "neurograph-model", ')));
    expect(e.message).toMatch(/^"broken\.json" is not valid JSON: .+\.$/);
    expect(e.code).toBe('invalid_model');
    expect(e.path).toBe('/home/ada/broken.json');
    expect(e).toBeInstanceOf(NeurographError);
  });

  it('JSON of another format, or none, says what format was expected', () => {
    expect(refused(classifyOpenedFile('/p.json', utf8('{"name": "package"}'))).message).toBe(
      '"p.json" is JSON but not a Neurograph file: it has no "format" field (expected "neurograph-project" or "neurograph-model").',
    );
    expect(refused(classifyOpenedFile('/k.json', utf8('{"format": "keras"}'))).message).toBe(
      '"k.json" is JSON but not a Neurograph file: its "format" is "keras" (expected "neurograph-project" or "neurograph-model").',
    );
    expect(refused(classifyOpenedFile('/a.json', utf8('[1, 2]'))).message).toBe('"a.json" is JSON but not a Neurograph file: its top level is an array, not an object with a "format".');
  });

  it('a model from a newer Neurograph is refused as such', () => {
    const e = refused(classifyOpenedFile('/m.json', utf8(JSON.stringify({ format: 'neurograph-model', version: 2 }))));
    expect([e.code, e.message]).toEqual(['newer_version', '"m.json" is a model JSON of version 2, newer than this Neurograph reads (1): update Neurograph to open it.']);
  });

  it('a huge file is refused by its size, before it is read', () => {
    const size = MAX_OPEN_BYTES['.csv'] + 1;
    expect(openSizeError('/big.csv', size)!.message).toBe('"big.csv" is 50.0 MB; Neurograph opens .csv files up to 50 MB.');
    expect(openSizeError('/big.onnx', 250_000_000)!.message).toBe('"big.onnx" is 250.0 MB; Neurograph opens .onnx files up to 200 MB.');
    expect(openSizeError('/ok.csv', 1000)).toBeNull();
    expect(refused(classifyOpenedFile('/big.json', new Uint8Array(MAX_OPEN_BYTES['.json'] + 1))).code).toBe('invalid_input');
  });

  it('an empty file, a file type Neurograph does not open, binary or non-UTF-8 CSV', () => {
    expect(refused(classifyOpenedFile('/e.json', new Uint8Array())).message).toBe('"e.json" is empty.');
    expect(refused(classifyOpenedFile('/notes.txt', utf8('hi'))).message).toBe(
      '"notes.txt" is not a file Neurograph opens: Neurograph opens projects (.neurograph), models (.json, .onnx) and CSV tables (.csv).',
    );
    expect(refused(classifyOpenedFile('/x.csv', Uint8Array.from([0x61, 0x00, 0x62]))).message).toBe('"x.csv" holds binary data, not a CSV table.');
    expect(refused(classifyOpenedFile('/latin1.csv', Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))).message).toMatch(/is not UTF-8 text; save the table as "CSV UTF-8"/);
    expect(refused(classifyOpenedFile('/blank.csv', utf8('\n \n'))).message).toBe('"blank.csv" has no rows.');
  });
});

describe('filesFromArgv', () => {
  it('a packaged launch: every openable file after the executable, flags and other files left out', () => {
    const argv = ['/opt/Neurograph/neurograph', '--no-sandbox', '/home/ada/xor.neurograph', 'notes.txt', 'models/net.JSON', '--original-process-start-time=1'];
    expect(filesFromArgv(argv, { isPackaged: true, cwd: '/home/ada' })).toEqual(['/home/ada/xor.neurograph', '/home/ada/models/net.JSON']);
  });

  it('an unpackaged launch skips the app path; file:// URLs (Linux %U) become paths; other URLs are ignored', () => {
    const argv = ['/repo/node_modules/electron/dist/electron', '.', 'file:///home/ada/My%20Data/iris.csv', 'https://example.com/x.json', 'a.onnx'];
    expect(filesFromArgv(argv, { isPackaged: false, cwd: '/work' })).toEqual(['/home/ada/My Data/iris.csv', '/work/a.onnx']);
  });

  it('the same file twice is opened once', () => {
    expect(filesFromArgv(['app', '/x.json', '/x.json'], { isPackaged: true, cwd: '/' })).toEqual(['/x.json']);
  });
});
