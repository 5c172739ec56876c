/**
 * Data sets: playground generators and feature maps, truth tables, CSV import with a report of bad
 * cells, the built-in catalog, seeded splits and standardization. Pure TypeScript
 * (no node: imports): runs in the renderer, the trainer and the CLI alike.
 */
export { CsvError, DatasetError } from './errors';
export {
  circle,
  xor2d,
  gauss,
  spiral,
  regPlane,
  regGauss,
  blobs,
  regGaussLabel,
  REG_GAUSS_CENTRES,
  PLAYGROUND_SETS,
  generatePlayground,
  isPlaygroundName,
} from './playground';
export type { PlaygroundPoint, PlaygroundGenerator, PlaygroundName } from './playground';
export { FEATURES, DEFAULT_FEATURES, featureColumns, isFeatureName } from './features';
export type { FeatureName } from './features';
export { truthTable, isTruthTableName } from './truth';
export type { TruthTableName } from './truth';
export { parseCsv, MAX_CSV_CHARS } from './csv';
export type { CsvTable, CsvParseOptions, CsvDelimiter } from './csv';
export { parseCell, analyseTable, describeBadCells, BAD_CELL_TEXT, MAX_CLASSES } from './cells';
export type { BadCellKind, BadCells, ColumnReport, CsvReport, Cell } from './cells';
export { csvToDataset, inspectCsv } from './csvDataset';
export type { CsvDatasetOptions, CsvImport, MissingPolicy } from './csvDataset';
export { splitIndices, fitStandardizer, applyStandardizer, fitScaling, scaleRows, toOneHot, fromOneHot, assertFinite } from './dataset';
export type { Dataset, Task, SplitIndices, Standardizer, Scaling } from './dataset';
export { pimaSynthetic, PIMA_COLUMNS, PIMA_ROWS, PIMA_POSITIVE } from './pima';
export { BUILTIN_DATASETS, findBuiltin, builtinDataset, sampleDataset } from './catalog';
export type { BuiltinDataset, BuiltinOptions } from './catalog';
