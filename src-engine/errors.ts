/**
 * One error model for the whole product. Every error raised on purpose — by the engine, the library,
 * the CLI or the api — is a NeurographError carrying a `code` (what kind of failure, which the api
 * answers with) and, where known, a `path` (where: `training.optimizer.betas`, `nodes[3].units`,
 * `line 12`). The api maps by `code`, never by class name; nothing else needs to know the classes.
 */

/** Every code a failure can carry, with what it means to the user. */
export const ERROR_CODES = {
  invalid_input: 'a request or argument does not have the expected shape',
  invalid_model: 'a model file or graph cannot be read or compiled',
  newer_version: 'written by a newer Neurograph',
  invalid_params: 'weights or state do not fit the graph',
  invalid_training: 'a training block cannot train (loss, optimizer, hyper-parameters, splits)',
  invalid_data: 'a data set or CSV table cannot be used',
  loss_mismatch: 'targets do not fit what the loss expects',
  store_input: 'the library cannot honour the request as given',
  not_found: 'no such project, run or dataset',
  conflict: 'changed elsewhere since it was read',
  read_only: 'the library is read-only',
  library_corrupt: 'the library file is damaged',
  disk_full: 'the disk is full',
  busy: 'another process holds the library',
  unauthorized: 'missing or wrong launch token',
  unknown_request: 'no such api request',
  failed: 'an unexpected failure',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The base of every error raised on purpose: a code and, where known, the path of what is wrong. */
export class NeurographError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly path?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** zod-style path ['nodes', 3, 'units'] → "nodes[3].units". */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');
}
