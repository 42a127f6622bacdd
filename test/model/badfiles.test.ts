// Every way a model folder can be wrong gives a typed NormscopeError naming the tensor or byte offset; random byte
// mutations of a valid file give a typed error or a working model, never a crash or a hang.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNormscopeError } from '../../electron/core/errors.js';
import { checkModelFolder, loadModel, readConfig } from '../../electron/core/model/index.js';
import { generatedModel, prng } from './helpers.js';

const ARGS = '--layers 1 --heads 2 --embd 8 --positions 16 --seed 3';
let source: string;
let work: string;
let valid: Buffer;
let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
let data: Buffer;

beforeAll(() => {
  source = generatedModel(ARGS);
  valid = fs.readFileSync(path.join(source, 'model.safetensors'));
  const n = Number(valid.readBigUInt64LE(0));
  header = JSON.parse(valid.subarray(8, 8 + n).toString('utf8'));
  data = valid.subarray(8 + n);
});

/** A fresh folder holding the small model's config and tokenizer and the given model.safetensors bytes. */
function folder(weights: Buffer | Uint8Array, edit?: (dir: string) => void): string {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-bad-'));
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) fs.copyFileSync(path.join(source, f), path.join(work, f));
  fs.writeFileSync(path.join(work, 'model.safetensors'), weights);
  edit?.(work);
  return work;
}
afterAll(() => {
  for (const d of fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('normscope-bad-'))) fs.rmSync(path.join(os.tmpdir(), d), { recursive: true, force: true });
});

/** model.safetensors with this header JSON (not re-padded or checked) in front of `body`. */
function withHeader(h: unknown, body: Uint8Array = data, lengthField?: bigint): Buffer {
  const json = Buffer.from(JSON.stringify(h), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(lengthField ?? BigInt(json.length));
  return Buffer.concat([len, json, body]);
}
const edited = (f: (h: typeof header) => void) => {
  const h = structuredClone(header);
  f(h);
  return h;
};
/** The valid file plus one more tensor `name`, a copy of `like` stored after the data. */
function withExtraTensor(name: string, like: string): Buffer {
  const h = structuredClone(header);
  const [b, e] = h[like]!.data_offsets;
  h[name] = { ...h[like]!, data_offsets: [data.length, data.length + e - b] };
  return withHeader(h, Buffer.concat([data, data.subarray(b, e)]));
}

async function rejects(dir: string, code: string, ...mentions: string[]) {
  for (const attempt of [checkModelFolder, loadModel]) {
    const e = await attempt(dir).then(() => null, (err: unknown) => err);
    expect(isNormscopeError(e), String(e)).toBe(true);
    expect(e).toMatchObject({ code });
    for (const m of mentions) expect((e as Error).message).toContain(m);
  }
}

describe('checkModelFolder(dir) / loadModel(dir) on good folders', () => {
  it('reports config, tensor count, file size and dtype without loading weights', async () => {
    const r = await checkModelFolder(source);
    expect(r).toEqual({
      config: await readConfig(source), tensorCount: Object.keys(header).length - 1, bytes: valid.length, dtype: 'F32',
    });
    expect(r.config).toMatchObject({ n_layer: 1, n_head: 2, n_embd: 8, n_positions: 16, vocab_size: 50257 });
    expect((await checkModelFolder(generatedModel(`${ARGS} --dtype f16`))).dtype).toBe('F16');
  });
});

describe('bad safetensors files: BAD_SAFETENSORS naming the tensor or byte offset', () => {
  it('a file shorter than the length field', () => rejects(folder(valid.subarray(0, 5)), 'BAD_SAFETENSORS', 'too short'));

  it('a truncated file', () => {
    const cut = valid.subarray(0, valid.length - 100);
    const last = Object.entries(header).filter(([k]) => k !== '__metadata__').sort((a, b) => b[1].data_offsets[1] - a[1].data_offsets[1])[0]![0];
    return rejects(folder(cut), 'BAD_SAFETENSORS', `"${last}"`, 'past the end', String(cut.length));
  });

  it('a header length past the end of the file', () => rejects(folder(withHeader(header, data, BigInt(valid.length))), 'BAD_SAFETENSORS', 'byte 0'));

  it('a header length of 2^60 or 2^64-1: refused from the 8-byte field alone, within a second', async () => {
    for (const n of [2n ** 60n, 2n ** 64n - 1n]) {
      const t0 = performance.now();
      await rejects(folder(withHeader(header, data, n)), 'BAD_SAFETENSORS', String(n), 'byte 0');
      expect(performance.now() - t0).toBeLessThan(1000);
    }
  });

  it('a header length shorter than the header', () => {
    const json = JSON.stringify(header).length;
    return rejects(folder(withHeader(header, data, BigInt(json - 10))), 'BAD_SAFETENSORS', 'byte 8', 'not JSON');
  });

  it('a header length longer than the header (running into the data)', () => {
    const json = JSON.stringify(header).length;
    return rejects(folder(withHeader(header, data, BigInt(json + 64))), 'BAD_SAFETENSORS', 'byte 8');
  });

  it('data_offsets past the end of the file', () =>
    rejects(folder(withHeader(edited((h) => { h['wpe.weight']!.data_offsets[1] = data.length + 4; }))), 'BAD_SAFETENSORS', '"wpe.weight"', 'past the end'));

  it('data_offsets that disagree with dtype and shape', () =>
    rejects(folder(withHeader(edited((h) => { h['ln_f.bias']!.data_offsets[1] -= 4; }))), 'BAD_SAFETENSORS', '"ln_f.bias"', 'needs 32'));

  it('overlapping tensors', () =>
    rejects(folder(withHeader(edited((h) => {
      const [b, e] = h['ln_f.weight']!.data_offsets;
      h['ln_f.bias']!.data_offsets = [b + 4, e + 4];
    }))), 'BAD_SAFETENSORS', '"ln_f.weight"', '"ln_f.bias"', 'overlap'));

  it('negative or reversed offsets', async () => {
    await rejects(folder(withHeader(edited((h) => { h['ln_f.bias']!.data_offsets = [-4, 28]; }))), 'BAD_SAFETENSORS', '"ln_f.bias"');
    await rejects(folder(withHeader(edited((h) => { h['ln_f.bias']!.data_offsets.reverse(); }))), 'BAD_SAFETENSORS', '"ln_f.bias"');
  });

  it('an unknown dtype', () => rejects(folder(withHeader(edited((h) => { h['h.0.ln_1.weight']!.dtype = 'F33'; }))), 'BAD_SAFETENSORS', '"h.0.ln_1.weight"', 'F33'));

  it('a weight stored as integers', () =>
    rejects(folder(withHeader(edited((h) => { h['h.0.ln_1.weight']!.dtype = 'I32'; }))), 'BAD_SAFETENSORS', '"h.0.ln_1.weight"', 'I32'));

  it('a header that is not a JSON object, or not UTF-8', async () => {
    await rejects(folder(withHeader([1, 2, 3])), 'BAD_SAFETENSORS', 'not a JSON object');
    const bytes = withHeader(header);
    bytes[20] = 0xff;
    await rejects(folder(bytes), 'BAD_SAFETENSORS', 'UTF-8', 'byte 8');
  });

  it('a key stored with and without the transformer. prefix', () =>
    rejects(folder(withExtraTensor('transformer.ln_f.bias', 'ln_f.bias')), 'BAD_SAFETENSORS', '"ln_f.bias"', 'twice'));
});

describe('tensors that do not fit the config', () => {
  it('a missing tensor: MISSING_TENSOR', () =>
    rejects(folder(withHeader(edited((h) => { delete h['h.0.mlp.c_fc.bias']; }))), 'MISSING_TENSOR', '"h.0.mlp.c_fc.bias"'));

  it('a misshaped tensor: BAD_TENSOR_SHAPE', () =>
    rejects(folder(withHeader(edited((h) => { h['h.0.attn.c_proj.weight']!.shape = [4, 16]; }))), 'BAD_TENSOR_SHAPE', '"h.0.attn.c_proj.weight"', '[4, 16]', '[8, 8]'));

  it('a tensor of a layer the config does not have: UNSUPPORTED_MODEL', () =>
    rejects(folder(withExtraTensor('h.1.ln_1.weight', 'h.0.ln_1.weight')), 'UNSUPPORTED_MODEL', '"h.1.ln_1.weight"'));

  it('the tied LM head is accepted and ignored', async () => {
    const dir = folder(withExtraTensor('lm_head.weight', 'wte.weight'));
    expect((await checkModelFolder(dir)).tensorCount).toBe(Object.keys(header).length);
  });
});

describe('bad config.json and tokenizers', () => {
  const withConfig = (edit: (c: Record<string, unknown>) => void) =>
    folder(valid, (dir) => {
      const c = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      edit(c);
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(c));
    });

  it('another architecture: UNSUPPORTED_MODEL', () => rejects(withConfig((c) => { c.model_type = 'bert'; }), 'UNSUPPORTED_MODEL', 'bert'));
  it('another activation: UNSUPPORTED_MODEL', () => rejects(withConfig((c) => { c.activation_function = 'relu'; }), 'UNSUPPORTED_MODEL', 'relu'));
  it('n_embd not divisible by n_head: BAD_CONFIG', () => rejects(withConfig((c) => { c.n_head = 3; }), 'BAD_CONFIG', 'n_head 3'));
  it('a missing or non-integer size: BAD_CONFIG', async () => {
    await rejects(withConfig((c) => { delete c.n_layer; }), 'BAD_CONFIG', 'n_layer');
    await rejects(withConfig((c) => { c.n_embd = 8.5; }), 'BAD_CONFIG', 'n_embd');
  });
  it('a config that is not JSON: BAD_CONFIG', () =>
    rejects(folder(valid, (d) => fs.writeFileSync(path.join(d, 'config.json'), '{"model_type": gpt2')), 'BAD_CONFIG', 'config.json'));
  it('no config.json, no model.safetensors, no folder: MODEL_NOT_FOUND', async () => {
    await rejects(folder(valid, (d) => fs.rmSync(path.join(d, 'config.json'))), 'MODEL_NOT_FOUND', 'config.json');
    await rejects(folder(valid, (d) => fs.rmSync(path.join(d, 'model.safetensors'))), 'MODEL_NOT_FOUND', 'model.safetensors');
    await rejects(path.join(os.tmpdir(), 'normscope-bad-no-such-folder'), 'MODEL_NOT_FOUND');
  });
  it('no tokenizer files: MISSING_TOKENIZER', () =>
    rejects(folder(valid, (d) => fs.rmSync(path.join(d, 'tokenizer.json'))), 'MISSING_TOKENIZER', 'tokenizer.json', 'vocab.json'));
  it('a tokenizer.json naming a model type transformers.js does not know: BAD_TOKENIZER (on load)', async () => {
    const dir = folder(valid, (d) => {
      const t = JSON.parse(fs.readFileSync(path.join(d, 'tokenizer.json'), 'utf8')) as { model: { type: string } };
      t.model.type = 'SentencePieceBPE2';
      fs.writeFileSync(path.join(d, 'tokenizer.json'), JSON.stringify(t));
    });
    await expect(loadModel(dir)).rejects.toMatchObject({ code: 'BAD_TOKENIZER', message: expect.stringContaining('SentencePieceBPE2') });
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ version: '1.0', model: null }));
    await expect(loadModel(dir)).rejects.toMatchObject({ code: 'BAD_TOKENIZER', message: expect.stringContaining('"model"') });
  });
  it('a tokenizer.json that is not JSON: BAD_TOKENIZER (on load)', async () => {
    const dir = folder(valid, (d) => fs.writeFileSync(path.join(d, 'tokenizer.json'), '{"model": '));
    await expect(loadModel(dir)).rejects.toMatchObject({ code: 'BAD_TOKENIZER', message: expect.stringContaining('tokenizer.json') });
  });
});

describe('fuzz: random byte mutations of a valid file', () => {
  it('300 mutated files each give a typed error or a model that runs', { timeout: 120_000 }, async () => {
    const rand = prng(20240601);
    const headerEnd = 8 + Number(valid.readBigUInt64LE(0));
    const dir = folder(valid);
    const file = path.join(dir, 'model.safetensors');
    const outcomes = { typed: 0, ran: 0 };
    for (let iter = 0; iter < 300; iter++) {
      let bytes = Buffer.from(valid);
      const kind = rand();
      if (kind < 0.1) bytes = bytes.subarray(0, Math.floor(rand() * bytes.length));
      else {
        // mostly the length field and the header, where a mutation changes meaning; sometimes the weights
        const flips = 1 + Math.floor(rand() * 4);
        for (let f = 0; f < flips; f++) {
          const at = kind < 0.2 ? Math.floor(rand() * 8) : kind < 0.85 ? Math.floor(rand() * headerEnd) : Math.floor(rand() * bytes.length);
          bytes[at] = Math.floor(rand() * 256);
        }
      }
      fs.writeFileSync(file, bytes);
      try {
        await checkModelFolder(dir);
        const model = await loadModel(dir, { sites: ['attn'] });
        try {
          const r = await model.forward([464, 46371, 28356], { norms: ['h.0.attn'] });
          expect(r.norms.get('h.0.attn'), `iteration ${iter}`).toHaveLength(3);
          outcomes.ran++;
        } finally {
          await model.dispose();
        }
      } catch (e) {
        expect(isNormscopeError(e), `iteration ${iter}: ${String(e)}`).toBe(true);
        outcomes.typed++;
      }
    }
    // both outcomes must occur, or the mutations were not exercising the reader
    expect(outcomes.typed).toBeGreaterThan(50);
    expect(outcomes.ran).toBeGreaterThan(20);
  });
});
