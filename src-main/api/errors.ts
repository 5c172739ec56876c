/** Mapping of thrown errors to the ApiError every reply carries; nothing throws across the boundary. */
import type { z } from 'zod';
import type { ApiError } from './contract';

/** A failure a service raises on purpose, with the api code and (optionally) where it went wrong. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** `['graph', 'nodes', 3, 'units']` → `graph.nodes[3].units`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function fromZodError(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const path = issue ? formatIssuePath(issue.path) : '';
  const message = issue ? (path ? `${path}: ${issue.message}` : issue.message) : 'invalid input';
  return { code: 'invalid_input', message, ...(path ? { path } : {}) };
}

/** Errors thrown by engine and store modules carry their meaning in their class name. */
const BY_NAME: Record<string, ApiError['code']> = {
  ConflictError: 'conflict',
  RevisionConflictError: 'conflict',
  ReadOnlyError: 'read_only',
  ReadOnlyLibraryError: 'read_only',
  NotFoundError: 'not_found',
  ModelJsonError: 'invalid_input',
  NewerVersionError: 'invalid_input',
  CsvError: 'invalid_input',
  DatasetError: 'invalid_input',
  TrainingError: 'invalid_input',
  GraphError: 'invalid_input',
  OptimizerError: 'invalid_input',
  ZodError: 'invalid_input',
  RunNotActiveError: 'not_found',
};

function codeFor(err: Error): ApiError['code'] {
  if (err instanceof ApiFailure) return err.code;
  const known = Object.prototype.hasOwnProperty.call(BY_NAME, err.name) ? BY_NAME[err.name] : undefined;
  if (known) return known;
  if (/NotFound/.test(err.name)) return 'not_found';
  if (/ReadOnly/.test(err.name)) return 'read_only';
  if (/Conflict/.test(err.name)) return 'conflict';
  return 'failed';
}

function pathOf(err: Error): string | undefined {
  const e = err as Error & { path?: unknown; field?: unknown; line?: unknown; nodeId?: unknown };
  if (typeof e.path === 'string' && e.path) return e.path;
  if (Array.isArray(e.path)) return formatIssuePath(e.path as PropertyKey[]);
  if (typeof e.field === 'string' && e.field) return e.field;
  if (typeof e.nodeId === 'string' && e.nodeId) return e.nodeId;
  if (typeof e.line === 'number') return `line ${e.line}`;
  return undefined;
}

export function toApiError(err: unknown): ApiError {
  if (!(err instanceof Error)) return { code: 'failed', message: String(err) };
  if (err.name === 'ZodError' && Array.isArray((err as z.ZodError).issues)) return fromZodError(err as z.ZodError);
  const path = pathOf(err);
  return { code: codeFor(err), message: err.message || err.name, ...(path ? { path } : {}) };
}
