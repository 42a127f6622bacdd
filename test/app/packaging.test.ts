// electron-builder.yml cannot be built here (no Electron binary): check it against electron-builder's own
// schema, and that it packs what `electron .` runs — main, the bundled preload, the renderer, the demo model.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './fixtures.js';

const require = createRequire(import.meta.url);
// electron-builder's own loader and validator (app-builder-lib and js-yaml come with the electron-builder devDependency)
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { add(): void; isEnabled: boolean }): Promise<void>;
};

interface BuilderConfig {
  electronFuses: Record<string, boolean>;
  files: string[];
  extraResources: { from: string; to: string }[];
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}

const config = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    await expect(validateConfiguration(config, { add() {}, isEnabled: false })).resolves.toBeUndefined();
  });

  it('targets AppImage + deb, nsis and dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('packs only dist/, renderer/dist/, package.json and bin/, with the demo model as an extra resource', () => {
    expect(config.files.filter((f) => !f.startsWith('!'))).toEqual(['dist/**', 'renderer/dist/**', 'package.json', 'bin/**']);
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'resources/demo-model', to: 'demo-model' }));
  });

  it('the packed entry points are the ones main.ts loads', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.js');
    const main = fs.readFileSync(path.join(ROOT, 'electron/main.ts'), 'utf8');
    expect(main).toMatch(/path\.join\(here, 'preload\.cjs'\)/);
    expect(main).toMatch(/path\.join\(app\.getAppPath\(\), 'renderer', 'dist'\)/);
    const preloadConfig = fs.readFileSync(path.join(ROOT, 'renderer/vite.preload.config.ts'), 'utf8');
    expect(preloadConfig).toMatch(/outDir: path\.join\(root, 'dist', 'electron'\)/);
    expect(preloadConfig).toMatch(/fileName: \(\) => 'preload\.cjs'/);
  });
});

describe('electron-builder.yml electronFuses', () => {
  it('turns off running as Node, NODE_OPTIONS and inspector flags; turns on cookie encryption, asar integrity and asar-only loading', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
