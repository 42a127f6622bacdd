// buildGraph(request): weights stay outside the protobuf (so models past its 2 GB limit encode), and the graph holds only
// the work its outputs need.
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphRequest } from '../../electron/core/model/graph.js';
import { expectedWeights, type WeightRef } from '../../electron/core/model/weights.js';
import type { Gpt2Config } from '../../electron/core/model/types.js';
import { SITES, normName, tapsOf } from '../../shared/taps.js';

const { onnx } = onnxProto;
const config = (n_layer: number, n_head: number, n_embd: number): Gpt2Config => ({
  model_type: 'gpt2', n_layer, n_head, n_embd, n_positions: 1024, vocab_size: 50257, layer_norm_epsilon: 1e-5, activation_function: 'gelu_new',
});

/** Every weight laid out back to back in one file, as a float32 checkpoint would be. */
function layout(c: Gpt2Config): Map<string, WeightRef> {
  const refs = new Map<string, WeightRef>();
  let offset = 8 + 40_000;
  for (const w of expectedWeights(c)) {
    const length = w.shape.reduce((a, b) => a * b, 1) * 4;
    refs.set(w.name, { location: 'model.safetensors', offset, length });
    offset += length;
  }
  return refs;
}

function decode(req: Omit<GraphRequest, 'weights'>) {
  const bytes = buildGraph({ ...req, weights: layout(req.config) });
  return { bytes, model: onnx.ModelProto.decode(bytes) };
}

describe('buildGraph(request)', () => {
  it('a gpt2-xl-sized float32 model (6.2 GB of weights) encodes in well under a megabyte, every weight external by offset', () => {
    const c = config(48, 25, 1600);
    const refs = layout(c);
    const { bytes, model } = decode({ config: c, norms: SITES.flatMap((s) => tapsOf(48, s)), vectors: [], logits: true, ops: 'fused' });
    expect(bytes.length).toBeLessThan(1_000_000);
    const total = [...refs.values()].reduce((a, r) => a + r.length, 0);
    expect(total).toBeGreaterThan(6e9);
    const weights = model.graph!.initializer!.filter((t) => refs.has(t.name!));
    expect(weights).toHaveLength(refs.size);
    for (const t of weights) {
      const ref = refs.get(t.name!)!;
      expect(t.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
      expect(t.rawData?.length ?? 0).toBe(0);
      expect(Object.fromEntries(t.externalData!.map((e) => [e.key, e.value]))).toEqual({
        location: 'model.safetensors', offset: String(ref.offset), length: String(ref.length),
      });
    }
    expect(Math.max(...weights.map((t) => Number(t.externalData!.find((e) => e.key === 'offset')!.value)))).toBeGreaterThan(2 ** 32);
  });

  it('outputs exactly the requested norms, vectors and logits', () => {
    const c = config(4, 4, 32);
    const { model } = decode({ config: c, norms: ['h.1.attn', 'h.2'], vectors: ['h.0.mlp'], logits: false, ops: 'fused' });
    expect(model.graph!.output!.map((o) => o.name)).toEqual([normName('h.1.attn'), normName('h.2'), 'h.0.mlp']);
    const withLogits = decode({ config: c, norms: [], vectors: [], logits: true, ops: 'standard' }).model;
    expect(withLogits.graph!.output!.map((o) => o.name)).toEqual(['logits']);
  });

  it("'gqa' attends with GroupQueryAttention on the full-width QKV MatMul, 'fused' with Attention, 'standard' with opset operators only", () => {
    const ops = (c: Gpt2Config, o: GraphRequest['ops']) => {
      const { model } = decode({ config: c, norms: tapsOf(c.n_layer, 'attn'), vectors: [], logits: false, ops: o });
      return model.graph!.node!.map((n) => `${n.domain ? n.domain + '.' : ''}${n.opType}`);
    };
    const gpt2 = config(2, 12, 768); // head size 64
    expect(ops(gpt2, 'gqa').filter((o) => o === 'com.microsoft.GroupQueryAttention')).toHaveLength(2);
    expect(ops(gpt2, 'gqa')).not.toContain('com.microsoft.Attention');
    expect(ops(gpt2, 'fused').filter((o) => o === 'com.microsoft.Attention')).toHaveLength(2);
    expect(ops(gpt2, 'standard').filter((o) => o.startsWith('com.microsoft.'))).toEqual([]);
    // GroupQueryAttention needs head sizes that are multiples of 8: a 4-wide head gets Attention
    expect(ops(config(2, 2, 8), 'gqa')).not.toContain('com.microsoft.GroupQueryAttention');
    expect(ops(config(2, 2, 8), 'gqa')).toContain('com.microsoft.Attention');
  });

  it('leaves out the layers and the last MLP that no output needs, and the LM head unless asked', () => {
    const c = config(4, 4, 32);
    const uses = (req: Omit<GraphRequest, 'weights' | 'config' | 'ops'>) => {
      const { model } = decode({ ...req, config: c, ops: 'fused' });
      return new Set(model.graph!.node!.flatMap((n) => n.input!));
    };
    const attnOnly = uses({ norms: tapsOf(4, 'attn'), vectors: [], logits: false });
    expect(attnOnly.has('h.3.attn.c_proj.weight')).toBe(true);
    expect(attnOnly.has('h.3.mlp.c_fc.weight')).toBe(false);
    expect(attnOnly.has('ln_f.weight')).toBe(false);
    const firstLayer = uses({ norms: ['h.0.attn'], vectors: [], logits: false });
    expect([...firstLayer].filter((n) => /^h\.[1-9]/.test(n))).toEqual([]);
    const blocks = uses({ norms: ['h.3'], vectors: [], logits: false });
    expect(blocks.has('h.3.mlp.c_proj.weight')).toBe(true);
    expect(blocks.has('ln_f.weight')).toBe(false);
    expect(uses({ norms: [], vectors: [], logits: true }).has('ln_f.weight')).toBe(true);
  });
});
