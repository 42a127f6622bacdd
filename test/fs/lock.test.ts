// The one lock (electron/core/fs/lock.ts) that the store, the shards and the model downloads share.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLock, heldByAnother, readLockHolder, releaseLock } from '../../electron/core/fs/lock.js';
import { tempDir } from '../analysis/fixtures.js';

const dir = tempDir('lock');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('createLock / readLockHolder / releaseLock', () => {
  it('creates the lock once, records this process, and releases only its own', async () => {
    const file = path.join(dir, 'a.lock');
    expect(await createLock(file)).toBe(true);
    expect(await createLock(file)).toBe(false);
    expect(await readLockHolder(file)).toMatchObject({ pid: process.pid, host: os.hostname() });
    await releaseLock(file);
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: 'another-node', started: 'then' }));
    await releaseLock(file);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('reads no lock as null, a torn one as unreadable, and a bare pid (older download locks) as this host', async () => {
    const file = path.join(dir, 'b.lock');
    expect(await readLockHolder(file)).toBeNull();
    fs.writeFileSync(file, '{"pid": 12');
    expect(await readLockHolder(file)).toBe('unreadable');
    fs.writeFileSync(file, '4242\n');
    expect(await readLockHolder(file)).toEqual({ pid: 4242, host: os.hostname(), started: '' });
  });
});

describe('heldByAnother(holder)', () => {
  it('a live process here or any holder on another host holds it; this process and a dead one do not', () => {
    const here = os.hostname();
    expect(heldByAnother({ pid: process.ppid, host: here, started: '' })).toBe(true);
    expect(heldByAnother({ pid: 1, host: 'another-node', started: '' })).toBe(true);
    expect(heldByAnother({ pid: process.pid, host: here, started: '' })).toBe(false);
    // pids are below 2²² on Linux: this one cannot be running
    expect(heldByAnother({ pid: 2 ** 22 + 17, host: here, started: '' })).toBe(false);
  });
});
