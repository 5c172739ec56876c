/** Typed errors of the data module: each names what is wrong and where. */
import { NeurographError } from '../errors';

/** A CSV file that cannot become a table. `line` is 1-based in the file as the user sees it. */
export class CsvError extends NeurographError {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message, 'invalid_data', line !== undefined ? `line ${line}` : column);
  }
}

/** A dataset request or operation that cannot be honoured (unknown name, bad split, bad shape). */
export class DatasetError extends NeurographError {
  constructor(
    message: string,
    /** The argument or field at fault, e.g. `features[2]` or `validation`. */
    readonly field?: string,
  ) {
    super(message, 'invalid_data', field);
  }
}
