export { compile, ParamError, type CompileOptions } from './compile';
export { Model, type ParamView, type CompiledNode } from './model';
export { analyzeGraph, validateGraph, inferWidths, GraphError, LIMITS, formatBytes, type GraphIssue, type GraphAnalysis } from './validate';
export { INITIALIZERS, INIT_DOCS, type InitName } from './init';
export type * from './types';
export { summarizeGraph, type GraphSummary, type SummaryRow } from './summary';
