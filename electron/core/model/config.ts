// config.json: read, checked, and refused when it describes anything the graph would compute differently; each
// family's own checks are in families/*.ts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import type { ArchitectureDescription } from './arch.js';
import { describeConfig } from './families/index.js';

/** Reads and validates `dir/config.json` into the architecture description the engine builds from. */
export async function readConfig(dir: string): Promise<ArchitectureDescription> {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new NormscopeError('MODEL_NOT_FOUND', `${dir} is not a model folder: no readable config.json`, { path: file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NormscopeError('BAD_CONFIG', `${file}: not JSON (${(e as Error).message})`, { path: file });
  }
  return describeConfig(json, file);
}
