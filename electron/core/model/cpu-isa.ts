// The instruction set onnxruntime's float32 MatMul (MLAS SGEMM) dispatches to, as MLAS picks it: AVX-512 with avx512f,
// else AVX2 with avx2 + fma, else SSE. onnxruntime reports no ISA through its Node API, so it is read from Linux's
// /proc/cpuinfo flags (the kernel lists AVX-512 only where the OS saves its registers); elsewhere it is unknown.
import fs from 'node:fs';

export type MatmulIsa = 'AVX-512' | 'AVX2' | 'SSE' | 'NEON' | 'unknown';

/** The ISA for a /proc/cpuinfo text (null: none readable) on an architecture. */
export function matmulIsaOf(cpuinfo: string | null, arch: string = process.arch): MatmulIsa {
  if (arch === 'arm64') return 'NEON';
  if (cpuinfo === null || arch !== 'x64') return 'unknown';
  const line = cpuinfo.split('\n').find((l) => l.startsWith('flags'));
  const flags = new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  return flags.has('avx512f') ? 'AVX-512' : flags.has('avx2') && flags.has('fma') ? 'AVX2' : 'SSE';
}

/** This machine's MatMul ISA. */
export function matmulIsa(): MatmulIsa {
  let text: string | null = null;
  try {
    text = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: unknown
  }
  return matmulIsaOf(text);
}

/**
 * The default for onnxruntime's ORT_GQA_DISABLE_FLASH_ATTENTION: GroupQueryAttention's tiled flash kernel against its
 * row-by-row causal kernel, GPT-2-small shapes, T 74–900, 2 threads. AVX-512 Xeon: row 16% faster; AVX-512 Zen 5: the
 * same; AVX2 Zen 3: flash 20% faster in that operator (4% end to end). Unmeasured ISAs keep the row kernel.
 */
export function gqaFlashDefault(isa: MatmulIsa): '0' | '1' {
  return isa === 'AVX2' ? '0' : '1';
}
