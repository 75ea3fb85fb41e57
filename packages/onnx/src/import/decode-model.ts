import { fromBinary } from '@bufbuild/protobuf';
import { OnnxFormatError } from '../onnx-format-error.js';
import { MAX_OPSET, MIN_IMPORT_OPSET } from '../opset.js';
import { type ModelProto, ModelProtoSchema } from '../proto/onnx_pb.js';
import { UnsupportedOnnxError } from '../unsupported-onnx-error.js';
import { isDefaultDomain } from './graph-index.js';

/**
 * Decodes the bytes of an ONNX file as a `ModelProto` and checks what every ONNX model has: an IR version, a graph
 * and the version of the default operator set, within the range this library reads. Decoding allocates in proportion
 * to the bytes given (protobuf lengths are checked against them); any failure is an {@link OnnxFormatError}.
 * @internal
 */
export function decodeModel(bytes: unknown): { model: ModelProto; opset: number } {
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  if (!(bytes instanceof Uint8Array)) {
    throw new OnnxFormatError(
      `importOnnx: expected the bytes of an ONNX file as a Uint8Array or ArrayBuffer, found ${describe(bytes)}`,
    );
  }
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: false });
  } catch (error) {
    // Includes a RangeError from the decoder's recursion on absurdly deep nesting: still bytes that are no model.
    throw new OnnxFormatError(
      `not an ONNX model: the bytes are not a valid protobuf ModelProto (${(error as Error)?.message ?? error})`,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (model.irVersion <= 0n)
    throw new OnnxFormatError(`not an ONNX model: ir_version is ${model.irVersion}, expected a positive version`);
  if (!model.graph) throw new OnnxFormatError('not an ONNX model: it has no graph');
  const versions = model.opsetImport.filter((o) => isDefaultDomain(o.domain)).map((o) => o.version);
  if (versions.length !== 1) {
    throw new OnnxFormatError(
      `the model must import the default (ai.onnx) operator set once, found ${versions.length === 0 ? 'no import of it' : `${versions.length} imports`}`,
    );
  }
  const version = versions[0];
  if (version < BigInt(MIN_IMPORT_OPSET) || version > BigInt(MAX_OPSET)) {
    throw new UnsupportedOnnxError(
      `the model uses opset ${version} of the default (ai.onnx) domain; importOnnx reads opsets ${MIN_IMPORT_OPSET} to ${MAX_OPSET}${version < BigInt(MIN_IMPORT_OPSET) ? ' (convert older models with onnx.version_converter)' : ''}`,
    );
  }
  return { model, opset: Number(version) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
