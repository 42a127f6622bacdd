// A document's taps as one taps.bin frame, or as text (base64 of the frame) for callers that pass strings; pure, so
// the inference worker runs them on its own thread.
import type { DocumentTaps } from '../../analysis/index.js';
import { NormscopeError } from '../../errors.js';
import { identity } from './keys.js';
import { parseFramedLine } from './record-log.js';
import type { ModelIdentity, TapsRecord } from './records.js';
import { decodeTaps } from './taps-codec.js';
import { decodeTapsPayload, encodeTapsPayload, frameTaps, unframeTaps } from './taps-frame.js';

/** A document's taps as one taps.bin frame (pure: runs on any thread). */
export function tapsFrame(sha256: string, model: ModelIdentity, taps: DocumentTaps): Buffer {
  return frameTaps(encodeTapsPayload({ sha256, ...identity(model) }, taps));
}

/** The taps of a frame tapsFrame made. Throws READ_FAILED when it is damaged. */
export function parseTapsFrame(frame: Uint8Array): DocumentTaps {
  const payload = unframeTaps(frame);
  if (!payload) throw new NormscopeError('READ_FAILED', 'stored taps failed their checksum');
  return decodeTapsPayload(payload).taps;
}

/** A document's taps as text: base64 of its taps.bin frame (for callers that pass taps as strings). */
export function tapsLine(sha256: string, model: ModelIdentity, taps: DocumentTaps): string {
  return tapsFrame(sha256, model, taps).toString('base64');
}

/** The taps of a line tapsLine made, or of a normscope.corpus/1 taps.jsonl line. Throws READ_FAILED when it is damaged. */
export function parseTapsLine(line: string): DocumentTaps {
  if (line.startsWith('{')) {
    const rec = parseFramedLine(line.endsWith('\n') ? line.slice(0, -1) : line) as TapsRecord | undefined;
    if (rec?.kind !== 'taps') throw new NormscopeError('READ_FAILED', 'stored taps failed their checksum');
    return decodeTaps(rec);
  }
  return parseTapsFrame(Buffer.from(line, 'base64'));
}

export function frameOfLine(line: string, sha256: string, model: ModelIdentity): Buffer {
  return line.startsWith('{') ? tapsFrame(sha256, model, parseTapsLine(line)) : Buffer.from(line, 'base64');
}
