import { NeurographError, type ErrorCode } from '../../src-engine';

/** A user error on the command line: printed as one clear line, exit code 2. */
export class CliError extends NeurographError {
  constructor(message: string, code: ErrorCode = 'invalid_input', path?: string) {
    super(message, code, path);
  }
}
