/** Mapping of thrown errors to the ApiError every reply carries; nothing throws across the boundary. */
import type { z } from 'zod';
import { formatPath, NeurographError, type ErrorCode } from '../../src-engine';
import type { ApiError } from './contract';

/** A failure a service raises on purpose, with its api code and (optionally) where it went wrong. */
export class ApiFailure extends NeurographError {
  constructor(code: ErrorCode, message: string, path?: string) {
    super(message, code, path);
  }
}

/** `['graph', 'nodes', 3, 'units']` → `graph.nodes[3].units`. */
export const formatIssuePath = formatPath;

export function fromZodError(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  const message = issue ? (path ? `${path}: ${issue.message}` : issue.message) : 'invalid input';
  return { code: 'invalid_input', message, ...(path ? { path } : {}) };
}

function isZodError(err: Error): err is z.ZodError {
  return err.name === 'ZodError' && Array.isArray((err as z.ZodError).issues);
}

/** Any thrown value as an ApiError: a NeurographError keeps its code and path; anything else is `failed`. */
export function toApiError(err: unknown): ApiError {
  if (!(err instanceof Error)) return { code: 'failed', message: String(err) };
  if (err instanceof NeurographError) return { code: err.code, message: err.message || err.name, ...(err.path ? { path: err.path } : {}) };
  if (isZodError(err)) return fromZodError(err);
  return { code: 'failed', message: err.message || err.name };
}
