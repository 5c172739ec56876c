export { parseModelJson, validateModelJson, toModelJson, trainingBlockSchema } from './modeljson';
export { exportPytorch } from './pytorch';
export { ModelJsonError, NewerVersionError, parseJsonSafely, formatPath } from './errors';
