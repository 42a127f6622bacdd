// The document view's model runs in an inference process of its own: its results are those of an in-process run; a
// SIGKILL of that process mid-document is reported, the process restarted and the document run again alone to the same
// result; a cancel reaches the process; and eight documents leave the main process's memory where the first did.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DocumentView, EventChannel, EventMap, ModelStatus } from '../../shared/ipc.js';
import type { Settings } from '../../shared/result.js';
import { computeTaps, fitLayers, readText } from '../../electron/core/analysis/index.js';
import { createAppService, type AppService } from '../../electron/core/app/index.js';
import type { AppPlatform } from '../../electron/core/app/platform.js';
import { forkLauncher, setInferenceLauncher } from '../../electron/core/corpus/run/process-host.js';
import type { FromWorker, ToWorker } from '../../electron/core/corpus/run/worker-protocol.js';
import { loadModel } from '../../electron/core/model/index.js';
import { generatedModel, sharedDir, tempDir } from '../analysis/fixtures.js';
import { workerPids } from '../corpus/run/worker-pids.js';

const SETTINGS: Settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };
const root = tempDir('document-process');
/** A model big enough that a long document runs in several windows and takes a while (so a kill lands mid-run). */
const modelDir = () => generatedModel('mid', '--layers 4 --heads 4 --embd 256 --positions 1024 --seed 7');
const licenses = path.join(sharedDir, 'corpus/licenses');

interface Emitted {
  event: EventChannel;
  payload: unknown;
}

function service(label: string, onEmit: (e: Emitted) => void = () => undefined): { service: AppService; events: Emitted[] } {
  const events: Emitted[] = [];
  const platform: AppPlatform = {
    host: 'harness',
    chooseOpenFile: async () => null,
    chooseFolder: async () => null,
    chooseSavePath: async () => null,
    writeClipboard: async () => undefined,
    emit<E extends EventChannel>(event: E, payload: EventMap[E]) {
      events.push({ event, payload });
      onEmit({ event, payload });
    },
  };
  const dataDir = path.join(root, label);
  fs.mkdirSync(dataDir, { recursive: true });
  return { service: createAppService({ dataDir, platform, modelSpec: modelDir(), loadOptions: { provider: 'cpu' } }), events };
}

async function open(s: AppService, file: string): Promise<DocumentView> {
  const handle = await s.registerDroppedFile(file);
  return s.handlers['document:open']!({ file: handle.id, settings: SETTINGS }) as Promise<DocumentView>;
}

const isRunning = (e: Emitted) => e.event === 'document:progress' && (e.payload as { tokensDone: number }).tokensDone > 0;

let long: string;
let short: string;

beforeAll(() => {
  fs.mkdirSync(root, { recursive: true });
  long = path.join(root, 'long.txt');
  const names = fs.readdirSync(licenses).sort();
  fs.writeFileSync(long, names.slice(0, 6).map((f) => fs.readFileSync(path.join(licenses, f), 'utf8')).join('\n\n'));
  short = path.join(licenses, names[0]!);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.skipIf(process.platform !== 'linux')('document view inference in a child process', () => {
  it('gives what the model gives in-process: the same tokens and fits', async () => {
    const { service: s } = service('same');
    try {
      const view = await open(s, short);
      const model = await loadModel(modelDir(), { provider: 'cpu' });
      try {
        const taps = await computeTaps(model, (await readText(short)).text);
        expect(view.tokens).toEqual(taps.tokens);
        expect(view.layers).toEqual(fitLayers(taps, SETTINGS));
      } finally {
        await model.dispose();
      }
    } finally {
      await s.dispose();
    }
  }, 120_000);

  it('SIGKILL of the process mid-document: reported, restarted, the document run again alone to the unkilled result', async () => {
    const { service: plain } = service('unkilled');
    const unkilled = await open(plain, long).finally(() => plain.dispose());
    let killed: number | null = null;
    const { service: s, events } = service('killed', (e) => {
      if (killed !== null || !isRunning(e)) return;
      const [pid] = workerPids();
      if (pid === undefined) return;
      killed = pid;
      process.kill(pid, 'SIGKILL');
    });
    try {
      const view = await open(s, long);
      expect(killed).not.toBeNull();
      const statuses = events.filter((e) => e.event === 'model:progress').map((e) => e.payload as ModelStatus);
      const report = statuses.findIndex((st) => st.state === 'loading' && /inference worker stopped \(exit SIGKILL\)/.test(st.detail ?? ''));
      expect(report).toBeGreaterThan(0);
      expect(statuses.slice(report).at(-1)!.state).toBe('ready');
      expect(view.sha256).toBe(unkilled.sha256);
      expect(view.tokens).toEqual(unkilled.tokens);
      expect(view.layers).toEqual(unkilled.layers);
      expect(workerPids()).not.toContain(killed);
      expect(workerPids()).toHaveLength(1);
      // the fresh process stays for the next document
      expect((await open(s, short)).layers.length).toBe(4);
    } finally {
      await s.dispose();
    }
    expect(workerPids()).toEqual([]);
  }, 240_000);

  it('a cancel mid-document reaches the process: it stops that run before its end', async () => {
    const toChild: ToWorker[] = [];
    const fromChild: FromWorker[] = [];
    setInferenceLauncher((entry, env) => {
      const child = forkLauncher(entry, env);
      const post = child.postMessage.bind(child);
      child.postMessage = (m) => {
        toChild.push(m);
        post(m);
      };
      child.on('message', (m: FromWorker) => fromChild.push(m));
      return child;
    });
    let cancelling: Promise<unknown> | null = null;
    const { service: s } = service('cancel', (e) => {
      if (cancelling === null && isRunning(e)) cancelling = s.handlers['document:cancel']!(undefined as never);
    });
    try {
      await expect(open(s, long)).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(await cancelling).toEqual({ cancelled: true });
      const job = toChild.find((m) => m.type === 'taps')!;
      expect(toChild).toContainEqual({ type: 'abort', id: job.id });
      // the process answers the aborted run with its CANCELLED, after fewer windows than the document has
      await vi.waitFor(() => expect(fromChild).toContainEqual({ type: 'failed', id: job.id, error: expect.objectContaining({ code: 'CANCELLED' }) }), { timeout: 30_000 });
      const progress = fromChild.filter((m): m is Extract<FromWorker, { type: 'progress' }> => m.type === 'progress' && m.id === job.id);
      expect(progress.at(-1)!.tokensDone).toBeLessThan(progress.at(-1)!.tokensTotal);
    } finally {
      setInferenceLauncher(forkLauncher);
      await s.dispose();
    }
  }, 120_000);

  it("keeps the model's process for later documents, and replaces it when the provider setting changes", async () => {
    const { service: s } = service('provider');
    try {
      await open(s, short);
      const [first] = workerPids();
      expect(first).toBeDefined();
      await open(s, short);
      expect(workerPids()).toEqual([first]);
      await s.handlers['prefs:set']!({ provider: 'cpu' } as never);
      await vi.waitFor(() => expect(workerPids()).toHaveLength(1), { timeout: 30_000 });
      await vi.waitFor(() => expect(workerPids()[0]).not.toBe(first), { timeout: 30_000 });
      expect((await open(s, short)).layers.length).toBe(4);
      expect(workerPids()).not.toContain(first);
    } finally {
      await s.dispose();
    }
  }, 120_000);

  it('RSS of the main process after eight documents is within 150 MB of after the first', async () => {
    const { service: s } = service('rss');
    const files = fs.readdirSync(licenses).sort().slice(0, 8).map((f) => path.join(licenses, f));
    const rss: number[] = [];
    try {
      for (const file of files) {
        await open(s, file);
        rss.push(process.memoryUsage().rss);
      }
    } finally {
      await s.dispose();
    }
    console.log(`main-process RSS after documents 1..8 (MB): ${rss.map((b) => Math.round(b / 2 ** 20)).join(', ')}`);
    expect((Math.max(...rss.slice(1)) - rss[0]!) / 2 ** 20).toBeLessThan(150);
  }, 300_000);
});
