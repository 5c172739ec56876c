import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiFailure, formatIssuePath, toApiError } from '../../../src-main/api/errors';
import { createApi } from '../../../src-main/api/handlers';
import type { ServiceMethods } from '../../../src-main/api/handlers';

class ConflictError extends Error {
  override name = 'ConflictError';
}
class ReadOnlyError extends Error {
  override name = 'ReadOnlyError';
}
class NotFoundError extends Error {
  override name = 'NotFoundError';
}
class ModelJsonError extends Error {
  override name = 'ModelJsonError';
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

describe('api error mapping', () => {
  it('formats zod issue paths as field paths with indices', () => {
    expect(formatIssuePath(['graph', 'nodes', 3, 'units'])).toBe('graph.nodes[3].units');
    expect(formatIssuePath([0, 'a'])).toBe('[0].a');
    expect(formatIssuePath([])).toBe('');
  });

  it('maps typed errors by class to api codes and keeps their path', () => {
    expect(toApiError(new ConflictError('stale'))).toEqual({ code: 'conflict', message: 'stale' });
    expect(toApiError(new ReadOnlyError('ro'))).toEqual({ code: 'read_only', message: 'ro' });
    expect(toApiError(new NotFoundError('gone'))).toEqual({ code: 'not_found', message: 'gone' });
    expect(toApiError(new ModelJsonError('bad units', 'nodes[3].units'))).toEqual({ code: 'invalid_input', message: 'bad units', path: 'nodes[3].units' });
    expect(toApiError(new ApiFailure('invalid_input', 'units must be positive', 'fc1.units'))).toEqual({ code: 'invalid_input', message: 'units must be positive', path: 'fc1.units' });
    expect(toApiError(new Error('disk on fire'))).toEqual({ code: 'failed', message: 'disk on fire' });
    expect(toApiError('a string')).toEqual({ code: 'failed', message: 'a string' });
  });

  it('handle() never throws: a throwing service, an unknown name and bad input all come back as replies', async () => {
    const methods = {
      'projects.get': () => {
        throw new NotFoundError('no project p');
      },
      'projects.list': async () => {
        throw new TypeError('boom');
      },
    } as unknown as ServiceMethods;
    const api = createApi({ methods, subscribe: () => () => {} });
    expect(await api.handle('projects.get', { id: 'p' })).toEqual({ ok: false, error: { code: 'not_found', message: 'no project p' } });
    expect(await api.handle('projects.list', {})).toEqual({ ok: false, error: { code: 'failed', message: 'boom' } });
    expect(await api.handle('hasOwnProperty', {})).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
    expect(await api.handle('projects.get', { id: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'id' } });
    expect(await api.handle('projects.get', { id: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'id' } });
    expect(await api.handle('projects.get', null)).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'id' } });
  });

  it('reports the first zod issue with its path', () => {
    const schema = z.object({ graph: z.object({ nodes: z.array(z.object({ units: z.number() })) }) });
    const r = schema.safeParse({ graph: { nodes: [{ units: 1 }, { units: 'x' }] } });
    expect(r.success).toBe(false);
    if (!r.success) expect(toApiError(r.error)).toMatchObject({ code: 'invalid_input', path: 'graph.nodes[1].units' });
  });
});
