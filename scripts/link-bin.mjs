// Links this package's own `normscope` bin into node_modules/.bin, so `npx normscope` in a fresh clone
// runs the checkout directly (npm does not link a package's own bin; npx would otherwise copy it into its cache and rebuild).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binDir = path.join(root, 'node_modules', '.bin');
const link = path.join(binDir, 'normscope');
fs.mkdirSync(binDir, { recursive: true });
fs.rmSync(link, { force: true });
fs.symlinkSync(path.relative(binDir, path.join(root, 'bin', 'normscope.js')), link);
