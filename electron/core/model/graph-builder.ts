// What every graph builder shares: the request, the plan of layers a request needs, and a small ONNX node/initializer
// collector whose weights stay outside the graph (external data by offset into the weights, or in-memory files).
import onnxProto from 'onnx-proto';
import { parseTapName } from '../../../shared/taps.js';
import type { ArchitectureDescription } from './arch.js';
import type { GraphVariant, Gpt2Config } from './types.js';
import type { WeightRef } from './weights.js';

const { onnx } = onnxProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;

export const INPUT_IDS = 'input_ids';
export const LOGITS = 'logits';

export interface GraphRequest {
  /** GPT-2's config (graph.ts) or any family's description */
  config: Gpt2Config | ArchitectureDescription;
  /** canonical weight name (weights.ts) → its float32 bytes */
  weights: ReadonlyMap<string, WeightRef>;
  /** taps whose per-token L2 norm is an output (`normName(tap)`, float32 [B, T]); the input is int64 ids [B, T], rows
   * right-padded to one length (causal attention keeps a row's padding from its real tokens) */
  norms: readonly string[];
  /** taps whose activations are an output (named as the tap, float32 [B, T, n_embd]) */
  vectors: readonly string[];
  logits: boolean;
  /**
   * 'gqa': 'fused' with attention as one full-width QKV MatMul into com.microsoft GroupQueryAttention, whose float32 CPU
   * kernel computes only the causal triangle — fastest on the CPU provider (its CUDA kernel is fp16/bf16 only). Head sizes
   * that are not a multiple of 8 get 'fused' attention.
   * 'fused': onnxruntime's com.microsoft Attention (causal), SkipLayerNormalization and FastGelu — for CUDA.
   * 'standard': opset-20 operators only, for providers without the contrib operators (CoreML, WebGPU).
   */
  ops: GraphVariant;
  /** longest input the graph must take (rotary tables are built this long); default the model's context */
  context?: number;
}

/** Layers and sites a request needs computed. */
export interface Plan {
  /** last layer whose attention must run */
  last: number;
  /** whether the last layer's MLP (and so its residual sum) must run */
  lastMlp: boolean;
}

export function plan(req: Pick<GraphRequest, 'norms' | 'vectors' | 'logits'>, nLayer: number): Plan {
  if (req.logits) return { last: nLayer - 1, lastMlp: true };
  let last = -1, lastMlp = false;
  for (const tap of [...req.norms, ...req.vectors]) {
    const p = parseTapName(tap)!;
    if (p.layer > last) { last = p.layer; lastMlp = false; }
    if (p.layer === last && p.site !== 'attn') lastMlp = true;
  }
  return { last, lastMlp };
}

export const intAttr = (name: string, i: number): IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
export const intsAttr = (name: string, ints: number[]): IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
export const floatAttr = (name: string, f: number): IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });
export const stringAttr = (name: string, s: string): IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) });

export class GraphBuilder {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  private counter = 0;
  constructor(private readonly weights: ReadonlyMap<string, WeightRef>) {}

  fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  node(opType: string, inputs: string[], outputs: string[], attrs: IAttributeProto[] = [], domain = ''): string[] {
    this.nodes.push({ opType, domain, input: inputs, output: outputs, attribute: attrs, name: this.fresh(opType) });
    return outputs;
  }

  /** One-output node with a generated output name. */
  op(opType: string, inputs: string[], attrs: IAttributeProto[] = [], domain = ''): string {
    return this.node(opType, inputs, [this.fresh(opType.toLowerCase())], attrs, domain)[0]!;
  }

  /** A checkpoint weight, as an initializer whose data stays outside the graph. */
  weight(name: string, dims: number[]): string {
    const ref = this.weights.get(name);
    if (!ref) throw new Error(`graph: no location for weight ${name}`);
    this.initializers.push({
      name, dims, dataType: onnx.TensorProto.DataType.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: ref.location },
        { key: 'offset', value: String(ref.offset) },
        { key: 'length', value: String(ref.length) },
      ],
    });
    return name;
  }

  int64s(values: number[], dims = [values.length]): string {
    const name = this.fresh('const');
    const data = new BigInt64Array(values.map(BigInt));
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  floats(values: Float32Array, dims: number[]): string {
    const name = this.fresh('const');
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) });
    return name;
  }

  /** The encoded model: one int64 [B, T] input, float32 outputs; com.microsoft imported when contrib operators are used. */
  encode(name: string, outputs: { name: string; dims: (number | string)[] }[], contrib: boolean): Uint8Array {
    const tensorType = (elemType: number, dims: (number | string)[]) => ({
      tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } },
    });
    const model = onnx.ModelProto.create({
      irVersion: 10,
      producerName: 'normscope',
      opsetImport: [{ domain: '', version: 20 }, ...(contrib ? [{ domain: 'com.microsoft', version: 1 }] : [])],
      graph: {
        name,
        node: this.nodes,
        initializer: this.initializers,
        input: [{ name: INPUT_IDS, type: tensorType(onnx.TensorProto.DataType.INT64, ['B', 'T']) }],
        output: outputs.map((o) => ({ name: o.name, type: tensorType(onnx.TensorProto.DataType.FLOAT, o.dims) })),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
