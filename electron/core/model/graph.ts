// Builds the GPT-2 forward pass as an ONNX model (encoded by onnx-proto's protobuf classes) whose outputs are exactly
// the requested taps, their per-token L2 norms and, when asked, the logits; work no output needs is left out. The
// rotary families' descriptions go to graph-decoder.ts.
import onnxProto from 'onnx-proto';
import { normName, parseTapName, tapName, tapsOf, type Site } from '../../../shared/taps.js';
import type { ArchitectureDescription } from './arch.js';
import { gpt2Config } from './families/gpt2.js';
import { buildDecoderGraph } from './graph-decoder.js';
import { floatAttr, GraphBuilder, INPUT_IDS, intAttr, LOGITS, plan, stringAttr, type GraphRequest } from './graph-builder.js';
import type { Gpt2Config } from './types.js';

export { INPUT_IDS, LOGITS, type GraphRequest } from './graph-builder.js';
const { onnx } = onnxProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;

/** Validates tap names against the config; returns the ones not understood. */
export function unknownTaps(config: Gpt2Config | ArchitectureDescription, taps: readonly string[]): string[] {
  return taps.filter((t) => {
    const p = parseTapName(t);
    return !p || p.layer >= config.n_layer;
  });
}

/** Names the LayerNorm pair of the block's first (ln_1), second (ln_2) or the final (ln_f) norm. */
const lnParams = (g: GraphBuilder, prefix: string, D: number): [string, string] => [g.weight(`${prefix}.weight`, [D]), g.weight(`${prefix}.bias`, [D])];

/** Encodes the ONNX model for one request. Tap names must be valid for the config (see unknownTaps). */
export function buildGraph(req: GraphRequest): Uint8Array {
  if ('family' in req.config && req.config.family !== 'gpt2') return buildDecoderGraph(req, req.config);
  return buildGpt2Graph(req, 'family' in req.config ? gpt2Config(req.config) : req.config);
}

/** What the GPT-2 graph's pieces share: the builder, the config, T as a [1] int64, the variant's choices, and what the
 * chosen attention reads (the causal mask for standard attention, the sequence lengths for GroupQueryAttention). */
interface Gpt2Ctx {
  g: GraphBuilder;
  c: Gpt2Config;
  T: string;
  fused: boolean;
  mask: string;
  lens: { seqlensK: string; total: string } | null;
}

/** y = x·W + b for a Conv1D weight stored [in, out]. */
const linear = (k: Gpt2Ctx, input: string, prefix: string, din: number, dout: number): string =>
  k.g.op('Add', [k.g.op('MatMul', [input, k.g.weight(`${prefix}.weight`, [din, dout])]), k.g.weight(`${prefix}.bias`, [dout])]);

const layerNorm = (k: Gpt2Ctx, x: string, prefix: string): string =>
  k.g.op('LayerNormalization', [x, ...lnParams(k.g, prefix, k.c.n_embd)], [floatAttr('epsilon', k.c.layer_norm_epsilon), intAttr('axis', -1)]);

/** wte[ids] + wpe[0..T-1], shape [B, T, D]; returns wte too (the tied LM head). */
function embeddings(g: GraphBuilder, c: Gpt2Config): { wte: string; T: string; x: string } {
  const wte = g.weight('wte.weight', [c.vocab_size, c.n_embd]);
  const tokens = g.op('Gather', [wte, INPUT_IDS]);
  const T = g.op('Shape', [INPUT_IDS], [intAttr('start', 1)]);
  const positions = g.op('Slice', [g.weight('wpe.weight', [c.n_positions, c.n_embd]), g.int64s([0]), T, g.int64s([0])]);
  return { wte, T, x: g.op('Add', [tokens, positions]) };
}

/** Attention with opset-20 operators over the causal mask. */
function standardAttention(k: Gpt2Ctx, input: string, i: number): string {
  const { g, T } = k;
  const D = k.c.n_embd, H = k.c.n_head, hd = D / H;
  const qkv = linear(k, input, `h.${i}.attn.c_attn`, D, 3 * D);
  const [q, kk, v] = g.node('Split', [qkv, g.int64s([D, D, D])], [g.fresh('q'), g.fresh('k'), g.fresh('v')], [intAttr('axis', 2)]) as [string, string, string];
  const heads = g.int64s([0, 0, H, hd]);
  const perm = (p: number[]): IAttributeProto => ({ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: p });
  const qh = g.op('Transpose', [g.op('Reshape', [q, heads])], [perm([0, 2, 1, 3])]);
  const kh = g.op('Transpose', [g.op('Reshape', [kk, heads])], [perm([0, 2, 3, 1])]);
  const vh = g.op('Transpose', [g.op('Reshape', [v, heads])], [perm([0, 2, 1, 3])]);
  const scale = g.floats(new Float32Array([1 / Math.sqrt(hd)]), []);
  const scores = g.op('Mul', [g.op('MatMul', [qh, kh]), scale]);
  const TT = g.op('Concat', [T, T], [intAttr('axis', 0)]);
  const masked = g.op('Add', [scores, g.op('Slice', [k.mask, g.int64s([0, 0]), TT])]);
  const probs = g.op('Softmax', [masked], [intAttr('axis', -1)]);
  const ctx = g.op('Transpose', [g.op('MatMul', [probs, vh])], [perm([0, 2, 1, 3])]);
  return g.op('Reshape', [ctx, g.int64s([0, 0, D])]);
}

/** GroupQueryAttention's prompt-only form: no past, seqlens_k = T − 1 for each of the B rows and total_sequence_length = T
 * (int32); a row's padding is on its right, where causal attention keeps it from every real token. */
function gqaLengths(g: GraphBuilder, T: string): { seqlensK: string; total: string } {
  const int32 = (x: string) => g.op('Cast', [x], [intAttr('to', onnx.TensorProto.DataType.INT32)]);
  return {
    seqlensK: int32(g.op('Expand', [g.op('Sub', [T, g.int64s([1])]), g.op('Shape', [INPUT_IDS], [intAttr('end', 1)])])),
    total: int32(g.op('Reshape', [T, g.int64s([], [0])])),
  };
}

/** Layer i's attention context [B, T, D] (before c_proj), in the variant's form. */
function attention(k: Gpt2Ctx, input: string, i: number): string {
  const { g } = k;
  const D = k.c.n_embd, H = k.c.n_head, p = `h.${i}`;
  if (k.lens) {
    // c_attn's output is q, k, v with contiguous heads: exactly GroupQueryAttention's packed-QKV layout
    const qkv = linear(k, input, `${p}.attn.c_attn`, D, 3 * D);
    // present_key/value are declared (and unused), as the kernel's prompt path expects
    return g.node('GroupQueryAttention', [qkv, '', '', '', '', k.lens.seqlensK, k.lens.total],
      [g.fresh('ctx'), g.fresh('present_key'), g.fresh('present_value')], [intAttr('num_heads', H), intAttr('kv_num_heads', H)], 'com.microsoft')[0]!;
  }
  if (k.fused) {
    return g.op('Attention', [input, g.weight(`${p}.attn.c_attn.weight`, [D, 3 * D]), g.weight(`${p}.attn.c_attn.bias`, [3 * D])],
      [intAttr('num_heads', H), intAttr('unidirectional', 1)], 'com.microsoft');
  }
  return standardAttention(k, input, i);
}

/** ln_2 of the residual sum x + attn (fused as SkipLayerNormalization), then the MLP: its output and the residual sum. */
function mlp(k: Gpt2Ctx, x: string, attn: string, i: number): { mlp: string; r: string } {
  const { g } = k;
  const D = k.c.n_embd, p = `h.${i}`;
  let ln2: string, r: string;
  if (k.fused) {
    [ln2, , , r] = g.node('SkipLayerNormalization', [attn, x, ...lnParams(g, `${p}.ln_2`, D)],
      [g.fresh('ln2'), '', '', g.fresh('resid')], [floatAttr('epsilon', k.c.layer_norm_epsilon)], 'com.microsoft') as [string, string, string, string];
  } else {
    r = g.op('Add', [x, attn]);
    ln2 = layerNorm(k, r, `${p}.ln_2`);
  }
  const fc = k.fused
    ? g.op('FastGelu', [g.op('MatMul', [ln2, g.weight(`${p}.mlp.c_fc.weight`, [D, 4 * D])]), g.weight(`${p}.mlp.c_fc.bias`, [4 * D])], [], 'com.microsoft')
    : g.op('Gelu', [linear(k, ln2, `${p}.mlp.c_fc`, D, 4 * D)], [stringAttr('approximate', 'tanh')]);
  return { mlp: linear(k, fc, `${p}.mlp.c_proj`, 4 * D, D), r };
}

/** The block output r + mlp, and the next LayerNorm of it (`nextLn`, fused with the sum as SkipLayerNormalization). */
function blockOutput(k: Gpt2Ctx, r: string, m: string, nextLn: string | null): { x: string; normed: string } {
  const { g } = k;
  if (k.fused && nextLn) {
    const [normed, , , x] = g.node('SkipLayerNormalization', [m, r, ...lnParams(g, nextLn, k.c.n_embd)],
      [g.fresh('ln'), '', '', g.fresh('block')], [floatAttr('epsilon', k.c.layer_norm_epsilon)], 'com.microsoft') as [string, string, string, string];
    return { x, normed };
  }
  const x = g.op('Add', [r, m]);
  return { x, normed: nextLn ? layerNorm(k, x, nextLn) : '' };
}

/** The request's outputs: each tap's per-token L2 norm, the taps themselves, and the logits = ln_f(x) · wteᵀ. */
function gpt2Outputs(g: GraphBuilder, req: GraphRequest, c: Gpt2Config, taps: Map<string, string>, lnf: string, wte: string): { name: string; dims: (number | string)[] }[] {
  const outputs: { name: string; dims: (number | string)[] }[] = [];
  for (const tap of new Set([...req.norms, ...req.vectors])) if (!taps.has(tap)) throw new Error(`graph: tap ${tap} was not built`);
  const axes = req.norms.length ? g.int64s([-1]) : '';
  for (const tap of req.norms) {
    g.node('ReduceL2', [taps.get(tap)!, axes], [normName(tap)], [intAttr('keepdims', 0)]);
    outputs.push({ name: normName(tap), dims: ['B', 'T'] });
  }
  for (const tap of req.vectors) {
    g.node('Identity', [taps.get(tap)!], [tap]);
    outputs.push({ name: tap, dims: ['B', 'T', c.n_embd] });
  }
  if (req.logits) {
    // Gemm reads wte transposed in place, no transposed copy of the embedding
    const flat = g.op('Reshape', [lnf, g.int64s([-1, c.n_embd])]);
    g.node('Gemm', [flat, wte], [LOGITS], [intAttr('transB', 1)]);
    outputs.push({ name: LOGITS, dims: ['BT', c.vocab_size] });
  }
  return outputs;
}

function buildGpt2Graph(req: GraphRequest, c: Gpt2Config): Uint8Array {
  const g = new GraphBuilder(req.weights);
  const { last, lastMlp } = plan(req, c.n_layer);
  const fused = req.ops !== 'standard';
  // GroupQueryAttention takes head sizes that are multiples of 8 only (every GPT-2 has 64); others get 'fused' attention
  const gqa = req.ops === 'gqa' && (c.n_embd / c.n_head) % 8 === 0;
  const taps = new Map<string, string>();
  const emb = embeddings(g, c);
  let x = emb.x;
  const k0: Gpt2Ctx = { g, c, T: emb.T, fused, mask: '', lens: null };
  let ln1 = last >= 0 ? layerNorm(k0, x, 'h.0.ln_1') : '';
  let lnf = '';
  const mask = fused ? '' : causalMask(g, c.n_positions);
  const k: Gpt2Ctx = { ...k0, mask, lens: gqa ? gqaLengths(g, emb.T) : null };

  for (let i = 0; i <= last; i++) {
    const attn = linear(k, attention(k, ln1, i), `h.${i}.attn.c_proj`, c.n_embd, c.n_embd);
    taps.set(tapName(i, 'attn'), attn);
    if (i === last && !lastMlp) break;
    const { mlp: m, r } = mlp(k, x, attn, i);
    taps.set(tapName(i, 'mlp'), m);
    // the next LayerNorm (ln_1 of the next block, or ln_f for the logits) fused with the residual sum that is this block's output
    const out = blockOutput(k, r, m, i < last ? `h.${i + 1}.ln_1` : req.logits ? 'ln_f' : null);
    x = out.x;
    if (i < last) ln1 = out.normed;
    else lnf = out.normed;
    taps.set(tapName(i, 'block'), x);
  }
  return g.encode('gpt2_taps', gpt2Outputs(g, req, c, taps, lnf, emb.wte), fused);
}

/** Additive causal mask [P, P]: 0 on and below the diagonal, -inf above (softmax gives exactly 0 there, as Hugging Face's masking does). */
function causalMask(g: GraphBuilder, P: number): string {
  const m = new Float32Array(P * P);
  for (let r = 0; r < P; r++) m.fill(-Infinity, r * P + r + 1, (r + 1) * P);
  return g.floats(m, [P, P]);
}

/** The taps of given sites over all layers (the default output set of a loaded model). */
export function siteTaps(config: Pick<Gpt2Config, 'n_layer'>, sites: readonly Site[]): string[] {
  return sites.flatMap((s) => tapsOf(config.n_layer, s));
}
