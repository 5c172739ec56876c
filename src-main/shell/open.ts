/**
 * Files that open: what a double-clicked, dropped, File › Open-ed or second-launch file holds, decided
 * before the renderer is told. A project (`.neurograph`, JSON with format 'neurograph-project', kept
 * opaque here), a model (JSON with format 'neurograph-model'), an ONNX model or a CSV table. Anything
 * else is an OpenFileError naming the file and what is wrong with it, which main shows in a dialog.
 */
import { basename, extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NeurographError, type ErrorCode } from '../../src-engine';
import type { OpenedFileKind } from './commands';

export const PROJECT_FORMAT = 'neurograph-project';
export const MODEL_FORMAT = 'neurograph-model';
/** The newest model JSON version this build reads (DESIGN.md: model JSON v1). */
export const MODEL_VERSION = 1;

/** Largest file opened, by extension: the api takes model and CSV texts up to 50 MB; ONNX weights may be larger. */
export const MAX_OPEN_BYTES: Readonly<Record<string, number>> = { '.neurograph': 50_000_000, '.json': 50_000_000, '.csv': 50_000_000, '.onnx': 200_000_000 };
export const OPENABLE_EXTENSIONS = Object.keys(MAX_OPEN_BYTES);

/** The native dialogs' filters for File › Open…, Import Model… and Import CSV…. */
export const OPEN_FILTERS = {
  open: [
    { name: 'Neurograph files', extensions: ['neurograph', 'json', 'onnx', 'csv'] },
    { name: 'Projects', extensions: ['neurograph'] },
    { name: 'Models', extensions: ['json', 'onnx'] },
    { name: 'CSV tables', extensions: ['csv'] },
  ],
  'import-model': [{ name: 'Models', extensions: ['json', 'onnx'] }],
  'import-csv': [{ name: 'CSV tables', extensions: ['csv'] }],
} as const;

export class OpenFileError extends NeurographError {
  constructor(message: string, code: ErrorCode, path: string) {
    super(message, code, path);
  }
}

export interface OpenedFile {
  kind: OpenedFileKind;
  path: string;
  /** The file name, for titles and messages. */
  name: string;
  bytes: number;
}

const megabytes = (n: number, digits = 1) => `${(n / 1e6).toFixed(digits)} MB`;
const WHAT_OPENS = 'Neurograph opens projects (.neurograph), models (.json, .onnx) and CSV tables (.csv)';

/** Refuses a file by extension and size before it is read (so a huge file is never loaded). */
export function openSizeError(path: string, size: number): OpenFileError | null {
  const ext = extname(path).toLowerCase();
  const limit = MAX_OPEN_BYTES[ext];
  const name = JSON.stringify(basename(path));
  if (limit === undefined) return new OpenFileError(`${name} is not a file Neurograph opens: ${WHAT_OPENS}.`, 'invalid_input', path);
  if (size > limit) return new OpenFileError(`${name} is ${megabytes(size)}; Neurograph opens ${ext} files up to ${megabytes(limit, 0)}.`, 'invalid_input', path);
  if (size === 0) return new OpenFileError(`${name} is empty.`, ext === '.csv' ? 'invalid_data' : 'invalid_model', path);
  return null;
}

function decodeText(content: Uint8Array | string): string | null {
  if (typeof content === 'string') return content;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return null;
  }
}

function classifyJson(path: string, text: string, bytes: number): OpenedFile | OpenFileError {
  const name = JSON.stringify(basename(path));
  const fail = (message: string, code: ErrorCode = 'invalid_model') => new OpenFileError(`${name} ${message}`, code, path);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return fail(`is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`is JSON but not a Neurograph file: its top level is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object with a "format".`);
  }
  const { format, version } = value as { format?: unknown; version?: unknown };
  const expected = `(expected "${PROJECT_FORMAT}" or "${MODEL_FORMAT}")`;
  if (format === undefined) return fail(`is JSON but not a Neurograph file: it has no "format" field ${expected}.`);
  if (format === PROJECT_FORMAT) return { kind: 'project', path, name: basename(path), bytes };
  if (format === MODEL_FORMAT) {
    if (typeof version === 'number' && version > MODEL_VERSION) {
      return fail(`is a model JSON of version ${version}, newer than this Neurograph reads (${MODEL_VERSION}): update Neurograph to open it.`, 'newer_version');
    }
    return { kind: 'model', path, name: basename(path), bytes };
  }
  return fail(`is JSON but not a Neurograph file: its "format" is ${JSON.stringify(format).slice(0, 80)} ${expected}.`);
}

/**
 * What a file holds, from its path and content (bytes as read, or text). Pure: main reads the file
 * (after openSizeError) and shows the error, or sends 'open-file' with `kind` to the renderer.
 */
export function classifyOpenedFile(path: string, content: Uint8Array | string): OpenedFile | OpenFileError {
  const bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
  const refused = openSizeError(path, bytes);
  if (refused) return refused;
  const ext = extname(path).toLowerCase();
  const name = JSON.stringify(basename(path));

  if (ext === '.onnx') {
    // An ONNX file is a protobuf ModelProto; writers emit field 1 (ir_version, a varint: tag byte 0x08) first.
    const first = typeof content === 'string' ? content.charCodeAt(0) : content[0];
    if (first !== 0x08) return new OpenFileError(`${name} is not an ONNX model: it does not start like a protobuf ModelProto (ir_version first).`, 'invalid_model', path);
    return { kind: 'onnx', path, name: basename(path), bytes };
  }

  const text = decodeText(content);
  if (ext === '.csv') {
    if (text === null) return new OpenFileError(`${name} is not UTF-8 text; save the table as "CSV UTF-8" and open it again.`, 'invalid_data', path);
    if (text.includes('\0')) return new OpenFileError(`${name} holds binary data, not a CSV table.`, 'invalid_data', path);
    if (!/\S/.test(text)) return new OpenFileError(`${name} has no rows.`, 'invalid_data', path);
    return { kind: 'csv', path, name: basename(path), bytes };
  }
  if (text === null) return new OpenFileError(`${name} is not UTF-8 text, so it is not a Neurograph project or model JSON.`, 'invalid_model', path);
  return classifyJson(path, text, bytes);
}

/**
 * The files a launch asks to open: argv without the executable (and, unpackaged, the app path that
 * follows it), flags and anything Neurograph does not open; file:// URLs (Linux desktops pass %U) become
 * paths and relative paths resolve against the launch's working directory.
 */
export function filesFromArgv(argv: readonly string[], opts: { isPackaged: boolean; cwd: string }): string[] {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (!opts.isPackaged) args.shift();
  const files: string[] = [];
  for (const arg of args) {
    let path = arg;
    if (/^file:\/\//i.test(arg)) {
      try {
        path = fileURLToPath(arg);
      } catch {
        continue;
      }
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) continue;
    if (!OPENABLE_EXTENSIONS.includes(extname(path).toLowerCase())) continue;
    files.push(isAbsolute(path) ? path : resolve(opts.cwd, path));
  }
  return [...new Set(files)];
}
