// Documents too large, or not files: a 65 MB file is TOO_LARGE and a FIFO, socket or device NOT_A_FILE, each
// decided from stat alone (the file is never opened); through the CLI, a folder holding both finishes its batch.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AnalysisDocument } from '../../shared/result.js';
import { DEFAULT_MAX_BYTES, readText } from '../../electron/core/analysis/index.js';
import { hashFile } from '../../electron/core/corpus/run/hash-file.js';
import { normscope, tempDir, tinyAModel } from './fixtures.js';

const unix = process.platform !== 'win32';
const root = tempDir('docfile');
const at = (...p: string[]) => path.join(root, ...p);
const BIG = 65 * 1024 * 1024;
let socketServer: net.Server | null = null;

beforeAll(async () => {
  fs.mkdirSync(at('corpus'));
  fs.writeFileSync(at('corpus/a.txt'), 'The lighthouse keeper watched the sea for many long nights, and the ships came home.\n');
  // 65 MB without writing them: a sparse file (its size is what counts)
  fs.closeSync(fs.openSync(at('corpus/big.txt'), 'w'));
  fs.truncateSync(at('corpus/big.txt'), BIG);
  if (unix) {
    execFileSync('mkfifo', [at('corpus/pipe.txt')]);
    socketServer = net.createServer();
    await new Promise<void>((r) => socketServer!.listen(at('sock.txt'), r));
  }
});
afterAll(async () => {
  await new Promise((r) => (socketServer ? socketServer.close(r) : r(undefined)));
  fs.rmSync(root, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  return p.then(() => { throw new Error('expected a refusal'); }, (e: { code: string; message: string }) => e);
}

describe('readText(path, { maxBytes })', () => {
  it('a 65 MB file is TOO_LARGE under the default 64 MiB limit, refused without opening it', async () => {
    expect(DEFAULT_MAX_BYTES).toBe(64 * 1024 * 1024);
    const open = vi.spyOn(fsp, 'open');
    try {
      const e = await refusal(readText(at('corpus/big.txt')));
      expect(e.code).toBe('TOO_LARGE');
      expect(e.message).toContain(`${BIG} bytes, over the ${DEFAULT_MAX_BYTES}-byte limit`);
      expect(open).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
    // a higher limit reads it (65 MB of NUL bytes: then it is refused as binary, having been read)
    expect((await refusal(readText(at('corpus/big.txt'), { maxBytes: 100 * 1024 * 1024 }))).code).toBe('NOT_TEXT');
    // and a lower one refuses a small file
    expect((await refusal(readText(at('corpus/a.txt'), { maxBytes: 10 }))).code).toBe('TOO_LARGE');
  });

  it.skipIf(!unix)('a FIFO, a socket and a device are NOT_A_FILE, never opened (a FIFO would block the read)', async () => {
    const open = vi.spyOn(fsp, 'open');
    try {
      for (const [file, kind] of [[at('corpus/pipe.txt'), 'named pipe'], [at('sock.txt'), 'socket'], ['/dev/null', 'device']] as const) {
        const e = await refusal(readText(file));
        expect(e.code, file).toBe('NOT_A_FILE');
        expect(e.message).toContain(kind);
        expect((await refusal(hashFile(file))).code).toBe('NOT_A_FILE');
      }
      expect(open).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
  });
});

describe.skipIf(!unix)('normscope analyze over a folder holding a FIFO and a 65 MB file', () => {
  it('in one run: the batch finishes, the FIFO is NOT_A_FILE, the big file TOO_LARGE, the text ok (exit 1)', () => {
    const run = normscope(['analyze', '--model', tinyAModel(), '--out', at('one.json'), '--quiet', at('corpus')], {});
    expect(run.status, run.stderr).toBe(1);
    const doc = JSON.parse(fs.readFileSync(at('one.json'), 'utf8')) as AnalysisDocument;
    const byName = new Map(doc.documents.map((d) => [path.basename(d.path), d]));
    expect(byName.get('a.txt')?.status).toBe('ok');
    expect(byName.get('big.txt')).toMatchObject({ status: 'error', error: { code: 'TOO_LARGE' } });
    expect(byName.get('pipe.txt')).toMatchObject({ status: 'error', error: { code: 'NOT_A_FILE' } });
  }, 60_000);

  it('as a corpus batch (--out-dir): it finishes within its time limit and records both refusals', () => {
    const t0 = Date.now();
    const run = normscope(['analyze', '--model', tinyAModel(), '--out-dir', at('store'), '--quiet', at('corpus')]);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(run.status, run.stderr).toBe(1);
    type Line = { record: { kind: string; path: string; status: string; error?: { code: string } } };
    const records = fs.readFileSync(at('store/results.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as Line).record).filter((r) => r.kind === 'result');
    const codeOf = (name: string) => records.find((r) => path.basename(r.path) === name)?.error?.code;
    expect(codeOf('pipe.txt')).toBe('NOT_A_FILE');
    expect(codeOf('big.txt')).toBe('TOO_LARGE');
    expect(records.find((r) => path.basename(r.path) === 'a.txt')?.status).toBe('ok');
  }, 90_000);

  it('--max-bytes raises the limit: the 65 MB file is then read (and refused as binary, being all NUL bytes)', () => {
    const run = normscope(['analyze', '--model', tinyAModel(), '--out', at('two.json'), '--quiet', '--max-bytes', String(100 * 1024 * 1024), at('corpus/big.txt')]);
    const doc = JSON.parse(fs.readFileSync(at('two.json'), 'utf8')) as AnalysisDocument;
    expect(run.status).toBe(1);
    expect(doc.documents[0]).toMatchObject({ status: 'error', error: { code: 'NOT_TEXT' } });
  }, 60_000);
});
