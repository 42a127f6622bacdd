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
import path from 'node:path';
import type { DocumentResult, Settings } from '../../../../shared/result.js';
import type { Site } from '../../../../shared/taps.js';
import type { DocumentTaps } from '../../analysis/index.js';
import { NormscopeError } from '../../errors.js';
import { writeFailure, writeFileAtomic } from '../../fs/atomic.js';
import { contextId, entryOf, identity, parseTapsKey, resultKey, resultKeyOf, tapsKey } from './keys.js';
import { readManifest } from './manifest.js';
import { OpenFiles, RecordLog, readBytesAt, readFrameAt, readRecordAt, scanFrames, scanRecords, type RecordSpan, type ScanReport } from './record-log.js';
import {
  MANIFEST_FILE,
  RESULTS_FILE,
  RETRYABLE_CODES,
  STORE_SCHEMA_V1,
  TAPS_FILE,
  TAPS_FILE_V1,
  type Manifest,
  type StoreModelEntry,
  type ModelIdentity,
  type ResultEntry,
  type ResultRecord,
  type RunEntry,
  type TapsRecord,
} from './records.js';
import { normalizeSettings, settingsKey } from './settings-key.js';
import { readShardRecord, writeShardRecord, type ShardRecord } from './shard-record.js';
import { releaseStoreLock, takeStoreLock } from './store-lock.js';
import { decodeTaps } from './taps-codec.js';
import { decodeTapsIdentity, decodeTapsPayload, encodeTapsPayload, frameTaps, unframeTaps } from './taps-frame.js';
import { frameOfLine, tapsFrame } from './taps-lines.js';
import { removeUpgradeLeftovers, upgradeV1 } from './upgrade.js';

export interface OpenOptions {
  /** Read only: no lock, no appends (a second window, a summary while another process writes). */
  readOnly?: boolean;
}

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
    if (!readOnly) await takeStoreLock(dir);
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
      if (!readOnly) await releaseStoreLock(dir);
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

  /** This folder's shard.json (shard-record.ts), or null when it has none. */
  readShardRecord(): Promise<ShardRecord | null> {
    return readShardRecord(this.dir);
  }

  /** Writes this folder's shard.json (atomically); a read-only store writes nothing. */
  writeShardRecord(record: Omit<ShardRecord, 'schema' | 'updated'>): Promise<void> {
    this.writable();
    return writeShardRecord(this.dir, record);
  }

  getManifest(): Manifest {
    return structuredClone(this.manifest);
  }

  /** Records a model (once per identity) in the manifest. */
  async recordModel(model: StoreModelEntry): Promise<void> {
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
    await releaseStoreLock(this.dir);
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
