// Builds the forward pass of a rotary decoder (Llama, Mistral, Qwen 2/3, GPT-NeoX, Gemma 2/3) from its architecture
// description as an ONNX model whose outputs are the requested taps, their per-token L2 norms and, when asked, the
// logits. Hidden states are kept [B·T, D], so every nn.Linear is one Gemm reading its [out, in] weight transposed in place.
import onnxProto from 'onnx-proto';
import { normName, tapName } from '../../../shared/taps.js';
import type { ArchitectureDescription, Rotary } from './arch.js';
import { floatAttr, GraphBuilder, INPUT_IDS, intAttr, intsAttr, LOGITS, plan, stringAttr, type GraphRequest } from './graph-builder.js';
import { LM_HEAD } from './families/names.js';
import { rotaryTables } from './rotary.js';

const { onnx } = onnxProto;

interface Ctx {
  g: GraphBuilder;
  a: ArchitectureDescription;
  /** Shape(input_ids): [B, T] */
  bt: string;
  /** T as a [1] int64 */
  T: string;
  gqa: boolean;
  /** context the rotary tables cover */
  positions: number;
}

/** y = x·Wᵀ (+ b) for nn.Linear's [out, in] weight. */
function linear(c: Ctx, x: string, name: string, out: number, inp: number, bias: boolean): string {
  const ins = [x, c.g.weight(`${name}.weight`, [out, inp])];
  if (bias) ins.push(c.g.weight(`${name}.bias`, [out]));
  return c.g.op('Gemm', ins, [intAttr('transB', 1)]);
}

/** The description's norm over the last axis (width `width`), weights `name.weight` (and `.bias`). */
function norm(c: Ctx, x: string, name: string, width: number): string {
  const { g, a } = c;
  const w = g.weight(`${name}.weight`, [width]);
  if (a.norm.kind === 'layernorm') {
    return g.op('LayerNormalization', [x, w, g.weight(`${name}.bias`, [width])], [floatAttr('epsilon', a.norm.eps), intAttr('axis', -1)]);
  }
  // RMSNorm written with standard operators, so every provider computes it the same way
  const ms = g.op('ReduceMean', [g.op('Mul', [x, x]), g.int64s([-1])], [intAttr('keepdims', 1)]);
  const normed = g.op('Div', [x, g.op('Sqrt', [g.op('Add', [ms, g.floats(new Float32Array([a.norm.eps]), [])])])]);
  const scale = a.norm.kind === 'rmsnorm1p' ? g.op('Add', [w, g.floats(new Float32Array([1]), [])]) : w;
  return g.op('Mul', [normed, scale]);
}

const ACT: Record<ArchitectureDescription['mlp']['act'], (g: GraphBuilder, x: string) => string> = {
  silu: (g, x) => g.op('Mul', [x, g.op('Sigmoid', [x])]),
  gelu: (g, x) => g.op('Gelu', [x]),
  gelu_tanh: (g, x) => g.op('Gelu', [x], [stringAttr('approximate', 'tanh')]),
};

function mlp(c: Ctx, x: string, i: number): string {
  const { a } = c;
  const p = `layers.${i}.mlp`, D = a.n_embd, I = a.n_inner;
  const up = linear(c, x, `${p}.up`, I, D, a.mlp.bias);
  const hidden = a.mlp.kind === 'gated' ? c.g.op('Mul', [ACT[a.mlp.act](c.g, linear(c, x, `${p}.gate`, I, D, a.mlp.bias)), up]) : ACT[a.mlp.act](c.g, up);
  return linear(c, hidden, `${p}.down`, D, I, a.mlp.bias);
}

/** [B·T, heads·hd] → [B, T, heads, hd] */
const heads4 = (c: Ctx, x: string, heads: number): string =>
  c.g.op('Reshape', [x, c.g.op('Concat', [c.bt, c.g.int64s([heads, c.a.head_dim])], [intAttr('axis', 0)])]);

/** Rotate-half rotary on [B, T, heads, hd]: the first dims/2 and the next dims/2 of each head are the pairs. */
function rotate(c: Ctx, x: string, tables: { cos: string; sin: string }, r: Rotary): string {
  const { g } = c;
  const half = r.dims / 2, rest = c.a.head_dim - r.dims;
  const splits = rest > 0 ? [half, half, rest] : [half, half];
  const parts = g.node('Split', [x, g.int64s(splits)], splits.map(() => g.fresh('rot')), [intAttr('axis', 3)]);
  const [x1, x2] = parts as [string, string];
  const o1 = g.op('Sub', [g.op('Mul', [x1, tables.cos]), g.op('Mul', [x2, tables.sin])]);
  const o2 = g.op('Add', [g.op('Mul', [x2, tables.cos]), g.op('Mul', [x1, tables.sin])]);
  return g.op('Concat', [o1, o2, ...parts.slice(2)], [intAttr('axis', 3)]);
}

/** cos/sin [T, 1, dims/2] for the first T positions (broadcast over batch and heads). */
function tablesFor(c: Ctx, r: Rotary): { cos: string; sin: string } {
  const { g } = c;
  const t = rotaryTables(r, c.positions);
  const slice = (table: Float32Array) =>
    g.op('Unsqueeze', [g.op('Slice', [g.floats(table, [c.positions, r.dims / 2]), g.int64s([0]), c.T, g.int64s([0])]), g.int64s([1])]);
  return { cos: slice(t.cos), sin: slice(t.sin) };
}

/** Additive mask [T, T]: 0 where query i sees key j (i − window < j ≤ i), −inf elsewhere. */
function windowMask(c: Ctx, window: number | null): string {
  const { g } = c;
  const r = g.op('Range', [g.int64s([0], []), g.op('Reshape', [c.T, g.int64s([], [0])]), g.int64s([1], [])]);
  const diff = g.op('Sub', [g.op('Unsqueeze', [r, g.int64s([1])]), g.op('Unsqueeze', [r, g.int64s([0])])]);
  let blocked = g.op('Less', [diff, g.int64s([0], [])]);
  if (window !== null) blocked = g.op('Or', [blocked, g.op('Not', [g.op('Less', [diff, g.int64s([window], [])])])]);
  return g.op('Where', [blocked, g.floats(new Float32Array([-Infinity]), []), g.floats(new Float32Array([0]), [])]);
}

/** Attention with standard operators: q, k, v [B, T, heads, hd] (k and v with kv heads) → [B·T, H·hd]. */
function standardAttention(c: Ctx, q: string, k: string, v: string, mask: string): string {
  const { g, a } = c;
  const H = a.n_head, KV = a.n_kv_head, hd = a.head_dim;
  const perm = (p: number[]) => intsAttr('perm', p);
  const repeat = (x: string) => {
    if (KV === H) return x;
    // kv head j serves query heads j·g … j·g + g − 1
    const shape5 = g.op('Concat', [c.bt, g.int64s([KV, H / KV, hd])], [intAttr('axis', 0)]);
    const expanded = g.op('Expand', [g.op('Unsqueeze', [x, g.int64s([3])]), shape5]);
    return g.op('Reshape', [expanded, g.op('Concat', [c.bt, g.int64s([H, hd])], [intAttr('axis', 0)])]);
  };
  const qh = g.op('Transpose', [q], [perm([0, 2, 1, 3])]);
  const kh = g.op('Transpose', [repeat(k)], [perm([0, 2, 3, 1])]);
  const vh = g.op('Transpose', [repeat(v)], [perm([0, 2, 1, 3])]);
  let scores = g.op('Mul', [g.op('MatMul', [qh, kh]), g.floats(new Float32Array([a.attention.scale]), [])]);
  if (a.attention.softcap !== null) {
    const cap = g.floats(new Float32Array([a.attention.softcap]), []);
    scores = g.op('Mul', [g.op('Tanh', [g.op('Div', [scores, cap])]), cap]);
  }
  const probs = g.op('Softmax', [g.op('Add', [scores, mask])], [intAttr('axis', -1)]);
  const ctx = g.op('Transpose', [g.op('MatMul', [probs, vh])], [perm([0, 2, 1, 3])]);
  return g.op('Reshape', [ctx, g.int64s([-1, H * hd])]);
}

/** onnxruntime's GroupQueryAttention (prompt form, rotary already applied): q [B, T, H·hd], k/v [B, T, KV·hd]. */
function gqaAttention(c: Ctx, q: string, k: string, v: string, window: number | null, lens: { seqlensK: string; total: string }): string {
  const { g, a } = c;
  const flat = (x: string, heads: number) => g.op('Reshape', [x, g.int64s([0, 0, heads * a.head_dim])]);
  const attrs = [intAttr('num_heads', a.n_head), intAttr('kv_num_heads', a.n_kv_head), floatAttr('scale', a.attention.scale)];
  if (a.attention.softcap !== null) attrs.push(floatAttr('softcap', a.attention.softcap));
  // local_window_size w gives HF's window w (query i sees keys i − w < j ≤ i): checked against the float64 reference
  if (window !== null) attrs.push(intAttr('local_window_size', window));
  const out = g.node('GroupQueryAttention', [flat(q, a.n_head), flat(k, a.n_kv_head), flat(v, a.n_kv_head), '', '', lens.seqlensK, lens.total],
    [g.fresh('ctx'), g.fresh('present_key'), g.fresh('present_value')], attrs, 'com.microsoft')[0]!;
  return g.op('Reshape', [out, g.int64s([-1, a.n_head * a.head_dim])]);
}

/** q, k, v of layer i as [B, T, heads, hd], before q/k norms and rotation. */
function projections(c: Ctx, x: string, i: number): [string, string, string] {
  const { g, a } = c;
  const p = `layers.${i}.attn`, D = a.n_embd, q = a.n_head * a.head_dim, kv = a.n_kv_head * a.head_dim;
  if (a.attention.fusedNeox) {
    // query_key_value rows are per head [q, k, v] of head_dim each: view [B, T, H, 3·hd], split the last axis
    const qkv = linear(c, x, `${p}.qkv`, 3 * q, D, a.attention.qkvBias);
    const hd = a.head_dim;
    const [qh, kh, vh] = g.node('Split', [g.op('Reshape', [qkv, g.op('Concat', [c.bt, g.int64s([a.n_head, 3 * hd])], [intAttr('axis', 0)])]), g.int64s([hd, hd, hd])],
      [g.fresh('q'), g.fresh('k'), g.fresh('v')], [intAttr('axis', 3)]) as [string, string, string];
    return [qh, kh, vh];
  }
  return [
    heads4(c, linear(c, x, `${p}.q`, q, D, a.attention.qkvBias), a.n_head),
    heads4(c, linear(c, x, `${p}.k`, kv, D, a.attention.qkvBias), a.n_kv_head),
    heads4(c, linear(c, x, `${p}.v`, kv, D, a.attention.qkvBias), a.n_kv_head),
  ];
}

/** The request's outputs: each tap's per-token L2 norm, the taps themselves, and the logits of the final hidden state
 * `x` through the tied (`embed`) or untied LM head, soft-capped where the family caps them. */
function decoderOutputs(c: Ctx, req: GraphRequest, taps: Map<string, string>, x: string, embed: string): { name: string; dims: (number | string)[] }[] {
  const { g, a, bt } = c;
  const D = a.n_embd;
  const outputs: { name: string; dims: (number | string)[] }[] = [];
  const btD = req.vectors.length ? g.op('Concat', [bt, g.int64s([D])], [intAttr('axis', 0)]) : '';
  const axes = req.norms.length ? g.int64s([-1]) : '';
  for (const tap of req.norms) {
    g.node('Reshape', [g.op('ReduceL2', [taps.get(tap)!, axes], [intAttr('keepdims', 0)]), bt], [normName(tap)]);
    outputs.push({ name: normName(tap), dims: ['B', 'T'] });
  }
  for (const tap of req.vectors) {
    g.node('Reshape', [taps.get(tap)!, btD], [tap]);
    outputs.push({ name: tap, dims: ['B', 'T', D] });
  }
  if (req.logits) {
    // an untied head (read only for logits) or the embeddings; Gemm reads either [vocab, D] transposed in place
    const head = a.tieWordEmbeddings ? embed : g.weight(LM_HEAD, [a.vocab_size, D]);
    let logits = g.op('Gemm', [norm(c, x, 'norm_f', D), head], [intAttr('transB', 1)]);
    if (a.finalSoftcap !== null) {
      const cap = g.floats(new Float32Array([a.finalSoftcap]), []);
      logits = g.op('Mul', [g.op('Tanh', [g.op('Div', [logits, cap])]), cap]);
    }
    g.node('Identity', [logits], [LOGITS]);
    outputs.push({ name: LOGITS, dims: ['BT', a.vocab_size] });
  }
  return outputs;
}

/** Encodes the ONNX model of a rotary decoder for one request. */
export function buildDecoderGraph(req: GraphRequest, a: ArchitectureDescription): Uint8Array {
  const g = new GraphBuilder(req.weights);
  const D = a.n_embd;
  const bt = g.op('Shape', [INPUT_IDS]);
  const T = g.op('Shape', [INPUT_IDS], [intAttr('start', 1)]);
  // GroupQueryAttention's float32 kernel is the CPU's alone (its CUDA kernel is fp16/bf16 only) and takes head sizes that
  // are multiples of 8: every other case, 'fused' (CUDA, DirectML) included, gets standard attention
  const gqa = req.ops === 'gqa' && a.head_dim % 8 === 0;
  const positions = Math.min(a.n_positions, req.context ?? a.n_positions);
  const c: Ctx = { g, a, bt, T, gqa, positions };
  const { last, lastMlp } = plan(req, a.n_layer);
  const taps = new Map<string, string>();

  const embed = g.weight('embed.weight', [a.vocab_size, D]);
  let x = g.op('Reshape', [g.op('Gather', [embed, INPUT_IDS]), g.int64s([-1, D])]);
  if (a.embedScale !== 1) x = g.op('Mul', [x, g.floats(new Float32Array([a.embedScale]), [])]);

  const rotary = a.positions.kind === 'rotary' ? a.positions : null;
  const tables = new Map<Rotary, { cos: string; sin: string }>();
  const tablesOf = (r: Rotary) => tables.get(r) ?? tables.set(r, tablesFor(c, r)).get(r)!;
  const masks = new Map<number | null, string>();
  const maskOf = (w: number | null) => masks.get(w) ?? masks.set(w, windowMask(c, w)).get(w)!;
  const int32 = (v: string) => g.op('Cast', [v], [intAttr('to', onnx.TensorProto.DataType.INT32)]);
  const lens = gqa
    ? { seqlensK: int32(g.op('Expand', [g.op('Sub', [T, g.int64s([1])]), g.op('Shape', [INPUT_IDS], [intAttr('end', 1)])])), total: int32(g.op('Reshape', [T, g.int64s([], [0])])) }
    : null;

  for (let i = 0; i <= last; i++) {
    const p = `layers.${i}`, window = a.attention.windows[i] ?? null;
    let [q, k, v] = projections(c, norm(c, x, `${p}.ln_attn`, D), i);
    if (a.attention.qkNorm) {
      q = norm(c, q, `${p}.attn.q_norm`, a.head_dim);
      k = norm(c, k, `${p}.attn.k_norm`, a.head_dim);
    }
    if (rotary) {
      const r = window !== null ? rotary.local : rotary.global;
      q = rotate(c, q, tablesOf(r), r);
      k = rotate(c, k, tablesOf(r), r);
    }
    const ctx = lens ? gqaAttention(c, q, k, v, window, lens) : standardAttention(c, q, k, v, maskOf(window));
    const attn = linear(c, ctx, `${p}.attn.o`, D, a.n_head * a.head_dim, a.attention.oBias);
    taps.set(tapName(i, 'attn'), attn);
    if (i === last && !lastMlp) break;
    const attnOut = a.postNorms ? norm(c, attn, `${p}.ln_attn_post`, D) : attn;
    let m: string;
    if (a.residual === 'parallel') {
      m = mlp(c, norm(c, x, `${p}.ln_mlp`, D), i);
      x = g.op('Add', [g.op('Add', [m, attnOut]), x]);
    } else {
      const r = g.op('Add', [x, attnOut]);
      m = mlp(c, norm(c, r, `${p}.ln_mlp`, D), i);
      x = g.op('Add', [r, a.postNorms ? norm(c, m, `${p}.ln_mlp_post`, D) : m]);
    }
    taps.set(tapName(i, 'mlp'), m);
    taps.set(tapName(i, 'block'), x);
  }

  return g.encode(`${a.family}_taps`, decoderOutputs(c, req, taps, x, embed), gqa);
}
