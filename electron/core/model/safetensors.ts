// safetensors reader: the header parsed and every offset bounds-checked against the file's size before
// any tensor byte is read, so a lying or truncated file is a typed error, never a read past its end.
import { open, stat } from 'node:fs/promises';
import { NormscopeError } from '../errors.js';

/** Bytes per element of every dtype the safetensors format defines (the ones normscope computes with are F32/F16/BF16). */
const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
  F8_E4M3: 1, F8_E5M2: 1,
};

export type FloatDtype = 'F32' | 'F16' | 'BF16';

export function isFloatDtype(d: string): d is FloatDtype {
  return d === 'F32' || d === 'F16' || d === 'BF16';
}

/** One tensor of the file: `begin`/`end` are absolute byte offsets in the file, checked to lie inside it. */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  path: string;
  /** File size in bytes when the header was read. */
  size: number;
  /** Absolute offset of the data section (8 + header length). */
  dataStart: number;
  tensors: Map<string, TensorEntry>;
}

/** The format's own cap on header size (the Rust reference refuses larger ones). */
const MAX_HEADER_BYTES = 100_000_000;

function bad(path: string, message: string, details: Record<string, unknown> = {}): NormscopeError {
  return new NormscopeError('BAD_SAFETENSORS', `${path}: ${message}`, { path, ...details });
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Validates a header (the JSON bytes after the 8-byte length) against the file size and returns its tensors.
 * Pure: the fuzz tests drive it with mutated bytes.
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSize: number, path: string): SafetensorsFile {
  const dataStart = 8 + headerBytes.length;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw bad(path, 'header at byte 8 is not valid UTF-8', { offset: 8 });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(path, `header at byte 8 is not JSON (${(e as Error).message})`, { offset: 8 });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw bad(path, 'header is not a JSON object', { offset: 8 });
  const dataBytes = fileSize - dataStart;
  const tensors = new Map<string, TensorEntry>();
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    if (raw === null || typeof raw !== 'object') throw bad(path, `tensor "${name}" has no description`, { tensor: name });
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in ELEMENT_BYTES)) {
      throw bad(path, `tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`, { tensor: name });
    }
    if (!Array.isArray(shape) || !shape.every(isIndex)) throw bad(path, `tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`, { tensor: name });
    if (!Array.isArray(offsets) || offsets.length !== 2 || !isIndex(offsets[0]) || !isIndex(offsets[1]) || offsets[0] > offsets[1]) {
      throw bad(path, `tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`, { tensor: name });
    }
    const [b, e] = offsets as [number, number];
    if (e > dataBytes) {
      throw bad(path, `tensor "${name}" ends at byte ${dataStart + e}, past the end of the ${fileSize}-byte file (truncated?)`, {
        tensor: name, offset: dataStart + e,
      });
    }
    const elements = (shape as number[]).reduce((a, d) => a * d, 1);
    const need = elements * ELEMENT_BYTES[dtype]!;
    if (!Number.isSafeInteger(need) || need !== e - b) {
      throw bad(path, `tensor "${name}" holds ${e - b} bytes at byte ${dataStart + b}, but ${dtype}[${(shape as number[]).join(', ')}] needs ${need}`, {
        tensor: name, offset: dataStart + b,
      });
    }
    tensors.set(name, { name, dtype, shape: shape as number[], begin: dataStart + b, end: dataStart + e });
  }
  const byStart = [...tensors.values()].filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byStart.length; i++) {
    const prev = byStart[i - 1]!, cur = byStart[i]!;
    if (cur.begin < prev.end) {
      throw bad(path, `tensors "${prev.name}" and "${cur.name}" overlap at byte ${cur.begin}`, { tensor: cur.name, offset: cur.begin });
    }
  }
  return { path, size: fileSize, dataStart, tensors };
}

/** Reads and validates the header of a .safetensors file (reads only the header bytes). */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsFile> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new NormscopeError('MODEL_NOT_FOUND', `${path} does not exist or cannot be read`, { path });
  }
  if (size < 8) throw bad(path, `file is ${size} bytes, too short to hold the 8-byte header length`, { offset: 0 });
  const fh = await open(path, 'r');
  try {
    const lenBuf = Buffer.alloc(8);
    await readExactly(fh, lenBuf, 0, path);
    const n = lenBuf.readBigUInt64LE(0);
    if (n > BigInt(size - 8)) {
      throw bad(path, `header length ${n} (byte 0) runs past the end of the ${size}-byte file`, { offset: 0 });
    }
    if (n > BigInt(MAX_HEADER_BYTES)) throw bad(path, `header length ${n} (byte 0) exceeds the format's ${MAX_HEADER_BYTES}-byte limit`, { offset: 0 });
    const header = Buffer.alloc(Number(n));
    await readExactly(fh, header, 8, path);
    return parseSafetensorsHeader(header, size, path);
  } finally {
    await fh.close();
  }
}

type FileHandle = Awaited<ReturnType<typeof open>>;

async function readExactly(fh: FileHandle, into: Uint8Array, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw bad(path, `file ended at byte ${position + done} while reading (changed on disk?)`, { offset: position + done });
    done += bytesRead;
  }
}

/** Element count of a tensor. */
export function elementCount(t: TensorEntry): number {
  return t.shape.reduce((a, d) => a * d, 1);
}

// IEEE half → single by bit manipulation: Node 20 has no Float16Array and no library does this conversion in place.
function f16ToF32(src: Uint16Array, dst: Float32Array, dstOffset: number): void {
  const bits = new Uint32Array(dst.buffer, dst.byteOffset + dstOffset * 4, src.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i]!;
    const sign = (h & 0x8000) << 16, exp = (h >>> 10) & 0x1f, man = h & 0x3ff;
    if (exp === 0x1f) bits[i] = sign | 0x7f800000 | (man << 13);
    else if (exp !== 0) bits[i] = sign | ((exp + 112) << 23) | (man << 13);
    else if (man === 0) bits[i] = sign;
    else {
      // subnormal half: renormalize into a normal single
      let e = 113, m = man;
      while ((m & 0x400) === 0) { m <<= 1; e--; }
      bits[i] = sign | (e << 23) | ((m & 0x3ff) << 13);
    }
  }
}

function bf16ToF32(src: Uint16Array, dst: Float32Array, dstOffset: number): void {
  const bits = new Uint32Array(dst.buffer, dst.byteOffset + dstOffset * 4, src.length);
  for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16;
}

/** Bytes read per positioned read while converting (bounded memory for multi-GB tensors). */
const CHUNK_BYTES = 1 << 24;

/**
 * Reads tensor `t` as float32 into `dst` starting at element `dstOffset` (F32 copied, F16/BF16 widened exactly).
 * The range was bounds-checked with the header; a file that shrank since is a typed error.
 */
export async function readTensorF32(file: SafetensorsFile, t: TensorEntry, dst: Float32Array, dstOffset = 0): Promise<void> {
  if (!isFloatDtype(t.dtype)) throw bad(file.path, `tensor "${t.name}" is ${t.dtype}; only F32, F16 and BF16 weights are supported`, { tensor: t.name });
  const width = t.dtype === 'F32' ? 4 : 2;
  const fh = await open(file.path, 'r');
  try {
    const chunk = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(t.end - t.begin, 4)));
    let element = 0;
    for (let pos = t.begin; pos < t.end; ) {
      const len = Math.min(chunk.length, t.end - pos);
      const view = chunk.subarray(0, len);
      await readExactly(fh, view, pos, file.path);
      const n = len / width;
      if (t.dtype === 'F32') dst.set(new Float32Array(chunk.buffer, 0, n), dstOffset + element);
      else if (t.dtype === 'F16') f16ToF32(new Uint16Array(chunk.buffer, 0, n), dst, dstOffset + element);
      else bf16ToF32(new Uint16Array(chunk.buffer, 0, n), dst, dstOffset + element);
      element += n;
      pos += len;
    }
  } finally {
    await fh.close();
  }
}
