// The adapter screen's GPU MatMul in a child process of its own: a GPU runtime's native warnings (Dawn prints its limit
// adjustments on a software Vulkan device straight to file descriptor 2) land in a pipe we read, not on the user's
// terminal. They are passed on only when NORMSCOPE_NATIVE_LOGS=1 (`--verbose`). Run as a script, it is the child.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ExecutionProvider } from './types.js';

const SELF = fileURLToPath(import.meta.url);
const TIMEOUT_MS = 5 * 60_000;

/** matmulMs(provider, {}, 1), measured in a child process; rejects with the child's error. */
export async function matmulMsIsolated(provider: ExecutionProvider): Promise<number> {
  // in the app there is no user terminal to keep quiet, and the packaged binary cannot run as Node (its runAsNode fuse
  // is off): starting process.execPath there would start a second app, so the probe runs in this process
  if (process.versions['electron']) return (await import('./session.js')).matmulMs(provider, {}, 1);
  return new Promise((resolve, reject) => {
    // under the tests this module is TypeScript: the child loads tsx first (as the corpus worker's fork does)
    const tsx = SELF.endsWith('.ts') ? ['--import', import.meta.resolve('tsx/esm')] : [];
    execFile(process.execPath, [...tsx, SELF, provider], { timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (process.env['NORMSCOPE_NATIVE_LOGS'] === '1' && stderr) process.stderr.write(stderr);
      let answer: { ms?: number; error?: string } = {};
      try {
        answer = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as typeof answer;
      } catch {
        // no answer: the child died (reported below)
      }
      if (typeof answer.ms === 'number') resolve(answer.ms);
      else reject(new Error(answer.error ?? `the probe process ended without an answer (${error?.message.split('\n')[0] ?? 'no output'})`));
    });
  });
}

async function child(provider: ExecutionProvider): Promise<void> {
  const { matmulMs } = await import('./session.js');
  try {
    process.stdout.write(JSON.stringify({ ms: await matmulMs(provider, {}, 1) }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: (e as Error).message.split('\n')[0] }) + '\n');
  }
}

if (process.argv[1] === SELF) void child(process.argv[2] as ExecutionProvider);
