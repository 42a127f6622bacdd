import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  // loaded from file:// in Electron and from the harness server alike
  base: './',
  plugins: [svelte()],
  build: { outDir: path.join(here, 'dist'), emptyOutDir: true, sourcemap: true },
});
