// file → text: read a document's bytes and decode them the way the notebook's Python would read a
// text file (`open(path, encoding='utf-8-sig').read()`): UTF-8, a leading BOM dropped, universal
// newlines (CRLF and lone CR become LF). So the same words give the same tokens whatever editor saved them.
import crypto from 'node:crypto';
import { NormscopeError } from '../errors.js';
import { DEFAULT_MAX_BYTES, readDocumentBytes } from './document-file.js';

/** A document's text, decoded, with the sha256 of its bytes. */
export interface LoadedText {
  path: string;
  text: string;
  sha256: string;
}

/** Share of C0 control bytes (other than tab, LF, VT, FF, CR) above which bytes are taken for binary data. */
const CONTROL_RATIO_MAX = 0.1;

/** Reads and decodes one document (a regular file of at most `maxBytes`). Throws NormscopeError READ_FAILED | NOT_A_FILE |
 * TOO_LARGE | NOT_TEXT | BAD_ENCODING | EMPTY. */
export async function readText(path: string, options: { maxBytes?: number } = {}): Promise<LoadedText> {
  const bytes = await readDocumentBytes(path, options.maxBytes ?? DEFAULT_MAX_BYTES);
  return { path, text: decodeText(bytes, path), sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
}

/** Bytes → text with the checks of readText; `label` names the document in messages. */
export function decodeText(bytes: Uint8Array, label: string): string {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw new NormscopeError('BAD_ENCODING', `${label} is UTF-16 text; save it as UTF-8 and try again`, { path: label });
  }
  const binary = binaryEvidence(bytes);
  if (binary) throw new NormscopeError('NOT_TEXT', `${label} looks like a binary file, not text (${binary})`, { path: label });
  let text: string;
  try {
    // ignoreBOM: false drops a leading U+FEFF, as Python's utf-8-sig codec does
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8Offset(bytes);
    throw new NormscopeError(
      'BAD_ENCODING',
      `${label} is not valid UTF-8 (first bad byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at offset ${at}); ` +
        'save it as UTF-8 and try again',
      { path: label, offset: at },
    );
  }
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') {
    throw new NormscopeError('EMPTY', bytes.length === 0 ? `${label} is empty` : `${label} holds only whitespace`, { path: label });
  }
  return text;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Why the bytes are binary, or null: a NUL byte anywhere, or too many control bytes (what `git` and `file` look at). */
function binaryEvidence(bytes: Uint8Array): string | null {
  let controls = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0) return `a NUL byte at offset ${i}`;
    if ((b < 0x20 && (b < 0x09 || b > 0x0d)) || b === 0x7f) controls++;
  }
  return bytes.length > 0 && controls / bytes.length > CONTROL_RATIO_MAX
    ? `${((100 * controls) / bytes.length).toFixed(0)}% control bytes`
    : null;
}

/** Byte offset of the first invalid UTF-8 sequence: the decoded prefix before the first U+FFFD that the bytes do not spell. */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let from = 0;
  for (let i = lenient.indexOf('\ufffd'); i >= 0; i = lenient.indexOf('\ufffd', i + 1)) {
    offset += Buffer.byteLength(lenient.slice(from, i), 'utf8');
    // a literal U+FFFD in the file is EF BF BD and is valid
    if (!(buf[offset] === 0xef && buf[offset + 1] === 0xbf && buf[offset + 2] === 0xbd)) return offset;
    offset += 3;
    from = i + 1;
  }
  return offset;
}

