// Bundles electron/preload.ts with shared/ipc.ts into one CommonJS file: a sandboxed preload can
// require only `electron` (and a few built-ins), not the project's own modules.
import { defineConfig } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
  root,
  build: {
    outDir: path.join(root, 'dist', 'electron'),
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    target: 'node22',
    lib: { entry: path.join(root, 'electron', 'preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
