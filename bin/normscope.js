#!/usr/bin/env node
// The `normscope` command: runs the compiled CLI (built by `npm ci` / `npm run build`).
import { main } from '../dist/electron/cli.js';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
