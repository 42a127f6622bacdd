// runModels(options): models one after another (the next is loaded only once the one before is done), progress per
// model, a failing model recorded with its typed error, a cancel before a model starts recorded as CANCELLED.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels, type CompareProgress } from '../../electron/core/compare/index.js';
import { DEFAULT_SETTINGS } from '../../shared/result.js';
import { COMPARE_MODELS, licensesSubset, unsupportedModel } from './fixtures.js';

let texts: string;
let files: string[];
let bert: string;
beforeAll(() => {
  texts = licensesSubset(2, 'run-models');
  files = fs.readdirSync(texts).sort().map((f) => path.join(texts, f));
  bert = unsupportedModel();
});
afterAll(() => {
  fs.rmSync(texts, { recursive: true, force: true });
  fs.rmSync(path.dirname(bert), { recursive: true, force: true });
});

describe('runModels(options)', () => {
  it('runs each model over every file in turn, reporting waiting, loading, running after each file, done; a bad model fails alone', async () => {
    const events: CompareProgress[] = [];
    const specs = [COMPARE_MODELS[0]!.dir(), bert, COMPARE_MODELS[1]!.dir()];
    // token progress within a document depends on timing: left out of the sequence
    const runs = await runModels({ specs, files, settings: DEFAULT_SETTINGS, onProgress: (p) => p.tokens === undefined && events.push(p) });
    expect(events.map((e) => `${e.model}:${e.phase}:${e.documentsDone}`)).toEqual([
      '0:waiting:0', '1:waiting:0', '2:waiting:0',
      '0:loading:0', '0:running:0', '0:running:1', '0:running:2', '0:done:2',
      '1:loading:0', '1:error:0',
      '2:loading:0', '2:running:0', '2:running:1', '2:running:2', '2:done:2',
    ]);
    expect(events.find((e) => e.phase === 'error')!.error!.code).toBe('UNSUPPORTED_MODEL');
    expect(runs.map((r) => r.entry.status)).toEqual(['ok', 'error', 'ok']);
    expect(runs.map((r) => r.results.length)).toEqual([2, 0, 2]);
    expect(runs[2]!.entry.model!.n_layer).toBe(4);
  });

  it('after a cancel, models not yet started are CANCELLED without being loaded', async () => {
    const controller = new AbortController();
    controller.abort();
    const events: CompareProgress[] = [];
    const runs = await runModels({ specs: COMPARE_MODELS.map((m) => m.dir()), files, settings: DEFAULT_SETTINGS, signal: controller.signal, onProgress: (p) => events.push(p) });
    expect(runs.map((r) => r.entry.error?.code)).toEqual(COMPARE_MODELS.map(() => 'CANCELLED'));
    expect(events.some((e) => e.phase === 'loading')).toBe(false);
  });

  it('refuses fewer than 2 or more than 8 models', async () => {
    await expect(runModels({ specs: ['a'], files, settings: DEFAULT_SETTINGS })).rejects.toMatchObject({ code: 'BAD_USAGE' });
    await expect(runModels({ specs: Array(9).fill('a'), files, settings: DEFAULT_SETTINGS })).rejects.toMatchObject({ code: 'BAD_USAGE' });
  });
});
