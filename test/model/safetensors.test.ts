// readSafetensorsHeader + readTensorF32: every float16 and bfloat16 bit pattern widened exactly; ranges read as declared.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensorsHeader, readTensorF32 } from '../../electron/core/model/safetensors.js';
import { rawToFloat64, writeRawSafetensors, type RawTensor } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-st-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const allPatterns = new Uint8Array(Uint16Array.from({ length: 65536 }, (_, i) => i).buffer);
const f32 = new Uint8Array(Float32Array.from([1.5, -2.25, 3e-39, Infinity]).buffer);

describe('readTensorF32(file, tensor, dst, offset)', () => {
  const file = path.join(dir, 'dtypes.safetensors');
  const tensors = new Map<string, RawTensor>([
    ['half', { dtype: 'F16', shape: [256, 256], bytes: allPatterns }],
    ['brain', { dtype: 'BF16', shape: [65536], bytes: allPatterns }],
    ['single', { dtype: 'F32', shape: [2, 2], bytes: f32 }],
  ]);
  writeRawSafetensors(file, tensors);

  for (const name of ['half', 'brain', 'single']) {
    it(`widens every ${tensors.get(name)!.dtype} value exactly (NaN stays NaN, signed zeros and subnormals kept)`, async () => {
      const st = await readSafetensorsHeader(file);
      const t = st.tensors.get(name)!;
      const want = rawToFloat64(tensors.get(name)!);
      const got = new Float32Array(want.length + 3);
      await readTensorF32(st, t, got, 3);
      for (let i = 0; i < want.length; i++) {
        const g = got[i + 3]!, w = want[i]!;
        if (Number.isNaN(w)) expect(g, `element ${i}`).toBeNaN();
        else expect(Object.is(g, w) || g === w, `element ${i}: ${g} vs ${w}`).toBe(true);
      }
    });
  }

  it('keeps the sign of zero (bit pattern 0x8000 is -0 in both half formats)', async () => {
    const st = await readSafetensorsHeader(file);
    for (const name of ['half', 'brain']) {
      const got = new Float32Array(65536);
      await readTensorF32(st, st.tensors.get(name)!, got);
      expect(Object.is(got[0x8000], -0), name).toBe(true);
      expect(Object.is(got[0], 0), name).toBe(true);
    }
  });

  it('reports absolute byte ranges that follow the header', async () => {
    const st = await readSafetensorsHeader(file);
    expect(st.dataStart % 8).toBe(0);
    expect(st.tensors.get('half')).toMatchObject({ dtype: 'F16', shape: [256, 256], begin: st.dataStart, end: st.dataStart + 131072 });
    expect(st.size).toBe(fs.statSync(file).size);
  });
});
