// The store's in-memory index keys: interned hashes and settings keys, so 10⁵ entries do not each repeat them.
import { settingsKey } from './settings-key.js';
import type { RecordSpan } from './record-log.js';
import type { ModelIdentity, ResultEntry, ResultRecord } from './records.js';

// A store's index holds an entry per document: the few distinct hashes and settings keys are shared strings, and index
// keys name them by a small number, so 10⁵ documents do not each repeat ~200 characters of hashes (twice).
const shared = new Map<string, string>();
const intern = (s: string): string => shared.get(s) ?? (shared.set(s, s), s);
const contexts: string[] = [];
const contextIds = new Map<string, number>();
export function contextId(context: string): number {
  let id = contextIds.get(context);
  if (id === undefined) contextIds.set(context, (id = contexts.push(context) - 1));
  return id;
}

export function identity(m: ModelIdentity): ModelIdentity {
  return { model_sha256: intern(m.model_sha256), tokenizer_sha256: intern(m.tokenizer_sha256) };
}

export function tapsKey(sha256: string, m: ModelIdentity): string {
  return `${sha256}|${contextId(`${m.model_sha256}|${m.tokenizer_sha256}`)}`;
}

/** The content hash and model of a tapsKey. */
export function parseTapsKey(key: string): { sha256: string; model: ModelIdentity } {
  const bar = key.lastIndexOf('|');
  const [model_sha256, tokenizer_sha256] = contexts[Number(key.slice(bar + 1))]!.split('|') as [string, string];
  return { sha256: key.slice(0, bar), model: { model_sha256, tokenizer_sha256 } };
}

export function resultKey(sha256: string | null, m: ModelIdentity, settings: string): string {
  return `${sha256}|${contextId(`${m.model_sha256}|${m.tokenizer_sha256}|${settings}`)}`;
}

/** Unreadable files (no content hash) are keyed by path, so each keeps its own latest record. */
export function resultKeyOf(r: ResultRecord): string {
  return resultKey(r.sha256 ?? `path:${r.path}`, r, settingsKey(r.settings));
}

export function entryOf(r: ResultRecord, span: RecordSpan): ResultEntry {
  return {
    sha256: r.sha256,
    path: r.path,
    ...identity(r),
    settingsKey: intern(settingsKey(r.settings)),
    status: r.status,
    ...(r.error ? { code: r.error.code } : {}),
    ...(r.n_tokens !== undefined ? { n_tokens: r.n_tokens } : {}),
    span,
  };
}
