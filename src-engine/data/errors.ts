/** Typed errors of the data module: each names what is wrong and where. */

/** A CSV file that cannot become a table. `line` is 1-based in the file as the user sees it. */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
  }
}

/** A dataset request or operation that cannot be honoured (unknown name, bad split, bad shape). */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    message: string,
    /** The argument or field at fault, e.g. `features[2]` or `validation`. */
    readonly field?: string,
  ) {
    super(message);
  }
}
