// The results store: a folder the user chooses, holding
//   taps.bin       one binary frame per (document content, model): tokens + float32 norms of every site and layer
//                  (taps-frame.ts; about 3.7 bytes per stored value)
//   results.jsonl  one record per (document content, model, settings): the per-layer fits, or the document's error
//   manifest.json  what the folder is, which models and runs wrote to it (rewritten atomically)
//   .lock          the process writing it
// The two logs are the truth; every record is checksummed and on disk (fsync) before it is acknowledged, so a crash
// loses at most the document in flight. Records are found by content sha256, so renamed or moved documents are not
// redone. A normscope.corpus/1 store (taps.jsonl, base64 float64) is read as it is when opened read-only, and upgraded
// in place when opened for writing: taps.bin is written aside and renamed, and the manifest's rename commits it.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DocumentErrorCode, DocumentResult, FitJSON, ModelInfo, Settings } from '../../../../shared/result.js';
import type { Site } from '../../../../shared/taps.js';
import type { DocumentTaps } from '../../analysis/index.js';
import { NormscopeError, isNormscopeError } from '../../errors.js';
import { VERSION } from '../../version.js';
import {
  RecordLog,
  parseFramedLine,
  OpenFiles,
  readBytesAt,
  readFrameAt,
  readRecordAt,
  scanFrames,
  scanRecords,
  syncDirectory,
  writeFailure,
  writeFileAtomic,
  type RecordSpan,
  type ScanReport,
} from './record-log.js';
import { normalizeSettings, settingsKey } from './settings-key.js';
import { decodeTaps, type EncodedTaps } from './taps-codec.js';
import { decodeTapsIdentity, decodeTapsPayload, encodeTapsPayload, frameTaps, unframeTaps } from './taps-frame.js';

export const STORE_SCHEMA = 'normscope.corpus/2' as const;
/** The first version's schema, read and upgraded. */
export const STORE_SCHEMA_V1 = 'normscope.corpus/1' as const;
export const TAPS_FILE = 'taps.bin';
/** Where a normscope.corpus/1 store keeps its taps (JSON Lines). */
export const TAPS_FILE_V1 = 'taps.jsonl';
export const RESULTS_FILE = 'results.jsonl';
export const MANIFEST_FILE = 'manifest.json';
export const LOCK_FILE = '.lock';

/** Which weights and tokenizer made a result: two results compare only when both match. */
export interface ModelIdentity {
  model_sha256: string;
  tokenizer_sha256: string;
}

/** Errors that say nothing lasting about the document, so a rerun tries it again. */
export const RETRYABLE_CODES: ReadonlySet<DocumentErrorCode> = new Set<DocumentErrorCode>(['READ_FAILED', 'MODEL_FAILED', 'CANCELLED']);

export interface StoredFit {
  layer: number;
  tap: string;
  fit: FitJSON;
}

/** A taps record of a normscope.corpus/1 store (taps.jsonl). */
export interface TapsRecord extends ModelIdentity, EncodedTaps {
  kind: 'taps';
  sha256: string;
  n_layer: number;
  created: string;
}

export interface ResultRecord extends ModelIdentity {
  kind: 'result';
  /** Content sha256; null when the file could not be read. */
  sha256: string | null;
  path: string;
  settings: Settings;
  status: 'ok' | 'error';
  error?: { code: DocumentErrorCode; message: string };
  n_tokens?: number;
  /** Fits of `settings.component`, one per layer (log norms live in taps.bin). */
  layers?: StoredFit[];
  /** Per layer, the document's sufficient statistics for the pooled corpus fits (summary/document-factors.ts encodeFactors);
   * absent in results written before normscope.corpus/2, whose summaries read the series instead. */
  factors?: string[];
  /** 'computed' by the model, or 'refit' from stored taps. */
  source: 'computed' | 'refit';
  created: string;
}

/** What the store keeps in memory about a result record (the fits stay on disk until read). */
export interface ResultEntry extends ModelIdentity {
  sha256: string | null;
  path: string;
  settingsKey: string;
  status: 'ok' | 'error';
  code?: DocumentErrorCode;
  n_tokens?: number;
  span: RecordSpan;
}

export interface ModelEntry extends ModelInfo, ModelIdentity {
  revision: string | null;
}

export interface RunEntry {
  started: string;
  finished: string | null;
  state: string;
  inputs: string[];
  settings: Settings;
  model_sha256: string;
  counts: Record<string, number>;
}

export interface Manifest {
  schema: typeof STORE_SCHEMA | typeof STORE_SCHEMA_V1;
  normscope: string;
  created: string;
  updated: string;
  files: { taps: string; results: string };
  format: string;
  /** Set when a normscope.corpus/1 store was upgraded in place. */
  upgraded?: { from: string; at: string; taps_records: number; taps_skipped: number };
  models: ModelEntry[];
  runs: RunEntry[];
}

export interface OpenOptions {
  /** Read only: no lock, no appends (a second window, a summary while another process writes). */
  readOnly?: boolean;
}

const FORMAT_NOTE =
  'results.jsonl: JSON Lines, each line {"crc32": CRC-32 of the record text as 8 hex digits, "record": {...}}, lines ' +
  'whose checksum fails are skipped; taps.bin: binary frames "NSF2" | u32 length | u32 CRC-32 | payload of tokens and ' +
  'float32 norms (electron/core/corpus/taps-frame.ts), frames whose checksum fails are skipped';

export class CorpusStore {
  private readonly taps = new Map<string, RecordSpan>();
  private readonly results = new Map<string, ResultEntry>();
  private writing: Promise<unknown> = Promise.resolve();
  /** The log files held open during readingMany passes (undefined between them). */
  private openFiles: OpenFiles | undefined;
  private openPasses = 0;

  private constructor(
    readonly dir: string,
    private manifest: Manifest,
    /** What opening found in each log: damaged lines skipped, torn tails cut. */
    readonly openReport: { taps: ScanReport; results: ScanReport },
    private readonly logs: { taps: RecordLog; results: RecordLog } | null,
    /** A normscope.corpus/1 store opened read-only: its taps are JSON Lines. */
    private readonly legacy: boolean,
  ) {}

  /** Opens (creating if needed) the store in `dir`. Throws BAD_USAGE when another live process holds it, BAD_INPUT when
   * the folder holds something else. */
  static async open(dir: string, options: OpenOptions = {}): Promise<CorpusStore> {
    const readOnly = options.readOnly ?? false;
    if (!readOnly) await fsp.mkdir(dir, { recursive: true }).catch((e: unknown) => Promise.reject(writeFailure(dir, e)));
    else if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) throw new NormscopeError('BAD_INPUT', `${dir} holds no normscope results (no ${MANIFEST_FILE})`);
    let manifest = await readManifest(dir);
    if (!readOnly) await takeLock(dir);
    try {
      if (!readOnly) manifest = manifest.schema === STORE_SCHEMA_V1 ? await upgradeV1(dir, manifest) : (await removeUpgradeLeftovers(dir), manifest);
      const legacy = manifest.schema === STORE_SCHEMA_V1;
      const indexTaps = new Map<string, RecordSpan>();
      const indexResults = new Map<string, ResultEntry>();
      const tapsReport = legacy
        ? await scanRecords(path.join(dir, TAPS_FILE_V1), (rec, span) => {
            const r = rec as TapsRecord;
            if (r.kind === 'taps') indexTaps.set(tapsKey(r.sha256, r), span);
          })
        : await scanFrames(path.join(dir, TAPS_FILE), (payload, span) => {
            try {
              const id = decodeTapsIdentity(payload);
              indexTaps.set(tapsKey(id.sha256, id), span);
            } catch {
              // a checksummed frame of a payload version this normscope does not know: left alone, never misread
            }
          });
      const resultsReport = await scanRecords(path.join(dir, RESULTS_FILE), (rec, span) => {
        const r = rec as ResultRecord;
        if (r.kind === 'result') indexResults.set(resultKeyOf(r), entryOf(r, span));
      });
      const logs = readOnly
        ? null
        : {
            taps: await RecordLog.open(path.join(dir, TAPS_FILE), tapsReport.end),
            results: await RecordLog.open(path.join(dir, RESULTS_FILE), resultsReport.end),
          };
      const store = new CorpusStore(dir, manifest, { taps: tapsReport, results: resultsReport }, logs, legacy);
      for (const [k, v] of indexTaps) store.taps.set(k, v);
      for (const [k, v] of indexResults) store.results.set(k, v);
      if (!readOnly) await store.saveManifest();
      return store;
    } catch (e) {
      if (!readOnly) await releaseLock(dir);
      throw e;
    }
  }

  /** Runs `pass` (many reads: a summary, an export) with the store's files held open, and closes them after. */
  async readingMany<T>(pass: () => Promise<T>): Promise<T> {
    this.openFiles ??= new OpenFiles();
    this.openPasses++;
    try {
      return await pass();
    } finally {
      if (--this.openPasses === 0) {
        this.openFiles?.close();
        this.openFiles = undefined;
      }
    }
  }

  hasTaps(sha256: string, model: ModelIdentity): boolean {
    return this.taps.has(tapsKey(sha256, model));
  }

  /** The stored taps of a document for a model, or undefined. */
  async readTaps(sha256: string, model: ModelIdentity): Promise<DocumentTaps | undefined> {
    return this.decodeStored(sha256, model);
  }

  /** One site's stored log norms of a document, per layer (float64, as fits see them), or undefined. */
  async readSeries(sha256: string, model: ModelIdentity, site: Site): Promise<Float64Array[] | undefined> {
    return (await this.decodeStored(sha256, model, site))?.logNorms[site];
  }

  /** A document's stored taps as their checksummed taps.bin frame (for the inference worker, or another store). */
  async readTapsFrame(sha256: string, model: ModelIdentity): Promise<Buffer | undefined> {
    const span = this.taps.get(tapsKey(sha256, model));
    if (!span) return undefined;
    if (this.legacy) {
      const taps = await this.decodeStored(sha256, model);
      return taps && frameTaps(encodeTapsPayload({ sha256, ...identity(model) }, taps));
    }
    const frame = await readBytesAt(path.join(this.dir, TAPS_FILE), span, this.openFiles);
    return frame && unframeTaps(frame) ? frame : undefined;
  }

  /** Appends a frame that tapsFrame made (possibly on another thread) durably; READ_FAILED when it fails its checksum. */
  appendTapsFrame(sha256: string, model: ModelIdentity, frame: Uint8Array): Promise<void> {
    if (!unframeTaps(frame)) return Promise.reject(new NormscopeError('READ_FAILED', 'the taps frame to store failed its checksum'));
    return this.serial(async () => {
      const span = await this.writable().taps.appendBytes(frame);
      this.taps.set(tapsKey(sha256, model), span);
    });
  }

  private async decodeStored(sha256: string, model: ModelIdentity, site?: Site): Promise<DocumentTaps | undefined> {
    const span = this.taps.get(tapsKey(sha256, model));
    if (!span) return undefined;
    if (this.legacy) {
      const rec = (await readRecordAt(path.join(this.dir, TAPS_FILE_V1), span, this.openFiles)) as TapsRecord | undefined;
      return rec ? decodeTaps(rec) : undefined;
    }
    const payload = await readFrameAt(path.join(this.dir, TAPS_FILE), span, this.openFiles);
    return payload ? decodeTapsPayload(payload, site).taps : undefined;
  }

  /** The latest result for this content, model and settings, if any (errors included). */
  findResult(sha256: string, model: ModelIdentity, settings: Settings): ResultEntry | undefined {
    return this.results.get(resultKey(sha256, model, settingsKey(settings)));
  }

  /** A result that makes recomputing pointless: ok, or an error the content itself causes. */
  finalResult(sha256: string, model: ModelIdentity, settings: Settings): ResultEntry | undefined {
    const entry = this.findResult(sha256, model, settings);
    return entry && !(entry.code && RETRYABLE_CODES.has(entry.code)) ? entry : undefined;
  }

  async readResult(entry: ResultEntry): Promise<ResultRecord> {
    const rec = (await readRecordAt(path.join(this.dir, RESULTS_FILE), entry.span, this.openFiles)) as ResultRecord | undefined;
    if (!rec) throw new NormscopeError('READ_FAILED', `the stored result of ${entry.path} no longer reads back (the results file changed underneath)`);
    return rec;
  }

  /** A stored result in the analysis contract's shape (tokens and log norms from the stored taps), for the document view. */
  async readDocument(entry: ResultEntry): Promise<DocumentResult> {
    const rec = await this.readResult(entry);
    if (rec.status === 'error') return { path: rec.path, status: 'error', error: rec.error! };
    const taps = rec.sha256 ? await this.readTaps(rec.sha256, rec) : undefined;
    if (!taps || !rec.layers) throw new NormscopeError('READ_FAILED', `the stored taps of ${rec.path} are missing from ${this.dir}`);
    const series = taps.logNorms[rec.settings.component];
    return {
      path: rec.path,
      status: 'ok',
      sha256: rec.sha256!,
      tokens: taps.tokens,
      layers: rec.layers.map(({ layer, tap, fit }) => ({ layer, tap, log_norms: Array.from(series[layer]!), fit })),
    };
  }

  /** Latest result of every document content for a model and settings (unreadable files, with no content hash, left out). */
  entries(model: ModelIdentity, settings: Settings): ResultEntry[] {
    const key = settingsKey(settings);
    return [...this.results.values()].filter(
      (e) => e.sha256 !== null && e.settingsKey === key && e.model_sha256 === model.model_sha256 && e.tokenizer_sha256 === model.tokenizer_sha256,
    );
  }

  /** The latest result of every key (content, model, settings) in the store, in the order first stored. */
  allEntries(): ResultEntry[] {
    return [...this.results.values()];
  }

  /** Every stored taps record: its content hash and model, in the order first stored. */
  allTaps(): { sha256: string; model: ModelIdentity }[] {
    return [...this.taps.keys()].map(parseTapsKey);
  }

  /** Content hashes with stored taps for a model. */
  tapsHashes(model: ModelIdentity): string[] {
    const suffix = `|${contextId(`${model.model_sha256}|${model.tokenizer_sha256}`)}`;
    return [...this.taps.keys()].filter((k) => k.endsWith(suffix)).map((k) => k.slice(0, -suffix.length));
  }

  /** Appends a document's taps durably. */
  appendTaps(sha256: string, model: ModelIdentity, taps: DocumentTaps): Promise<void> {
    return this.appendTapsFrame(sha256, model, tapsFrame(sha256, model, taps));
  }

  /** Appends taps already encoded by tapsLine (or a normscope.corpus/1 taps.jsonl line), durably. */
  appendTapsLine(sha256: string, model: ModelIdentity, line: string): Promise<void> {
    try {
      return this.appendTapsFrame(sha256, model, frameOfLine(line, sha256, model));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** A document's stored taps as text (base64 of its frame), for parseTapsLine on another thread; undefined if none. */
  async readTapsLine(sha256: string, model: ModelIdentity): Promise<string | undefined> {
    return (await this.readTapsFrame(sha256, model))?.toString('base64');
  }

  /** Appends a result durably; resolves with its entry once it is on disk. */
  appendResult(fields: Omit<ResultRecord, 'kind' | 'created' | 'settings'> & { settings: Settings }): Promise<ResultEntry> {
    const rec: ResultRecord = {
      kind: 'result',
      ...fields,
      ...identity(fields),
      settings: normalizeSettings(fields.settings),
      created: new Date().toISOString(),
    };
    return this.serial(async () => {
      const span = await this.writable().results.append(rec);
      const entry = entryOf(rec, span);
      this.results.set(resultKeyOf(rec), entry);
      return entry;
    });
  }

  getManifest(): Manifest {
    return structuredClone(this.manifest);
  }

  /** Records a model (once per identity) in the manifest. */
  async recordModel(model: ModelEntry): Promise<void> {
    const known = this.manifest.models.some((m) => m.model_sha256 === model.model_sha256 && m.tokenizer_sha256 === model.tokenizer_sha256);
    if (!known) this.manifest.models.push(model);
    await this.saveManifest();
  }

  /** Adds a run to the manifest; returns its index for updateRun. */
  async recordRun(run: RunEntry): Promise<number> {
    this.manifest.runs.push(run);
    await this.saveManifest();
    return this.manifest.runs.length - 1;
  }

  async updateRun(index: number, patch: Partial<RunEntry>): Promise<void> {
    Object.assign(this.manifest.runs[index]!, patch);
    await this.saveManifest();
  }

  /** Waits for pending appends, closes the logs and releases the lock. */
  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    if (!this.logs) return;
    await this.logs.taps.close();
    await this.logs.results.close();
    await releaseLock(this.dir);
  }

  /** Resolves once every append issued so far is on disk (rejects with the first failure). */
  flushed(): Promise<void> {
    return this.writing.then(() => undefined);
  }

  private writable(): { taps: RecordLog; results: RecordLog } {
    if (!this.logs) throw new NormscopeError('BAD_USAGE', `the store in ${this.dir} was opened read-only`);
    return this.logs;
  }

  /** Appends one at a time, in call order: each line lands whole before the next begins. */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.writing.catch(() => undefined).then(job);
    this.writing = run;
    return run;
  }

  private saveManifest(): Promise<void> {
    this.manifest.updated = new Date().toISOString();
    const text = JSON.stringify(this.manifest, null, 2) + '\n';
    return this.serial(() => writeFileAtomic(path.join(this.dir, MANIFEST_FILE), text));
  }
}

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

function frameOfLine(line: string, sha256: string, model: ModelIdentity): Buffer {
  return line.startsWith('{') ? tapsFrame(sha256, model, parseTapsLine(line)) : Buffer.from(line, 'base64');
}

// A store's index holds an entry per document: the few distinct hashes and settings keys are shared strings, and index
// keys name them by a small number, so 10⁵ documents do not each repeat ~200 characters of hashes (twice).
const shared = new Map<string, string>();
const intern = (s: string): string => shared.get(s) ?? (shared.set(s, s), s);
const contexts: string[] = [];
const contextIds = new Map<string, number>();
function contextId(context: string): number {
  let id = contextIds.get(context);
  if (id === undefined) contextIds.set(context, (id = contexts.push(context) - 1));
  return id;
}

function identity(m: ModelIdentity): ModelIdentity {
  return { model_sha256: intern(m.model_sha256), tokenizer_sha256: intern(m.tokenizer_sha256) };
}

function tapsKey(sha256: string, m: ModelIdentity): string {
  return `${sha256}|${contextId(`${m.model_sha256}|${m.tokenizer_sha256}`)}`;
}

/** The content hash and model of a tapsKey. */
function parseTapsKey(key: string): { sha256: string; model: ModelIdentity } {
  const bar = key.lastIndexOf('|');
  const [model_sha256, tokenizer_sha256] = contexts[Number(key.slice(bar + 1))]!.split('|') as [string, string];
  return { sha256: key.slice(0, bar), model: { model_sha256, tokenizer_sha256 } };
}

function resultKey(sha256: string | null, m: ModelIdentity, settings: string): string {
  return `${sha256}|${contextId(`${m.model_sha256}|${m.tokenizer_sha256}|${settings}`)}`;
}

/** Unreadable files (no content hash) are keyed by path, so each keeps its own latest record. */
function resultKeyOf(r: ResultRecord): string {
  return resultKey(r.sha256 ?? `path:${r.path}`, r, settingsKey(r.settings));
}

function entryOf(r: ResultRecord, span: RecordSpan): ResultEntry {
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

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new NormscopeError('READ_FAILED', `cannot read ${file}: ${(e as Error).message}`);
    const entries = await fsp.readdir(dir).catch(() => [] as string[]);
    if (entries.some((name) => !name.startsWith('.') && name !== TAPS_FILE && name !== RESULTS_FILE && name !== TAPS_FILE_V1)) {
      // an existing folder with other files: refuse rather than scatter result files among someone's documents
      throw new NormscopeError('BAD_INPUT', `${dir} is not empty and holds no normscope results; choose an empty or new folder`);
    }
    const now = new Date().toISOString();
    // logs of a first-version store that lost its manifest: read (and upgraded) as that version, never dropped
    if (entries.includes(TAPS_FILE_V1) && !entries.includes(TAPS_FILE)) {
      return { schema: STORE_SCHEMA_V1, normscope: VERSION, created: now, updated: now, files: { taps: TAPS_FILE_V1, results: RESULTS_FILE }, format: 'JSON Lines', models: [], runs: [] };
    }
    return { schema: STORE_SCHEMA, normscope: VERSION, created: now, updated: now, files: { taps: TAPS_FILE, results: RESULTS_FILE }, format: FORMAT_NOTE, models: [], runs: [] };
  }
  return parseManifest(file, text);
}

/** The manifest of an existing results folder, read without opening the store (no lock, no scan of its logs). Throws
 * BAD_INPUT when the folder has none, or one this version cannot read. */
export async function readStoreManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${MANIFEST_FILE}` : (e as Error).message;
    throw new NormscopeError('BAD_INPUT', `${dir} holds no normscope results (${why})`);
  }
  return parseManifest(file, text);
}

function parseManifest(file: string, text: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new NormscopeError('BAD_INPUT', `${file} is not valid JSON`);
  }
  if (manifest.schema !== STORE_SCHEMA && manifest.schema !== STORE_SCHEMA_V1) {
    const newer = String(manifest.schema).startsWith('normscope.corpus/');
    throw new NormscopeError(
      'BAD_INPUT',
      newer
        ? `${file} is a ${manifest.schema} store, written by a newer normscope than ${VERSION}: update normscope to read it`
        : `${file} is not a normscope results manifest (schema ${String(manifest.schema)})`,
    );
  }
  return manifest;
}

const UPGRADE_TMP = `${TAPS_FILE}.upgrade.tmp`;

/**
 * Rewrites a normscope.corpus/1 store's taps.jsonl as taps.bin, in place and atomically: the frames go to a temporary
 * file (fsync), which is renamed to taps.bin; the manifest, rewritten atomically with the new schema, is the commit
 * point; only then is taps.jsonl removed. A crash before the manifest leaves a v1 store (taps.bin is rewritten next
 * time), after it a v2 store (a leftover taps.jsonl is removed next time). Results need no change.
 */
async function upgradeV1(dir: string, manifest: Manifest): Promise<Manifest> {
  const tmp = path.join(dir, UPGRADE_TMP);
  const fd = await fsp.open(tmp, 'w').catch((e: unknown) => Promise.reject(writeFailure(tmp, e)));
  let written = 0;
  let skipped = 0;
  try {
    const frames: Buffer[] = [];
    let pending = 0;
    const drain = async () => {
      for (const f of frames.splice(0)) await fd.write(f);
      pending = 0;
    };
    // scanRecords visits synchronously: frames are queued per chunk and written between chunks
    const report = await scanRecords(path.join(dir, TAPS_FILE_V1), (rec) => {
      const r = rec as TapsRecord;
      if (r.kind !== 'taps') return;
      try {
        const frame = frameTaps(encodeTapsPayload({ sha256: r.sha256, model_sha256: r.model_sha256, tokenizer_sha256: r.tokenizer_sha256, created: r.created }, decodeTaps(r)));
        frames.push(frame);
        pending += frame.length;
        written++;
      } catch {
        skipped++; // a record that passed its checksum but does not decode was never usable: the refit path recomputes it
      }
    }, async () => (pending > 0 ? drain() : undefined));
    await drain();
    skipped += report.corrupt;
    await fd.sync();
  } catch (e) {
    await fd.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw isNormscopeError(e) ? e : writeFailure(tmp, e);
  }
  await fd.close();
  await fsp.rename(tmp, path.join(dir, TAPS_FILE)).catch((e: unknown) => Promise.reject(writeFailure(dir, e)));
  await syncDirectory(dir);
  const upgraded: Manifest = {
    ...manifest,
    schema: STORE_SCHEMA,
    files: { taps: TAPS_FILE, results: RESULTS_FILE },
    format: FORMAT_NOTE,
    upgraded: { from: STORE_SCHEMA_V1, at: new Date().toISOString(), taps_records: written, taps_skipped: skipped },
  };
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(upgraded, null, 2) + '\n');
  await fsp.rm(path.join(dir, TAPS_FILE_V1), { force: true });
  await syncDirectory(dir);
  return upgraded;
}

/** What an upgrade interrupted after its commit point left behind. */
async function removeUpgradeLeftovers(dir: string): Promise<void> {
  await fsp.rm(path.join(dir, UPGRADE_TMP), { force: true });
  if (fs.existsSync(path.join(dir, TAPS_FILE_V1))) {
    await fsp.rm(path.join(dir, TAPS_FILE_V1), { force: true });
    await syncDirectory(dir);
  }
}

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

/** Takes the folder's lock; a lock left by a dead process on this host is taken over. Throws BAD_USAGE when it is held. */
async function takeLock(dir: string): Promise<void> {
  const file = path.join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fsp.writeFile(file, JSON.stringify(mine) + '\n', { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailure(file, e);
    }
    let held: LockInfo | null = null;
    try {
      held = JSON.parse(await fsp.readFile(file, 'utf8')) as LockInfo;
    } catch {
      // empty or torn: its writer is writing it right now, or died doing so long ago
      const age = Date.now() - ((await fsp.stat(file).catch(() => null))?.mtimeMs ?? 0);
      if (age < 10_000) throw new NormscopeError('BAD_USAGE', `the results folder ${dir} is being opened by another process`);
    }
    if (held && held.host === mine.host && held.pid === process.pid) {
      throw new NormscopeError('BAD_USAGE', `the results folder ${dir} is already open in this process`);
    }
    if (held && (held.host !== mine.host || processAlive(held.pid))) {
      throw new NormscopeError(
        'BAD_USAGE',
        `the results folder ${dir} is in use by process ${held.pid} on ${held.host} since ${held.started}; ` +
          `if no normscope runs there, delete ${file}`,
      );
    }
    await fsp.rm(file, { force: true });
  }
  throw new NormscopeError('BAD_USAGE', `could not take the lock ${file}`);
}

async function releaseLock(dir: string): Promise<void> {
  const file = path.join(dir, LOCK_FILE);
  try {
    const held = JSON.parse(await fsp.readFile(file, 'utf8')) as LockInfo;
    if (held.pid === process.pid && held.host === os.hostname()) await fsp.rm(file, { force: true });
  } catch {
    // already gone
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
