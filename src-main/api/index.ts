/** The api between UI and services: the contract (types, schemas, wire format) and its handler. */
export * from './contract';
export { createApi, isRequestName, type Api, type ApiServices, type ServiceMethods, type ParsedInput } from './handlers';
export { ApiFailure, toApiError, fromZodError, formatIssuePath } from './errors';
