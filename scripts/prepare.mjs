// `prepare` (runs on `npm ci`/`npm install`): link our own bin, then build — except when `npx normscope`
// links this checkout into npx's cache (npm_command=exec) and dist/ is already built: rebuilding there only costs the user 20 s.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execSync('node scripts/link-bin.mjs', { cwd: root, stdio: 'inherit' });
const built = fs.existsSync(path.join(root, 'dist', 'electron', 'cli.js'));
if (process.env.npm_command === 'exec' && built) process.exit(0);
execSync('npm run build', { cwd: root, stdio: 'inherit' });
