// Tiny model folders of every family for the hub and app tests: the family tests' folders (test/model/families), with
// the float64 reference values its reference.py committed for each case.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs generator, shared with the reference script
import { CASES } from '../../scripts/make-family-folder.mjs';
import { familyFolder as caseFolder } from '../model/families/folders.js';

const FAMILIES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'model', 'families');

export interface FamilyExpected {
  ids: number[];
  log_norms: Record<string, number[]>;
  ar2_params: Record<string, number[]>;
}

/** A case of cases.json: its config.json as written. */
export function familyConfig(name: string): Record<string, unknown> {
  return (CASES as Record<string, { config: Record<string, unknown> }>)[name]!.config;
}

/** The reference's log norms and AR(2) coefficients for a case (test/model/families/expected.json). */
export function familyExpected(name: string): FamilyExpected {
  return (JSON.parse(fs.readFileSync(path.join(FAMILIES, 'expected.json'), 'utf8')) as Record<string, FamilyExpected>)[name]!;
}

/** The text whose tokens are the reference's ids: `w{id}` words. */
export function familyText(name: string): string {
  return familyExpected(name).ids.map((id) => `w${id}`).join(' ');
}

/** A case's folder (config.json, weights, a tokenizer.json that maps the word `w{i}` to id i and adds nothing), moved to
 * `dir` when given. */
export function familyFolder(name: string, dir?: string): string {
  const made = caseFolder(name);
  if (dir === undefined) return made;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(made, dir, { recursive: true });
  fs.rmSync(made, { recursive: true, force: true });
  return dir;
}
