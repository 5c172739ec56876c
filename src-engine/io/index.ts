export { parseModelJson, validateModelJson, toModelJson } from './modeljson';
export { exportPytorch } from './pytorch';
export { ModelJsonError, NewerVersionError, parseJsonSafely, formatPath } from './errors';
