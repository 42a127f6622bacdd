// DocumentTaps ⇄ one binary record of taps.bin (normscope.corpus/2). What the model produced is kept: the float32
// norms, byte-split (all first bytes, then all second bytes …, as Parquet's BYTE_STREAM_SPLIT) and deflated, so the
// slowly varying exponent bytes compress; ln is taken at read time in float64, which gives back exactly the log norms
// the pipeline fitted (they are ln of the same float32 numbers). A series whose values do not survive that round
// trip (a v1 record written by other code) is kept as float64 log norms instead, so nothing is ever misread.
//
// Frame: magic "NSF2" · u32 payload length · u32 CRC-32 of (length bytes ‖ payload) · payload, little-endian.
// Payload: u8 version 1 · u8 value kind (0 float32 norms, 1 float64 log norms) · u8 sites · u8 flags · u16 layers ·
// u16 0 · u32 tokens · f64 created (ms) · content, model and tokenizer sha256 (32 bytes each; with flag 1, identities
// that are not 64 hex digits, each as u16 length + UTF-8) · u32 token bytes · u32 value bytes ·
// deflate(u32 ids ‖ u32 text byte lengths ‖ UTF-8 texts) · deflate(byte-split values).
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { TokenJSON } from '../../../../shared/result.js';
import { SITES, type Site } from '../../../../shared/taps.js';
import type { DocumentTaps } from '../../analysis/index.js';

export const FRAME_MAGIC = Buffer.from('NSF2', 'latin1');
export const FRAME_HEADER = 12;
const FIXED = 20;
const VERSION = 1;
/** Largest payload a frame may claim: a length beyond it is damage, not a record. */
export const MAX_PAYLOAD = 1 << 30;

export interface TapsIdentity {
  sha256: string;
  model_sha256: string;
  tokenizer_sha256: string;
  n_layer: number;
  n_tokens: number;
  created: string;
}

export interface DecodedTaps extends TapsIdentity {
  taps: DocumentTaps;
}

/** Whether every value of a series is ln of a float32 that exp gives back (then 4 bytes hold it exactly). */
function float32Exact(series: ArrayLike<number>): Float32Array | null {
  const out = new Float32Array(series.length);
  for (let t = 0; t < series.length; t++) {
    const v = series[t]!;
    const n = Math.fround(Math.exp(v));
    if (!Object.is(Math.log(n), v)) return null;
    out[t] = n;
  }
  return out;
}

/** Bytes of `n` values of `width` bytes, regrouped so byte b of every value comes before byte b + 1 of any. */
function byteSplit(bytes: Uint8Array, width: number): Uint8Array {
  const n = bytes.length / width;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < n; i++) for (let b = 0; b < width; b++) out[b * n + i] = bytes[i * width + b]!;
  return out;
}

function littleEndian(values: Float32Array | Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const copy = Buffer.from(bytes);
  return values instanceof Float32Array ? copy.swap32() : copy.swap64();
}

const isSha = (s: string) => /^[0-9a-f]{64}$/.test(s);

/** The three identities: raw 32-byte digests, or (flag 1) length-prefixed text for anything else. */
function identityBytes(ids: string[]): { flag: number; bytes: Buffer } {
  if (ids.every(isSha)) return { flag: 0, bytes: Buffer.concat(ids.map((h) => Buffer.from(h, 'hex'))) };
  return {
    flag: 1,
    bytes: Buffer.concat(
      ids.map((t) => {
        const b = Buffer.from(t, 'utf8');
        const len = Buffer.alloc(2);
        len.writeUInt16LE(b.length);
        return Buffer.concat([len, b]);
      }),
    ),
  };
}

/** The identities and where the blob lengths start. */
function readIdentities(b: Buffer): { ids: [string, string, string]; at: number } {
  if ((b.readUInt8(3) & 1) === 0) return { ids: [b.toString('hex', 20, 52), b.toString('hex', 52, 84), b.toString('hex', 84, 116)], at: 116 };
  const ids: string[] = [];
  let at = FIXED;
  for (let i = 0; i < 3; i++) {
    const len = b.readUInt16LE(at);
    ids.push(b.toString('utf8', at + 2, at + 2 + len));
    at += 2 + len;
  }
  return { ids: ids as [string, string, string], at };
}

/** The payload of one document's taps. */
export function encodeTapsPayload(id: Omit<TapsIdentity, 'n_layer' | 'n_tokens' | 'created'> & { created?: string }, taps: DocumentTaps): Buffer {
  const T = taps.tokens.length;
  const nLayer = taps.logNorms.attn.length;
  const series = SITES.flatMap((site) => taps.logNorms[site]);
  const singles = series.map(float32Exact);
  const exact = singles.every((s) => s !== null);
  const width = exact ? 4 : 8;
  const values = exact ? new Float32Array(series.length * T) : new Float64Array(series.length * T);
  series.forEach((s, i) => {
    if (s.length !== T) throw new TypeError(`a series holds ${s.length} values for ${T} tokens`);
    values.set(exact ? singles[i]! : s, i * T);
  });
  const texts = taps.tokens.map((t) => Buffer.from(t.text, 'utf8'));
  const tokenBytes = Buffer.alloc(8 * T);
  taps.tokens.forEach((t, i) => {
    tokenBytes.writeUInt32LE(t.id, 4 * i);
    tokenBytes.writeUInt32LE(texts[i]!.length, 4 * (T + i));
  });
  const tokensBlob = deflateRawSync(Buffer.concat([tokenBytes, ...texts]));
  const valuesBlob = deflateRawSync(byteSplit(littleEndian(values), width), { level: 1 });
  const identities = identityBytes([id.sha256, id.model_sha256, id.tokenizer_sha256]);
  const head = Buffer.alloc(FIXED);
  head.writeUInt8(VERSION, 0);
  head.writeUInt8(exact ? 0 : 1, 1);
  head.writeUInt8(SITES.length, 2);
  head.writeUInt8(identities.flag, 3);
  head.writeUInt16LE(nLayer, 4);
  head.writeUInt32LE(T, 8);
  const created = id.created ? Date.parse(id.created) : Date.now();
  head.writeDoubleLE(Number.isFinite(created) ? created : Date.now(), 12);
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32LE(tokensBlob.length, 0);
  lengths.writeUInt32LE(valuesBlob.length, 4);
  return Buffer.concat([head, identities.bytes, lengths, tokensBlob, valuesBlob]);
}

/** Who the payload belongs to, without inflating anything (what opening a store indexes). */
export function decodeTapsIdentity(payload: Uint8Array): TapsIdentity {
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (b.length < FIXED + 8 || b.readUInt8(0) !== VERSION) throw new TypeError('not a version-1 taps payload');
  const { ids } = readIdentities(b);
  return {
    sha256: ids[0],
    model_sha256: ids[1],
    tokenizer_sha256: ids[2],
    n_layer: b.readUInt16LE(4),
    n_tokens: b.readUInt32LE(8),
    created: new Date(b.readDoubleLE(12)).toISOString(),
  };
}

/** The taps of a payload; with `site`, only that site's series are turned into log norms (the others stay empty). */
export function decodeTapsPayload(payload: Uint8Array, site?: Site): DecodedTaps {
  const id = decodeTapsIdentity(payload);
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const kind = b.readUInt8(1);
  const nSites = b.readUInt8(2);
  if (nSites !== SITES.length || (kind !== 0 && kind !== 1)) throw new TypeError(`taps payload of kind ${kind} with ${nSites} sites`);
  const { at } = readIdentities(b);
  const tokensLength = b.readUInt32LE(at);
  const valuesLength = b.readUInt32LE(at + 4);
  const blobs = at + 8;
  if (blobs + tokensLength + valuesLength !== b.length) throw new TypeError('taps payload lengths do not add up');
  const T = id.n_tokens;
  const tokenBytes = inflateRawSync(b.subarray(blobs, blobs + tokensLength));
  const tokens: TokenJSON[] = new Array(T);
  for (let i = 0, at = 8 * T; i < T; i++) {
    const len = tokenBytes.readUInt32LE(4 * (T + i));
    tokens[i] = { id: tokenBytes.readUInt32LE(4 * i), text: tokenBytes.toString('utf8', at, at + len) };
    at += len;
  }
  const width = kind === 0 ? 4 : 8;
  const split = inflateRawSync(b.subarray(blobs + tokensLength));
  const count = id.n_layer * nSites * T;
  if (split.length !== count * width) throw new TypeError(`taps payload holds ${split.length / width} values for ${id.n_layer * nSites} series of ${T}`);
  const logNorms = {} as Record<Site, Float64Array[]>;
  const value = new Uint8Array(width);
  const view = new DataView(value.buffer);
  SITES.forEach((s, si) => {
    logNorms[s] =
      site && s !== site
        ? []
        : Array.from({ length: id.n_layer }, (_, layer) => {
            const out = new Float64Array(T);
            const base = (si * id.n_layer + layer) * T;
            for (let t = 0; t < T; t++) {
              // byte b of value i sits at split[b · count + i] (byteSplit's layout)
              for (let k = 0; k < width; k++) value[k] = split[k * count + base + t]!;
              out[t] = kind === 0 ? Math.log(view.getFloat32(0, true)) : view.getFloat64(0, true);
            }
            return out;
          });
  });
  return { ...id, taps: { tokens, logNorms } };
}

/** A payload framed for taps.bin. */
export function frameTaps(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(FRAME_HEADER);
  FRAME_MAGIC.copy(header, 0);
  header.writeUInt32LE(payload.length, 4);
  header.writeUInt32LE(crc32(payload, crc32(header.subarray(4, 8))), 8);
  return Buffer.concat([header, payload]);
}

/** The payload of a whole frame, or undefined when it is not one or fails its checksum. */
export function unframeTaps(frame: Uint8Array): Buffer | undefined {
  const b = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (b.length < FRAME_HEADER || !b.subarray(0, 4).equals(FRAME_MAGIC)) return undefined;
  const length = b.readUInt32LE(4);
  if (length !== b.length - FRAME_HEADER) return undefined;
  const payload = b.subarray(FRAME_HEADER);
  return crc32(payload, crc32(b.subarray(4, 8))) === b.readUInt32LE(8) ? payload : undefined;
}
