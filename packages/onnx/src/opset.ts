/**
 * The oldest opset of the default (`ai.onnx`) domain that `importOnnx` reads: 11, the first in which the operators
 * it maps (Gemm with an optional `C`, Conv, pooling with `pads`, BatchNormalization without `spatial`) took their
 * current form.
 */
export const MIN_IMPORT_OPSET = 11;

/**
 * The oldest opset `exportOnnx` writes: 13, where `Softmax` became an operation on one axis (`axis = -1`), as the
 * `Softmax` layer is.
 */
export const MIN_EXPORT_OPSET = 13;

/**
 * The newest opset of the default domain that both `importOnnx` reads and `exportOnnx` writes: the newest that the
 * ONNX Runtime version this package is tested against (`onnxruntime-web` 1.31) accepts (it refuses 27).
 */
export const MAX_OPSET = 26;

/**
 * The opset `exportOnnx` writes by default: 17, which every ONNX Runtime since 1.12 (2022), PyTorch's exporter and
 * most converters read. Opset 20 and later write `GELU` as one `Gelu` node instead of its formula.
 */
export const DEFAULT_EXPORT_OPSET = 17;

// The oldest IR version that may carry each opset, from the table in ONNX's docs/Versioning.md: a runtime rejects a
// model whose IR version is older than its opset needs, and an older one than needed is readable by more runtimes.
const IR_VERSION_BY_OPSET: readonly [opset: number, irVersion: number][] = [
  [13, 7],
  [15, 8],
  [19, 9],
  [21, 10],
  [23, 11],
  [24, 12],
  [25, 13],
];

/** The IR version written with `opset`. @internal */
export function irVersionFor(opset: number): number {
  let ir = IR_VERSION_BY_OPSET[0][1];
  for (const [from, version] of IR_VERSION_BY_OPSET) if (opset >= from) ir = version;
  return ir;
}
