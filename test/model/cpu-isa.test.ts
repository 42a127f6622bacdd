import { describe, expect, it } from 'vitest';
import { gqaFlashDefault, matmulIsaOf } from '../../electron/core/model/cpu-isa.js';

// flags lines as Linux prints them for the three machine classes the kernels were measured on (abridged)
const ZEN5 = 'processor\t: 0\nflags\t\t: fpu sse2 avx fma avx2 avx512f avx512dq avx512bw avx512vl\n';
const ZEN3 = 'processor\t: 0\nflags\t\t: fpu sse2 avx fma avx2 bmi2 vaes\n';
const OLD = 'processor\t: 0\nflags\t\t: fpu sse2 sse4_2 avx\n';

describe('matmulIsaOf: the ISA MLAS picks, from /proc/cpuinfo', () => {
  it('AVX-512 needs avx512f; AVX2 needs avx2 and fma; else SSE', () => {
    expect(matmulIsaOf(ZEN5, 'x64')).toBe('AVX-512');
    expect(matmulIsaOf(ZEN3, 'x64')).toBe('AVX2');
    expect(matmulIsaOf(ZEN3.replace(' fma', ''), 'x64')).toBe('SSE');
    expect(matmulIsaOf(OLD, 'x64')).toBe('SSE');
  });

  it('an avx512 flag other than avx512f is not AVX-512', () => {
    expect(matmulIsaOf('flags\t\t: avx2 fma avx512_vnni\n', 'x64')).toBe('AVX2');
  });

  it('arm64 is NEON; no cpuinfo or another architecture is unknown', () => {
    expect(matmulIsaOf(null, 'arm64')).toBe('NEON');
    expect(matmulIsaOf(null, 'x64')).toBe('unknown');
    expect(matmulIsaOf(ZEN3, 'ia32')).toBe('unknown');
  });
});

describe('gqaFlashDefault: the GroupQueryAttention kernel measured faster per ISA', () => {
  it('flash on AVX2 (ORT_GQA_DISABLE_FLASH_ATTENTION=0), the row kernel elsewhere (=1)', () => {
    expect(gqaFlashDefault('AVX2')).toBe('0');
    for (const isa of ['AVX-512', 'SSE', 'NEON', 'unknown'] as const) expect(gqaFlashDefault(isa)).toBe('1');
  });
});
