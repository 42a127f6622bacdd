// Folders: the licenses corpus end to end, and one bad document of each kind among good ones.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisDocument, DocumentOk } from '../../shared/result.js';
import { normscope, sharedDir, tempDir, tinyAExpected, tinyAModel, worstAbsolute, worstRelative } from '../analysis/fixtures.js';

let model: string;
let dir: string;
beforeAll(() => {
  model = tinyAModel();
  dir = tempDir('folders');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('normscope analyze ../shared/corpus/licenses', () => {
  const corpus = path.join(sharedDir, 'corpus/licenses');
  let run: ReturnType<typeof normscope>;
  let doc: AnalysisDocument;
  beforeAll(() => {
    run = normscope(['analyze', '--model', model, '--out', path.join(dir, 'licenses.json'), corpus]);
    doc = JSON.parse(fs.readFileSync(path.join(dir, 'licenses.json'), 'utf8')) as AnalysisDocument;
  });

  it('all 78 documents ok, in sorted order, exit 0, nothing on stdout', () => {
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    const names = fs.readdirSync(corpus).sort((a, b) => (a < b ? -1 : 1));
    expect(doc.documents.map((d) => path.basename(d.path))).toEqual(names);
    expect(doc.documents).toHaveLength(78);
    expect(doc.documents.filter((d) => d.status !== 'ok')).toEqual([]);
  });

  it('58,126 tokens in all; every layer has one log norm per token and a fit on T − 3 tokens', () => {
    const docs = doc.documents as DocumentOk[];
    expect(docs.reduce((n, d) => n + d.tokens.length, 0)).toBe(58_126);
    for (const d of docs) {
      expect(d.layers).toHaveLength(3);
      for (const l of d.layers) {
        expect(l.log_norms).toHaveLength(d.tokens.length);
        expect(l.fit.nobs).toBe(d.tokens.length - 3);
      }
    }
  });

  it('progress on stderr as plain lines (not a TTY), ending at 78/78', () => {
    const lines = run.stderr.split('\n').filter((l) => /documents · /.test(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/^normscope: 78\/78 documents · [\d,]+ tokens\/s · done$/);
    expect(run.stderr).not.toContain('\r');
  });

  it('--quiet: nothing on stderr', () => {
    const quiet = normscope(['analyze', '--quiet', '--model', model, '--out', path.join(dir, 'quiet.json'), corpus]);
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('a folder with a good file, an empty one, a binary one and an invalid-UTF-8 one', () => {
  const expected = tinyAExpected().documents['lighthouse']!;
  let run: ReturnType<typeof normscope>;
  let doc: AnalysisDocument;
  beforeAll(() => {
    const mixed = path.join(dir, 'mixed');
    fs.mkdirSync(mixed);
    fs.writeFileSync(path.join(mixed, 'good.txt'), expected.text);
    fs.writeFileSync(path.join(mixed, 'empty.txt'), '');
    fs.writeFileSync(path.join(mixed, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    fs.writeFileSync(path.join(mixed, 'latin1.txt'), Buffer.from('Ill\u00e9s was banned from recording.', 'latin1'));
    run = normscope(['analyze', '--model', model, mixed]);
    doc = JSON.parse(run.stdout) as AnalysisDocument;
  });

  it('exits 1 and writes every document', () => {
    expect(run.status).toBe(1);
    expect(doc.documents.map((d) => path.basename(d.path))).toEqual(['binary.txt', 'empty.txt', 'good.txt', 'latin1.txt']);
  });

  it('three errors with the right codes and messages a person understands', () => {
    const errors = Object.fromEntries(doc.documents.filter((d) => d.status === 'error').map((d) => [path.basename(d.path), d.status === 'error' && d.error]));
    expect(errors).toEqual({
      'binary.txt': { code: 'NOT_TEXT', message: expect.stringMatching(/binary file.*NUL byte/) },
      'empty.txt': { code: 'EMPTY', message: expect.stringMatching(/is empty/) },
      'latin1.txt': { code: 'BAD_ENCODING', message: expect.stringMatching(/not valid UTF-8.*0xe9 at offset 3/) },
    });
    for (const name of Object.keys(errors)) expect(run.stderr).toContain(`${name}: `);
  });

  it('the good result complete: tokens, three layers, log norms and fits as in expected.json', () => {
    const good = doc.documents.find((d) => d.path.endsWith('good.txt')) as DocumentOk;
    expect(good.status).toBe('ok');
    expect(good.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(good.tokens.map((t) => t.id)).toEqual(expected.ids);
    expect(good.layers).toHaveLength(3);
    for (const l of good.layers) {
      expect(worstAbsolute(l.log_norms, expected.taps[l.tap]!.log_norms)).toBeLessThanOrEqual(1e-4);
      expect(worstRelative(l.fit.params, (expected.taps[l.tap]!.ar2 as { params: number[] }).params).rel).toBeLessThanOrEqual(1e-3);
    }
  });
});

describe('per-document problems found after tokenizing', () => {
  it('TOO_FEW_TOKENS for a text shorter than start + lags + 2 tokens; a CRLF file reads as its LF twin', () => {
    const short = path.join(dir, 'short.txt');
    const crlf = path.join(dir, 'crlf.txt');
    const lf = path.join(dir, 'lf.txt');
    fs.writeFileSync(short, 'Hello there, world');
    fs.writeFileSync(lf, 'The keeper climbed.\nThe beam swept across the waves.\n');
    fs.writeFileSync(crlf, '\ufeffThe keeper climbed.\r\nThe beam swept across the waves.\r\n');
    const run = normscope(['analyze', '--model', model, short, crlf, lf]);
    expect(run.status).toBe(1);
    const [s, c, l] = (JSON.parse(run.stdout) as AnalysisDocument).documents;
    expect(s).toMatchObject({ status: 'error', error: { code: 'TOO_FEW_TOKENS', message: expect.stringMatching(/4 tokens.*at least 7/) } });
    expect(c!.status).toBe('ok');
    expect((c as DocumentOk).tokens).toEqual((l as DocumentOk).tokens);
    expect((c as DocumentOk).layers).toEqual((l as DocumentOk).layers);
  });
});
