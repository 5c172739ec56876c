import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CsvError, GraphError, LossError, ModelJsonError, NewerVersionError, OptimizerError, ParamError, TrainingError, validateGraph } from '../../../src-engine';
import { ApiFailure, formatIssuePath, toApiError } from '../../../src-main/api/errors';
import { createApi } from '../../../src-main/api/handlers';
import type { ServiceMethods } from '../../../src-main/api/handlers';
import { CliError } from '../../../src-main/cli/errors';
import { RunNotActiveError } from '../../../src-main/services/TrainingHost';
import { ConflictError, LibraryCorruptError, LibraryFullError, NotFoundError, ReadOnlyError, StoreInputError } from '../../../src-main/services/store/errors';

describe('api error mapping: one base error with a code and a path, the api maps by code', () => {
  it('formats zod issue paths as field paths with indices', () => {
    expect(formatIssuePath(['graph', 'nodes', 3, 'units'])).toBe('graph.nodes[3].units');
    expect(formatIssuePath([0, 'a'])).toBe('[0].a');
    expect(formatIssuePath([])).toBe('');
  });

  it('every error raised on purpose keeps its own code and path', () => {
    const cycle = new GraphError(validateGraph({ nodes: [{ id: 'x', type: 'Input', size: 2 }, { id: 'a', type: 'Linear', in: ['x'], units: -1 }], outputs: ['a'] }));
    const cases: [Error, string, string | undefined][] = [
      [new ConflictError('p', 1, 2), 'conflict', 'revision'],
      [new ReadOnlyError('newer schema'), 'read_only', undefined],
      [new NotFoundError('project', 'p9'), 'not_found', 'projectId'],
      [new NotFoundError('run', 'r9'), 'not_found', 'runId'],
      [new LibraryFullError('metrics'), 'disk_full', undefined],
      [new LibraryCorruptError('/l.sqlite', '/l.sqlite.corrupt', 'bad page', []), 'library_corrupt', undefined],
      [new StoreInputError('unknown template', 'template'), 'store_input', 'template'],
      [new ModelJsonError('bad units', 'nodes[3].units'), 'invalid_model', 'nodes[3].units'],
      [new NewerVersionError(2), 'newer_version', 'version'],
      [cycle, 'invalid_model', 'nodes[1].units'],
      [new ParamError('expected 2 rows', 'params.fc1.weight'), 'invalid_params', 'params.fc1.weight'],
      [new LossError('cross_entropy: row 3 has class 4', 'cross_entropy'), 'loss_mismatch', 'training.loss'],
      [new TrainingError('epochs must be…', 'training.epochs'), 'invalid_training', 'training.epochs'],
      [new OptimizerError('adam: betas[0] must be in [0, 1)', 'adam', 'betas'), 'invalid_training', 'optimizer.betas'],
      [new CsvError('ragged row', 12), 'invalid_data', 'line 12'],
      [new CliError('give --out'), 'invalid_input', undefined],
      [new RunNotActiveError('r1'), 'not_found', 'runId'],
      [new ApiFailure('invalid_input', 'units must be positive', 'fc1.units'), 'invalid_input', 'fc1.units'],
    ];
    for (const [err, code, path] of cases) {
      expect(toApiError(err), err.name).toEqual({ code, message: err.message, ...(path ? { path } : {}) });
    }
  });

  it('anything else is `failed`, whatever its class is called', () => {
    expect(toApiError(new Error('disk on fire'))).toEqual({ code: 'failed', message: 'disk on fire' });
    const impostor = Object.assign(new Error('not really'), { name: 'ConflictError' });
    expect(toApiError(impostor)).toEqual({ code: 'failed', message: 'not really' });
    expect(toApiError('a string')).toEqual({ code: 'failed', message: 'a string' });
  });

  it('handle() never throws: a throwing service, an unknown name and bad input all come back as replies', async () => {
    const methods = {
      'projects.get': () => {
        throw new NotFoundError('project', 'p');
      },
      'projects.list': async () => {
        throw new TypeError('boom');
      },
    } as unknown as ServiceMethods;
    const api = createApi({ methods, subscribe: () => () => {} });
    expect(await api.handle('projects.get', { id: 'p' })).toEqual({ ok: false, error: { code: 'not_found', message: "no project with id 'p' in the library", path: 'projectId' } });
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
