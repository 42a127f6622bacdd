// Paths from arguments: a --revision is checked before it becomes part of a cache path (`../../x` exits 2, nothing
// asked of the hub, nothing written), and the app's default model can only be an installed name, never a folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { modelsCommand } from '../../electron/core/cli/models.js';
import { isNormscopeError } from '../../electron/core/errors.js';
import { CachedRepo } from '../../electron/core/models/hf-cache.js';
import { getDefaultModel, importModel, setDefaultInstalledModel } from '../../electron/core/models/index.js';
import { checkedRevision } from '../../electron/core/models/revision.js';
import { tinyAModel } from '../analysis/fixtures.js';
import { FakeHub, repoFiles } from './fake-hub.js';
import { testWorld, type TestWorld } from './env.js';

const thrown = (f: () => unknown): unknown => { try { f(); return null; } catch (e) { return e; } };

describe('checkedRevision(revision)', () => {
  it('accepts commit hashes and branch or tag names', () => {
    for (const ok of ['main', 'v1.0', 'refs/pr/1', 'feature/x-y_z', 'a'.repeat(40), '0123456789abcdef0123456789abcdef01234567']) expect(checkedRevision(ok)).toBe(ok);
  });
  it('refuses .., a / at either end, NUL, empty parts and git-forbidden characters with BAD_USAGE', () => {
    for (const bad of ['../../x', '..', 'a/../b', '/main', 'main/', 'a//b', 'ma\0in', '', '.hidden', 'x.lock', 'a b', 'a\\b', 'a:b', 'a@{1}', 'x'.repeat(256)]) {
      const e = thrown(() => checkedRevision(bad));
      expect(isNormscopeError(e, 'BAD_USAGE'), JSON.stringify(bad)).toBe(true);
    }
  });
  it('guards the cache path itself: refs/<revision> cannot be formed from ../../x', () => {
    const repo = new CachedRepo('org/name', '/tmp/hub');
    expect(repo.ref('refs/pr/1')).toBe(path.join('/tmp/hub/models--org--name/refs/refs/pr/1'));
    expect(isNormscopeError(thrown(() => repo.ref('../../x')), 'BAD_USAGE')).toBe(true);
  });
});

describe('normscope models pull --revision / the default model', () => {
  let world: TestWorld;
  let hub: FakeHub;
  beforeEach(async () => {
    hub = await FakeHub.start();
    hub.repos.set('openai-community/gpt2', repoFiles(tinyAModel()));
    world = testWorld('args', { HF_ENDPOINT: hub.endpoint });
    fs.cpSync(tinyAModel(), path.join(world.resources, 'demo-model'), { recursive: true });
  });
  afterEach(async () => {
    await hub.close();
    world.restore();
    vi.restoreAllMocks();
  });

  it('--revision ../../x exits 2 before any request or write', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    const code = await modelsCommand(['pull', 'gpt2', '--revision', '../../x']);
    vi.restoreAllMocks();
    expect(code).toBe(2);
    expect(err).toContain('revision "../../x"');
    expect(hub.log).toEqual([]);
    expect(fs.existsSync(world.hubCache)).toBe(false);
  });

  it('setDefaultInstalledModel takes installed names only: a relative folder or an uninstalled name is refused', async () => {
    const cwd = process.cwd();
    // a folder named like a model, relative to the working folder: resolveSpec would take it, the app must not
    const relative = path.join(world.root, 'work');
    fs.cpSync(tinyAModel(), path.join(relative, 'mymodel'), { recursive: true });
    process.chdir(relative);
    try {
      for (const name of ['mymodel', './mymodel', 'gpt2']) {
        const e = await setDefaultInstalledModel(name).then(() => null, (x: unknown) => x);
        expect(isNormscopeError(e, 'MODEL_NOT_FOUND'), name).toBe(true);
      }
      expect(await getDefaultModel()).toBeNull();
      await importModel(path.join(relative, 'mymodel'), { name: 'mine' });
      expect(await setDefaultInstalledModel('mine')).toBe('mine');
      expect(await setDefaultInstalledModel('demo')).toBe('demo');
      expect(await getDefaultModel()).toBe('demo');
    } finally {
      process.chdir(cwd);
    }
  });
});
