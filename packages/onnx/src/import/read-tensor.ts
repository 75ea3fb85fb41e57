import { type TensorProto, TensorProto_DataLocation, TensorProto_DataType } from '../proto/onnx_pb.js';

/** A float32 tensor read from a file: its dimensions and values. @internal */
export interface ImportedTensor {
  readonly shape: number[];
  readonly values: Float32Array;
}

/** The float32 values the importer may still allocate for weights, shared by every tensor of one import. @internal */
export interface ValueBudget {
  used: number;
  readonly max: number;
}

/** What {@link readFloat32} reports a problem with: thrown as the caller's typed errors. @internal */
export interface TensorProblems {
  /** A tensor this library cannot read (external data, another element type). */
  unsupported(detail: string): Error;
  /** A tensor that contradicts itself or passes a limit. */
  invalid(detail: string): Error;
}

// Larger dimensions are not tensors of a network that fits in memory; bounding each keeps the product exact.
const MAX_DIMENSION = 2 ** 31;

/**
 * Reads the values of a float32 tensor, checking every claim it makes before allocating anything: the size its
 * dimensions declare must be paid for by the bytes (or `float_data` entries) the file actually holds, so a forged
 * shape cannot make the importer allocate more than the file's own size, and the running total stays within the
 * budget. @internal
 */
export function readFloat32(
  tensor: TensorProto,
  name: string,
  budget: ValueBudget,
  problems: TensorProblems,
): ImportedTensor {
  const shape = readDims(tensor, name, problems);
  checkStorage(tensor, name, problems);
  if (tensor.dataType !== TensorProto_DataType.FLOAT) {
    throw problems.unsupported(
      `tensor '${name}' holds ${dataTypeName(tensor.dataType)} values; only float32 (FLOAT) weights import`,
    );
  }
  const size = sizeOf(shape, name, budget.max - budget.used, problems);
  let values: Float32Array;
  if (tensor.rawData.length > 0) {
    if (tensor.rawData.length !== size * 4) {
      throw problems.invalid(
        `tensor '${name}' declares [${shape}] (${size} float32 values, ${size * 4} bytes) but holds ${tensor.rawData.length} bytes of raw_data`,
      );
    }
    values = new Float32Array(size);
    const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
    for (let i = 0; i < size; i++) values[i] = view.getFloat32(i * 4, true);
  } else {
    if (tensor.floatData.length !== size) {
      throw problems.invalid(
        `tensor '${name}' declares [${shape}] (${size} values) but holds ${tensor.floatData.length} in float_data`,
      );
    }
    values = Float32Array.from(tensor.floatData);
  }
  for (let i = 0; i < size; i++) {
    if (!Number.isFinite(values[i])) {
      throw problems.invalid(`value ${i} of tensor '${name}' is ${values[i]}; weights must be finite`);
    }
  }
  budget.used += size;
  return { shape, values };
}

/** Reads a small int64 tensor (a shape for `Reshape`, at most `maxSize` values) as numbers. @internal */
export function readInt64(tensor: TensorProto, name: string, maxSize: number, problems: TensorProblems): number[] {
  const shape = readDims(tensor, name, problems);
  checkStorage(tensor, name, problems);
  if (tensor.dataType !== TensorProto_DataType.INT64) {
    throw problems.unsupported(`tensor '${name}' holds ${dataTypeName(tensor.dataType)} values; expected INT64`);
  }
  const size = sizeOf(shape, name, maxSize, problems);
  const values: bigint[] = [];
  if (tensor.rawData.length > 0) {
    if (tensor.rawData.length !== size * 8) {
      throw problems.invalid(
        `tensor '${name}' declares [${shape}] (${size} int64 values, ${size * 8} bytes) but holds ${tensor.rawData.length} bytes of raw_data`,
      );
    }
    const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
    for (let i = 0; i < size; i++) values.push(view.getBigInt64(i * 8, true));
  } else {
    if (tensor.int64Data.length !== size) {
      throw problems.invalid(
        `tensor '${name}' declares [${shape}] (${size} values) but holds ${tensor.int64Data.length} in int64_data`,
      );
    }
    values.push(...tensor.int64Data);
  }
  return values.map((v) => {
    if (v < -MAX_DIMENSION || v > MAX_DIMENSION) throw problems.invalid(`tensor '${name}' holds ${v}, out of range`);
    return Number(v);
  });
}

function readDims(tensor: TensorProto, name: string, problems: TensorProblems): number[] {
  if (tensor.dims.length > 8)
    throw problems.unsupported(`tensor '${name}' has ${tensor.dims.length} dimensions; at most 8 import`);
  return tensor.dims.map((d, i) => {
    if (d < 0n || d > BigInt(MAX_DIMENSION)) {
      throw problems.invalid(
        `dimension ${i} of tensor '${name}' is ${d}; expected an integer in [0, ${MAX_DIMENSION}]`,
      );
    }
    return Number(d);
  });
}

function checkStorage(tensor: TensorProto, name: string, problems: TensorProblems): void {
  if (tensor.dataLocation === TensorProto_DataLocation.EXTERNAL || tensor.externalData.length > 0) {
    const location = tensor.externalData.find((entry) => entry.key === 'location')?.value;
    throw problems.unsupported(
      `tensor '${name}' keeps its data in an external file${location ? ` ('${location}')` : ''}; save the model with its weights inside it (in Python: onnx.save_model(model, path, save_as_external_data=False))`,
    );
  }
  if (tensor.segment !== undefined) throw problems.unsupported(`tensor '${name}' is a segment of a larger tensor`);
}

/** The number of values `shape` declares, failing as soon as the running product passes `max`. */
function sizeOf(shape: readonly number[], name: string, max: number, problems: TensorProblems): number {
  let size = 1;
  for (const d of shape) {
    size *= d;
    if (size > max) {
      throw problems.invalid(
        `tensor '${name}' declares [${shape}], more values than the import may hold (maxParameters: ${max} left); pass a larger maxParameters to import a bigger model`,
      );
    }
  }
  return size;
}

function dataTypeName(type: number): string {
  return TensorProto_DataType[type] ?? `data type ${type}`;
}
