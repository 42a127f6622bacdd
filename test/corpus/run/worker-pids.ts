// The inference processes a test started: children of this process whose command line names the worker entry.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export function workerPids(): number[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return out.split('\n').filter(Boolean).map(Number).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('corpus/run/worker.');
    } catch {
      return false;
    }
  });
}
