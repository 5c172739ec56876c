/** Tensors and attributes of ONNX messages: writing float32/int64 data, reading any numeric tensor back. */
import { ATTR_TYPE, DATA_TYPE, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-schema';

/** A float32 tensor, its data little-endian in raw_data (as onnx.numpy_helper writes it). */
export function floatTensor(name: string, values: ArrayLike<number>, dims: number[]): OnnxTensor {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims, data_type: DATA_TYPE.FLOAT, raw_data: bytes };
}

export function int64Tensor(name: string, values: number[], dims: number[]): OnnxTensor {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims, data_type: DATA_TYPE.INT64, raw_data: bytes };
}

export const attrFloat = (name: string, f: number): OnnxAttribute => ({ name, type: ATTR_TYPE.FLOAT, f });
export const attrInt = (name: string, i: number): OnnxAttribute => ({ name, type: ATTR_TYPE.INT, i });
export const attrInts = (name: string, ints: number[]): OnnxAttribute => ({ name, type: ATTR_TYPE.INTS, ints });

/**
 * The shortest decimal that is the same float32 (0.1 for 0.100000001490116…), so weights and
 * attributes read from a float32 file come back as the numbers that were written.
 */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  for (let p = 1; p < 10; p++) {
    const c = Number(v.toPrecision(p));
    if (Math.fround(c) === v) return c;
  }
  return v;
}

/** A tensor's values as float64 (float32 data in its shortest decimals), with its dims; a string names what cannot be read. */
export function readTensor(t: OnnxTensor): { dims: number[]; values: Float64Array } | string {
  const dims = (t.dims ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  if (t.data_location === 1 || (t.external_data?.length ?? 0) > 0) return 'its data is stored in an external file; save the model with all tensors inside the .onnx file';
  const raw = t.raw_data && t.raw_data.length > 0 ? t.raw_data : null;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  let values: Float64Array;
  switch (t.data_type) {
    case DATA_TYPE.FLOAT:
      values = view ? Float64Array.from({ length: raw!.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true)) : Float64Array.from(t.float_data ?? []);
      values = values.map(shortestFloat32);
      break;
    case DATA_TYPE.DOUBLE:
      values = view ? Float64Array.from({ length: raw!.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true)) : Float64Array.from(t.double_data ?? []);
      break;
    case DATA_TYPE.INT64:
      values = view ? Float64Array.from({ length: raw!.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true))) : Float64Array.from(t.int64_data ?? []);
      break;
    case 6: // INT32
      values = view ? Float64Array.from({ length: raw!.byteLength / 4 }, (_, i) => view.getInt32(i * 4, true)) : Float64Array.from(t.int32_data ?? []);
      break;
    default:
      return `its data type ${t.data_type} is not float, double or an integer`;
  }
  if (values.length !== count) return `it has ${values.length} values but its dims [${dims.join(', ')}] need ${count}`;
  return { dims, values };
}

/** An attribute of a node as a number or list of numbers (undefined when absent). */
export function attrValue(node: OnnxNode, name: string): number | number[] | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return undefined;
  switch (a.type) {
    case ATTR_TYPE.FLOAT:
      return shortestFloat32(a.f ?? 0);
    case ATTR_TYPE.INT:
      return Number(a.i ?? 0);
    case ATTR_TYPE.FLOATS:
      return (a.floats ?? []).map(shortestFloat32);
    case ATTR_TYPE.INTS:
      return (a.ints ?? []).map(Number);
    default:
      return undefined;
  }
}

/** A numeric attribute with its ONNX default. */
export function attrNumber(node: OnnxNode, name: string, dflt: number): number {
  const v = attrValue(node, name);
  return typeof v === 'number' ? v : dflt;
}
