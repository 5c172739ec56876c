/** The api between UI and services: the contract (types, schemas, wire format), its handler and the methods behind it. */
export * from './contract';
export { createApi, isRequestName, type Api, type ApiServices, type ServiceMethods, type ParsedInput } from './handlers';
export { createMethods } from './methods';
export type { LibraryStore, DatasetCatalog, RunHost, MethodDeps, ProjectSave, CsvImportOptions } from './deps';
export { ApiFailure, toApiError, fromZodError, formatIssuePath } from './errors';
/** The desktop shell's command messages, for the renderer (types only). */
export type { AppCommandMessage, AppCommandBridge, OpenedFileKind, RendererCommand } from '../shell';
