// Fuzz: 10,000 seeded mutations each of a valid model.safetensors and of its config.json, fed to checkModelFolder (config,
// tokenizer files, safetensors header, every tensor against the config). Each ends in a typed NormscopeError or in a load
// whose tensor table obeys the format (checked here independently of the reader), each within a second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNormscopeError } from '../../electron/core/errors.js';
import { checkModelFolder } from '../../electron/core/model/index.js';
import { readSafetensorsHeader } from '../../electron/core/model/safetensors.js';
import { generatedModel, prng } from './helpers.js';

// a small vocabulary keeps each mutated file a few kilobytes, so 10,000 writes stay cheap
const ARGS = '--layers 1 --heads 2 --embd 8 --positions 16 --vocab 64 --seed 11';
const RUNS = 10_000;
const WIDTH: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1 };

let source: string;
let dir: string;
beforeAll(() => {
  source = generatedModel(ARGS);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-fuzz-'));
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors']) fs.copyFileSync(path.join(source, f), path.join(dir, f));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Byte-level mutation: overwrite, insert or delete 1–4 bytes, mostly inside [0, focus), or cut the buffer. */
function mutateBytes(valid: Buffer, focus: number, rand: () => number): Buffer {
  const kind = rand();
  if (kind < 0.08) return valid.subarray(0, Math.floor(rand() * valid.length));
  let bytes = Buffer.from(valid);
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const at = rand() < 0.9 ? Math.floor(rand() * focus) : Math.floor(rand() * bytes.length);
    const op = rand();
    const byte = rand() < 0.5 ? Math.floor(rand() * 256) : '0123456789{}[]",:-.e'.charCodeAt(Math.floor(rand() * 20));
    if (op < 0.7) bytes[at] = byte;
    else if (op < 0.85) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
    else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  }
  return bytes;
}

/** Values a hostile header or config substitutes for a field (sizes absurd enough to allocate are issue 19's to refuse). */
const ODD_VALUES: unknown[] = [0, -1, 1.5, 2 ** 53, 2 ** 60, 1e308, -1e308, null, true, 'x', '', [], {}, [1], [0, 2 ** 60], [2 ** 53, 2 ** 53 + 8], 'F16', 'I8', 'gpt2'];

/** Structured mutation of a JSON object: one or two fields (nested one level) replaced, deleted or added. */
function mutateJson(valid: Record<string, unknown>, rand: () => number): Record<string, unknown> {
  const json = structuredClone(valid);
  const edits = 1 + Math.floor(rand() * 2);
  for (let i = 0; i < edits; i++) {
    const keys = Object.keys(json);
    let target: Record<string, unknown> = json;
    let key = keys[Math.floor(rand() * keys.length)]!;
    const inner = target[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && rand() < 0.8) {
      target = inner as Record<string, unknown>;
      const innerKeys = Object.keys(target);
      key = innerKeys[Math.floor(rand() * innerKeys.length)] ?? 'dtype';
    }
    const op = rand();
    if (op < 0.75) target[key] = ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)];
    else if (op < 0.9) delete target[key];
    else target[`extra${i}`] = structuredClone(target[key]);
  }
  return json;
}

/** What the format requires of a header that loaded, checked here without the reader's code. */
async function expectWellFormed(file: string, iteration: number): Promise<void> {
  const st = await readSafetensorsHeader(file);
  const size = fs.statSync(file).size;
  const ranges = [...st.tensors.values()].map((t) => {
    const bytes = t.shape.reduce((a, d) => a * d, 1) * WIDTH[t.dtype]!;
    expect(t.end - t.begin, `iteration ${iteration}: ${t.name} length`).toBe(bytes);
    expect(t.begin >= st.dataStart && t.end <= size, `iteration ${iteration}: ${t.name} inside the file`).toBe(true);
    return [t.begin, t.end] as const;
  }).filter(([b, e]) => e > b).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0], `iteration ${iteration}: overlap`).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
}

interface Tally { typed: number; loaded: number; slowestMs: number }

async function feed(write: () => void, iteration: number, tally: Tally): Promise<void> {
  write();
  const t0 = performance.now();
  try {
    await checkModelFolder(dir);
    tally.loaded++;
    await expectWellFormed(path.join(dir, 'model.safetensors'), iteration);
  } catch (e) {
    if (!isNormscopeError(e)) throw new Error(`iteration ${iteration}: untyped ${String((e as Error)?.stack ?? e)}`);
    tally.typed++;
  }
  const ms = performance.now() - t0;
  tally.slowestMs = Math.max(tally.slowestMs, ms);
  expect(ms, `iteration ${iteration}`).toBeLessThan(1000);
}

describe('checkModelFolder(dir) on mutated model folders', () => {
  it(`${RUNS} mutations of model.safetensors: a typed error or a well-formed load, each under 1 s`, { timeout: 300_000 }, async () => {
    const valid = fs.readFileSync(path.join(source, 'model.safetensors'));
    const headerLength = Number(valid.readBigUInt64LE(0));
    const header = JSON.parse(valid.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
    const body = valid.subarray(8 + headerLength);
    const file = path.join(dir, 'model.safetensors');
    fs.copyFileSync(path.join(source, 'config.json'), path.join(dir, 'config.json'));
    const rand = prng(0x5afe7e45);
    const tally: Tally = { typed: 0, loaded: 0, slowestMs: 0 };
    for (let i = 0; i < RUNS; i++) {
      await feed(() => {
        if (rand() < 0.6) return fs.writeFileSync(file, mutateBytes(valid, 8 + headerLength, rand));
        const json = Buffer.from(JSON.stringify(mutateJson(header, rand)));
        const length = Buffer.alloc(8);
        length.writeBigUInt64LE(BigInt(json.length));
        fs.writeFileSync(file, Buffer.concat([length, json, body]));
      }, i, tally);
    }
    // both outcomes must occur, or the mutations were not exercising the reader
    expect(tally.typed).toBeGreaterThan(RUNS / 2);
    expect(tally.loaded).toBeGreaterThan(RUNS / 100);
  });

  it(`${RUNS} mutations of config.json: a typed error or a load whose config fits the weights, each under 1 s`, { timeout: 300_000 }, async () => {
    const valid = fs.readFileSync(path.join(source, 'config.json'));
    const config = JSON.parse(valid.toString('utf8')) as Record<string, unknown>;
    const file = path.join(dir, 'config.json');
    fs.copyFileSync(path.join(source, 'model.safetensors'), path.join(dir, 'model.safetensors'));
    const rand = prng(0xc0f19);
    const tally: Tally = { typed: 0, loaded: 0, slowestMs: 0 };
    for (let i = 0; i < RUNS; i++) {
      await feed(() => fs.writeFileSync(file, rand() < 0.5 ? mutateBytes(valid, valid.length, rand) : JSON.stringify(mutateJson(config, rand))), i, tally);
    }
    expect(tally.typed).toBeGreaterThan(RUNS / 2);
    expect(tally.loaded).toBeGreaterThan(RUNS / 100);
  });
});
