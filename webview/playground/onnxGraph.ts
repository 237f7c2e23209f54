// Builds the ONNX model of a playground variant with the protobuf classes generated from the official
// ONNX schema (onnx-buf on @bufbuild/protobuf) and serialises it for ONNX Runtime. One graph per form:
// ACBlock's training form (three Conv → BatchNormalization branches, Slice for the seed's crop, summed
// with a chain of Add) and its fused deploy form. It builds bytes only; it does not run them.
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProtoSchema,
  TensorProto_DataType,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import type { BatchNorm, ConvLayer } from './model/convLayer';
import type { VariantModel } from './model/variantModel';

/** Opset 17: Conv, ConvTranspose, BatchNormalization (inference), Slice with tensor inputs, Add. */
const OPSET = 17n;
/** IR version 8 pairs with opset 17 (onnx/onnx docs/Versioning.md). */
const IR_VERSION = 8n;
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'output';

class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];

  /** Adds a float32 initializer. proto2 `float_data` would work too; raw little-endian bytes are smaller and what ORT reads fastest. */
  floats(name: string, dims: readonly number[], data: ArrayLike<number>): string {
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
    this.initializers.push(
      create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: TensorProto_DataType.FLOAT, rawData: bytes }),
    );
    return name;
  }

  int64s(name: string, data: readonly number[]): string {
    const bytes = new Uint8Array(data.length * 8);
    const view = new DataView(bytes.buffer);
    data.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push(
      create(TensorProtoSchema, { name, dims: [BigInt(data.length)], dataType: TensorProto_DataType.INT64, rawData: bytes }),
    );
    return name;
  }

  node(opType: string, name: string, inputs: string[], attributes: AttributeProto[] = []): string {
    const output = `${name}_out`;
    this.nodes.push(create(NodeProtoSchema, { opType, name, input: inputs, output: [output], attribute: attributes }));
    return output;
  }

  /** A conv or transposed conv layer. ONNX pads are `[top, left, bottom, right]`; torch pads both sides equally. */
  conv(layer: ConvLayer, input: string): string {
    const s = layer.spec;
    const inputs = [input, this.floats(`${layer.name}.weight`, layer.weight.dims, layer.weight.data)];
    if (layer.bias) inputs.push(this.floats(`${layer.name}.bias`, [layer.bias.length], layer.bias));
    const attrs = [
      ints('kernel_shape', s.kernelSize),
      ints('strides', s.stride),
      ints('dilations', s.dilation),
      ints('pads', [...s.padding, ...s.padding]),
      int('group', s.groups),
    ];
    // ConvTranspose: with explicit pads, ONNX's output shape formula is
    // `stride·(in − 1) + output_padding + ((k − 1)·dilation + 1) − pad_begin − pad_end`, torch's formula.
    if (s.transposed) attrs.push(ints('output_padding', s.outputPadding));
    return this.node(s.transposed ? 'ConvTranspose' : 'Conv', layer.name, inputs, attrs);
  }

  batchNorm(bn: BatchNorm, input: string): string {
    const c = [bn.gamma.length];
    return this.node(
      'BatchNormalization',
      bn.name,
      [
        input,
        this.floats(`${bn.name}.weight`, c, bn.gamma),
        this.floats(`${bn.name}.bias`, c, bn.beta),
        this.floats(`${bn.name}.running_mean`, c, bn.mean),
        this.floats(`${bn.name}.running_var`, c, bn.variance),
      ],
      [float('epsilon', bn.epsilon)],
    );
  }

  /** The seed's CropLayer as a Slice over H and W (ends are negative offsets from the end). */
  crop(name: string, input: string, rows: number, cols: number): string {
    if (rows === 0 && cols === 0) return input;
    const big = 2 ** 31 - 1;
    return this.node('Slice', name, [
      input,
      this.int64s(`${name}.starts`, [rows, cols]),
      this.int64s(`${name}.ends`, [rows > 0 ? -rows : big, cols > 0 ? -cols : big]),
      this.int64s(`${name}.axes`, [2, 3]),
    ]);
  }
}

function ints(name: string, values: readonly number[]): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: values.map(BigInt) });
}
function int(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(value) });
}
function float(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value });
}

function valueInfo(name: string, dims: readonly number[]): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: TensorProto_DataType.FLOAT,
          shape: create(TensorShapeProtoSchema, {
            dim: dims.map((d) => create(TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(d) } })),
          }),
        }),
      },
    }),
  });
}

/**
 * Serialises one form of `model` as an ONNX model with input `input` and output `output`.
 * For ACBlock, `train` is the three-branch graph and `deploy` the fused conv; other variants ignore `form`.
 */
export function buildOnnxModel(
  model: VariantModel,
  inputDims: readonly number[],
  outputDims: readonly number[],
  form: 'train' | 'deploy' = 'train',
): Uint8Array {
  const g = new GraphBuilder();
  let out: string;
  switch (model.kind) {
    case 'single':
      out = g.conv(model.conv, INPUT_NAME);
      break;
    case 'dsc':
      out = g.conv(model.pointwise, g.conv(model.depthwise, INPUT_NAME));
      break;
    case 'acblock': {
      if (form === 'deploy') {
        out = g.conv(model.fused, INPUT_NAME);
        break;
      }
      const branch = (b: typeof model.square, name: string): string =>
        g.batchNorm(b.bn, g.conv(b.conv, g.crop(`${name}_crop`, INPUT_NAME, b.crop[0], b.crop[1])));
      // Two Adds rather than one three-input Sum: Sum has no WebGPU kernel and would fall back to CPU.
      out = g.node('Add', 'add_hor', [
        g.node('Add', 'add_ver', [branch(model.square, 'square'), branch(model.ver, 'ver')]),
        branch(model.hor, 'hor'),
      ]);
      break;
    }
  }
  // Rename the last node's output to the graph output.
  const last = g.nodes[g.nodes.length - 1]!;
  last.output = [OUTPUT_NAME];
  void out;
  const graph = create(GraphProtoSchema, {
    name: `convlens_${model.variant}_${form}`,
    node: g.nodes,
    initializer: g.initializers,
    input: [valueInfo(INPUT_NAME, inputDims)],
    output: [valueInfo(OUTPUT_NAME, outputDims)],
  });
  const proto = create(ModelProtoSchema, {
    irVersion: IR_VERSION,
    producerName: 'conv-lens playground',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: OPSET })],
    graph,
  });
  return toBinary(ModelProtoSchema, proto);
}
