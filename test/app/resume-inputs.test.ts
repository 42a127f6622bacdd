// A results folder from someone else decides nothing: a manifest naming `/` and `../..` and a results log naming
// /etc/passwd are shown, never walked, hashed or handed out; Resume asks for the folder of texts and reads only inside it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CorpusStatus, EventChannel, EventMap } from '../../shared/ipc.js';
import { createCorpusBindings } from '../../electron/core/app/corpus-bindings.js';
import { createHandleRegistry } from '../../electron/core/app/handles.js';
import type { AppPlatform } from '../../electron/core/app/platform.js';
import { isInsideAny, resumeInputs } from '../../electron/core/app/corpus/resume-inputs.js';
import { startCorpusRun } from '../../electron/core/corpus/index.js';
import { resolveModel } from '../../electron/core/models/index.js';
import { tempDir, tinyAModel } from '../analysis/fixtures.js';

const SETTINGS = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' } as const;
const root = tempDir('resume-inputs');
const texts = path.join(root, 'texts');
const outDir = path.join(root, 'results');
const secret = path.join(root, 'secret');

/** Every path the main thread asks the file system about, through the calls a walk, a hash or a read makes. */
function watchFs(): { paths: string[]; restore(): void } {
  const paths: string[] = [];
  const spies = (['readdir', 'readFile', 'open', 'stat', 'realpath'] as const).map((name) => {
    const real = fsp[name] as (...a: unknown[]) => unknown;
    return vi.spyOn(fsp, name).mockImplementation(((p: unknown, ...rest: unknown[]) => {
      paths.push(String(p));
      return real.call(fsp, p, ...rest);
    }) as never);
  });
  const stream = vi.spyOn(fs, 'createReadStream');
  return {
    paths,
    restore() {
      paths.push(...stream.mock.calls.map((c) => String(c[0])));
      for (const s of [...spies, stream]) s.mockRestore();
    },
  };
}

beforeAll(async () => {
  fs.mkdirSync(texts, { recursive: true });
  fs.mkdirSync(secret, { recursive: true });
  const words = ['lighthouse', 'keeper', 'watched', 'the', 'sea', 'for', 'many', 'long', 'nights', 'and', 'ships', 'came', 'home'];
  for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(texts, `doc${i}.txt`), `${words.slice(i).join(' ')} again and again, night ${i}.\n`);
  fs.writeFileSync(path.join(secret, 'secret.txt'), 'nobody should read this file at all, not even its hash.\n');
  // a real batch over two of the texts, then its folder doctored as a stranger would
  const model = await resolveModel(tinyAModel());
  const run = startCorpusRun({ paths: [path.join(texts, 'doc0.txt'), path.join(texts, 'doc1.txt')], outDir, model, settings: SETTINGS });
  expect((await run.done).state).toBe('done');
  const manifestFile = path.join(outDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { runs: { inputs: string[] }[] };
  manifest.runs.at(-1)!.inputs = ['/', '../..', secret];
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const logFile = path.join(outDir, 'results.jsonl');
  const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { record: { kind: string; path: string } });
  const first = lines.find((l) => l.record.kind === 'result')!;
  first.record.path = '/etc/passwd';
  fs.writeFileSync(logFile, lines.map(({ record }) => {
    const text = JSON.stringify(record);
    return `{"crc32":"${crc32(text).toString(16).padStart(8, '0')}","record":${text}}\n`;
  }).join(''));
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('resumeInputs(chosen, recorded, outDir) / isInsideAny(p, roots)', () => {
  it('keeps recorded inputs inside the chosen folder, drops `/`, `../..` and the rest, and falls back to the choice', async () => {
    const real = fs.realpathSync(texts);
    expect(await resumeInputs(texts, ['/', '../..', secret], outDir)).toEqual([real]);
    expect(await resumeInputs(texts, [path.join(texts, 'doc1.txt'), '/'], outDir)).toEqual([path.join(real, 'doc1.txt')]);
    expect(await resumeInputs(texts, ['../texts'], outDir)).toEqual([real]);
    expect(isInsideAny('/a/b/c', ['/a/b'])).toBe(true);
    expect(isInsideAny('/a/bc', ['/a/b'])).toBe(false);
    expect(isInsideAny('/a/b/../x', ['/a/b'])).toBe(false);
  });
});

describe('corpus:open and corpus:resume on a doctored results folder', () => {
  const folders: (string | null)[] = [];
  const events: { event: string; payload: unknown }[] = [];
  const platform: AppPlatform = {
    host: 'harness',
    chooseOpenFile: async () => null,
    chooseFolder: async () => folders.shift() ?? null,
    chooseSavePath: async () => null,
    writeClipboard: async () => undefined,
    emit<E extends EventChannel>(event: E, payload: EventMap[E]) {
      events.push({ event, payload });
    },
  };
  const handles = createHandleRegistry();
  const corpus = createCorpusBindings({ platform, handles, modelSpec: tinyAModel(), showDocument: () => { throw new Error('not shown in this test'); } });
  afterAll(() => corpus.dispose());
  let status: CorpusStatus;

  it('open: shows the stored rows and the recorded inputs, reads nothing outside the results folder, issues no handle', async () => {
    const watch = watchFs();
    try {
      status = (await corpus.handlers['corpus:open']({ resultsFolder: handles.issue(outDir, 'folder').id }))!;
    } finally {
      watch.restore();
    }
    const outside = watch.paths.filter((p) => !isInsideAny(p, [outDir]) && !p.includes('node_modules'));
    expect(outside).toEqual([]);
    expect(status.inputs.map((h) => h.displayPath)).toEqual(['/', path.resolve(outDir, '../..'), secret]);
    const rows = await corpus.handlers['corpus:rows']({ jobId: status.jobId });
    expect(rows.map((r) => r.file.displayPath).sort()).toEqual(['/etc/passwd', path.join(texts, 'doc1.txt')].sort());
    // none of these is a handle: the registry resolves none of them, and request validation would refuse the ids
    for (const h of [...status.inputs, ...rows.map((r) => r.file)]) {
      expect(h.id).not.toMatch(/^[0-9a-f]{32}$/);
      expect(() => handles.resolve(h.id, h.kind)).toThrow(/no (file|folder) with that handle/);
    }
  });

  it('resume without a choice does nothing; with the folder of texts it runs over that folder only', async () => {
    folders.push(null);
    expect((await corpus.handlers['corpus:resume']({ jobId: status.jobId })).state).not.toBe('running');
    const watch = watchFs();
    folders.push(texts);
    try {
      await corpus.handlers['corpus:resume']({ jobId: status.jobId });
      await vi.waitFor(() => {
        const last = events.filter((e) => e.event === 'corpus:progress').at(-1)?.payload as CorpusStatus | undefined;
        if (last?.state !== 'done') throw new Error(`state ${last?.state}`);
      }, { timeout: 60_000, interval: 200 });
    } finally {
      watch.restore();
    }
    const real = fs.realpathSync(texts);
    const touched = watch.paths.filter((p) => !p.includes('node_modules'));
    expect(touched.filter((p) => p === '/' || p.startsWith(secret) || p === path.resolve(outDir, '../..'))).toEqual([]);
    expect(touched.filter((p) => !isInsideAny(p, [real, texts, outDir, tinyAModel()]))).toEqual([]);
    const rows = await corpus.handlers['corpus:rows']({ jobId: status.jobId });
    expect(rows.map((r) => r.name)).toEqual(['doc0.txt', 'doc1.txt', 'doc2.txt', 'doc3.txt']);
    expect(rows.every((r) => r.status === 'ok')).toBe(true);
    // the rows of the chosen folder's files are real handles now: the user chose them
    for (const r of rows) expect(handles.resolve(r.file.id, 'file').path.startsWith(real)).toBe(true);
    const stored = fs.readFileSync(path.join(outDir, 'results.jsonl'), 'utf8');
    expect(stored).not.toContain(crypto.createHash('sha256').update(fs.readFileSync(path.join(secret, 'secret.txt'))).digest('hex'));
  }, 90_000);
});
