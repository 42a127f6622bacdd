// The real CLI on a tiny sharded Llama (bf16, Llama 3 rope scaling) and a tiny Pythia (GPT-NeoX) folder, via --model DIR:
// the contract's model fields and every attention tap's log norms against the float64 reference (test/model/families).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisDocument, DocumentOk } from '../../shared/result.js';
import { normscope, tempDir } from '../analysis/fixtures.js';
import { familyFolder } from '../model/families/folders.js';

const expected = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../model/families/expected.json'), 'utf8')) as
  Record<string, { ids: number[]; log_norms: Record<string, number[]> }>;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe.each([
  ['llama-llama3-bf16-sharded-untied-biases', { family: 'llama', n_layer: 2, n_head: 4, n_kv_head: 4, head_dim: 8, n_embd: 32, n_positions: 64, context: 64, dtype: 'BF16', params: 21_152 }],
  ['neox-parallel-partial', { family: 'gpt_neox', n_layer: 2, n_head: 2, n_kv_head: 2, head_dim: 16, n_embd: 32, n_positions: 64, context: 64, dtype: 'F32', params: 28_544 }],
] as const)('normscope analyze --model DIR (%s)', (name, model) => {
  const e = expected[name]!;
  const dir = familyFolder(name);
  const docs = tempDir(name);
  dirs.push(dir, docs);
  const text = path.join(docs, 'doc.txt');
  fs.writeFileSync(text, e.ids.map((id) => `w${id}`).join(' '));

  it('exits 0; the model fields describe the family; every attention tap within 1e-4 of the reference', () => {
    const r = normscope(['analyze', '--model', dir, '--provider', 'cpu', '--quiet', text]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as AnalysisDocument;
    expect(doc.model).toMatchObject({ ...model, execution_provider: 'cpu' });
    expect(doc.provenance.special_tokens_added).toEqual([]);
    const ok = doc.documents[0] as DocumentOk;
    expect(ok.tokens.map((t) => t.id)).toEqual(e.ids);
    for (const layer of ok.layers) {
      const want = e.log_norms[layer.tap]!;
      expect(Math.max(...layer.log_norms.map((v, t) => Math.abs(v - want[t]!))), layer.tap).toBeLessThan(1e-4);
    }
  });

  it('--context 16 runs the 24-token document in overlapping windows and says so', () => {
    const r = normscope(['analyze', '--model', dir, '--provider', 'cpu', '--quiet', '--context', '16', text]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as AnalysisDocument;
    expect(doc.model.context).toBe(16);
    const ok = doc.documents[0] as DocumentOk;
    expect(ok.layers[0]!.log_norms).toHaveLength(24);
    // the first window's tokens see what they would in one pass
    const want = e.log_norms['h.0.attn']!;
    expect(Math.max(...ok.layers[0]!.log_norms.slice(0, 16).map((v, t) => Math.abs(v - want[t]!)))).toBeLessThan(1e-4);
  });

  it('--context past the model\'s context: exit 2 naming the limit', () => {
    const r = normscope(['analyze', '--model', dir, '--provider', 'cpu', '--quiet', '--context', '65', text]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('from 1 to 64');
  });
});
