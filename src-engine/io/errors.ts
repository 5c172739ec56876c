import { NeurographError } from '../errors';
import { jsonErrorOffset } from './locate';

/** A model file that cannot be read: says what is wrong and where (`nodes[3].units`, line 4 column 7). */
export class ModelJsonError extends NeurographError {
  constructor(
    message: string,
    path?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message, 'invalid_model', path ?? (line !== undefined ? `line ${line}, column ${column}` : undefined));
  }
}

/** A model written by a newer Neurograph: the UI opens it read-only, the CLI refuses it. */
export class NewerVersionError extends NeurographError {
  constructor(readonly version: number) {
    super(`this model was written by a newer Neurograph (model JSON version ${version}); this version reads version 1 — update Neurograph to open it`, 'newer_version', 'version');
  }
}

export const LIMITS = { maxBytes: 64 * 1024 * 1024, maxDepth: 32 };
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Line and column (1-based) of the first syntax error in text that JSON.parse refused. */
function positionOf(text: string): { line?: number; column?: number } {
  const pos = jsonErrorOffset(text);
  if (pos < 0) return {};
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/**
 * JSON.parse with the guards a file from outside needs: a size limit before parsing, a depth limit
 * and no `__proto__`/`constructor`/`prototype` keys after, and errors that carry line and column.
 */
export function parseJsonSafely(text: string, what = 'file'): unknown {
  if (typeof text !== 'string') throw new ModelJsonError(`${what} is not text`);
  if (text.length > LIMITS.maxBytes) {
    throw new ModelJsonError(`${what} is ${(text.length / 1e6).toFixed(0)} MB; the limit is ${LIMITS.maxBytes / 1024 / 1024} MB`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = (e as Error).message;
    const { line, column } = positionOf(text);
    const where = line ? ` at line ${line}, column ${column}` : '';
    throw new ModelJsonError(`${what} is not valid JSON${where}: ${msg}`, undefined, line, column);
  }
  const stack: Array<[unknown, number, string]> = [[value, 0, '']];
  while (stack.length) {
    const [v, depth, path] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > LIMITS.maxDepth) throw new ModelJsonError(`${what} is nested more than ${LIMITS.maxDepth} levels deep`, path || undefined);
    if (Array.isArray(v)) v.forEach((c, i) => stack.push([c, depth + 1, `${path}[${i}]`]));
    else {
      for (const k of Object.keys(v)) {
        const p = path ? `${path}.${k}` : k;
        if (FORBIDDEN.has(k)) throw new ModelJsonError(`key '${k}' is not allowed`, p);
        stack.push([(v as Record<string, unknown>)[k], depth + 1, p]);
      }
    }
  }
  return value;
}

export { formatPath } from '../errors';
