export { parseModelJson, validateModelJson, toModelJson } from './modeljson';
export { exportPytorch } from './pytorch';
export { exportOnnx, ONNX_OPSET, ONNX_IR_VERSION, type OnnxExportOptions } from './onnx-export';
export { importOnnx, ONNX_MAX_BYTES } from './onnx-import';
export { readScaling, applyScaling, type InputScaling } from './scaling';
export { ModelJsonError, NewerVersionError, parseJsonSafely, formatPath } from './errors';
