// What a default analyze run says on stderr: the demo warning when it applies, then one line naming the model and
// provider and why; the provider notes (and native libraries' own warnings) only with --verbose; --quiet: errors only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisDocument } from '../../shared/result.js';
import { normscope, tempDir } from '../analysis/fixtures.js';

const DEMO =
  'normscope: no GPT-2 model found, so this run uses the demo model (random weights): its numbers and figures say nothing about GPT-2.\n' +
  '           Get GPT-2 with `normscope models pull gpt2`, or pass --model DIR.\n';

let dir: string;
let text: string;
let fresh = 0;
/** A machine that has never run normscope: no GPT-2, no cached provider verdicts (so the GPU screen runs). */
const newMachine = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const home = path.join(dir, `machine-${fresh++}`);
  return { HF_HUB_CACHE: path.join(home, 'hub'), HF_HOME: path.join(home, 'hf'), NORMSCOPE_HOME: path.join(home, 'settings'), NORMSCOPE_PROVIDER: '', ...extra };
};

beforeAll(() => {
  dir = tempDir('terminal');
  text = path.join(dir, 'a.txt');
  fs.writeFileSync(text, 'The lighthouse keeper counted the ships that passed in the night, and wrote each one down.');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('normscope analyze FILE on stderr', () => {
  it('asked for the CPU: exactly the demo warning and one line', () => {
    const r = normscope(['analyze', '--provider', 'cpu', text], { env: newMachine() });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`${DEMO}normscope: model demo (random weights) on cpu, as asked\n`);
  });

  it('by default: the demo warning and one line saying which provider auto chose and why; no notes, no native warnings', () => {
    const r = normscope(['analyze', text], { env: newMachine() });
    expect(r.status).toBe(0);
    const notes = (JSON.parse(r.stdout) as AnalysisDocument).provenance.provider_notes;
    const lines = r.stderr.split('\n');
    expect(lines.slice(0, 2).join('\n') + '\n').toBe(DEMO);
    expect(lines.slice(2)).toEqual([expect.stringMatching(/^normscope: model demo \(random weights\) on (cpu|cuda|webgpu|dml|coreml), \S/), '']);
    // with notes behind the choice, the line says where to read them
    if (notes.length && lines[2]!.includes(' on cpu, chosen by auto')) expect(lines[2]).toMatch(/; --verbose or `normscope providers` says why$/);
    for (const note of notes) expect(r.stderr).not.toContain(note);
  });

  it('--verbose: every provider note, and what native libraries print (Dawn on a software Vulkan device)', () => {
    const quiet = normscope(['analyze', text], { env: newMachine() });
    const r = normscope(['analyze', '--verbose', text], { env: newMachine() });
    expect(r.status).toBe(0);
    const notes = (JSON.parse(r.stdout) as AnalysisDocument).provenance.provider_notes;
    expect(r.stderr).toContain(DEMO);
    for (const note of notes) expect(r.stderr).toContain(`normscope:   ${note}\n`);
    // Dawn's limit warnings come from the GPU screen; on CI's lavapipe (NORMSCOPE_TEST_WEBGPU=require) they are there
    const dawn = /^Warning: .*artificially reduced/m;
    if (process.env['NORMSCOPE_TEST_WEBGPU'] === 'require') expect(r.stderr).toMatch(dawn);
    expect(quiet.stderr).not.toMatch(dawn);
  });

  it('--quiet: the demo warning (never hidden) and nothing else', () => {
    const r = normscope(['analyze', '--quiet', text], { env: newMachine() });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(DEMO);
  });
});
