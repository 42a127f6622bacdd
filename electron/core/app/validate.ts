// Every IPC request is checked here — shape, types, ranges, no extra keys — before any core code
// sees it. electron/ipc.ts and the test harness both call validateRequest.
import {
  CORPUS_FIGURES,
  CORPUS_TABLE_FORMATS,
  DOCUMENT_FIGURES,
  EXPORT_FORMATS,
  PNG_RESOLUTIONS,
  CLIPBOARD_MAX_CHARS,
  type FigureExportOptions,
  type InvokeChannel,
  type InvokeRequest,
} from '../../../shared/ipc.js';
import { THEME_NAMES } from '../../../shared/figures/types.js';
import { PROVIDER_CHOICES } from '../../../shared/providers.js';
import { bad, int, oneOf, record, validateSettings } from '../analysis/settings-check.js';

export { validateSettings };

type Validators = { [C in InvokeChannel]: (raw: unknown) => InvokeRequest<C> };

function none(raw: unknown): void {
  if (raw !== null && raw !== undefined) bad('this request takes no arguments');
}

/** Ids are the 32 hex digits this process made (handles, documents). */
function id(v: unknown, where: string): string {
  if (typeof v !== 'string' || !/^[0-9a-f]{32}$/.test(v)) bad(`${where} is not a valid id`);
  return v;
}

/** Model names as the registry spells them ("gpt2", "openai-community/gpt2"): never a path. */
function modelName(v: unknown): string {
  if (typeof v !== 'string' || v.length > 200 || !/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(v) || v.includes('..')) {
    bad('model name must be a registry name like "gpt2" or "openai-community/gpt2"');
  }
  return v;
}

function size(v: unknown, where: string): number | undefined {
  return v === undefined ? undefined : int(v, 100, 8000, where);
}

/** The export fields every figure-saving request shares (document and corpus figures alike). */
function exportOptions(r: Record<string, unknown>): FigureExportOptions {
  const out: FigureExportOptions = {
    format: oneOf(r.format, EXPORT_FORMATS, 'format'),
    theme: oneOf(r.theme, THEME_NAMES, 'theme'),
  };
  if (r.resolution !== undefined) out.resolution = oneOf(r.resolution, PNG_RESOLUTIONS, 'resolution');
  const width = size(r.width, 'width');
  const height = size(r.height, 'height');
  if (width !== undefined) out.width = width;
  if (height !== undefined) out.height = height;
  return out;
}

/** A reopened results folder records its inputs; more than this is not a folder someone chose. */
const CORPUS_INPUTS_MAX = 1000;

const jobId = (raw: unknown, where: string) => ({ jobId: id(record(raw, where, { required: ['jobId'] }).jobId, `${where}.jobId`) });

const validators: Validators = {
  'app:info': none,
  'prefs:get': none,
  'prefs:set': (raw) => {
    const r = record(raw, 'prefs', { required: [], optional: ['theme', 'exportTheme', 'pngResolution', 'provider'] });
    const out: InvokeRequest<'prefs:set'> = {};
    if (r.theme !== undefined) out.theme = oneOf(r.theme, ['system', 'light', 'dark'] as const, 'prefs.theme');
    if (r.exportTheme !== undefined) out.exportTheme = oneOf(r.exportTheme, THEME_NAMES, 'prefs.exportTheme');
    if (r.pngResolution !== undefined) out.pngResolution = oneOf(r.pngResolution, PNG_RESOLUTIONS, 'prefs.pngResolution');
    if (r.provider !== undefined) out.provider = oneOf(r.provider, PROVIDER_CHOICES, 'prefs.provider');
    return out;
  },
  'model:status': none,
  'model:load': none,
  'file:open': none,
  'file:chooseFolder': (raw) => ({
    purpose: oneOf(record(raw, 'file:chooseFolder', { required: ['purpose'] }).purpose, ['corpus', 'results', 'figures'] as const, 'purpose'),
  }),
  'file:recent': none,
  'document:open': (raw) => {
    const r = record(raw, 'document:open', { required: ['file', 'settings'] });
    return { file: id(r.file, 'file'), settings: validateSettings(r.settings) };
  },
  'document:cancel': none,
  'document:refit': (raw) => {
    const r = record(raw, 'document:refit', { required: ['docId', 'settings'] });
    return { docId: id(r.docId, 'docId'), settings: validateSettings(r.settings) };
  },
  'document:close': (raw) => ({ docId: id(record(raw, 'document:close', { required: ['docId'] }).docId, 'docId') }),
  'figure:save': (raw) => {
    const r = record(raw, 'figure:save', { required: ['docId', 'figure', 'format', 'theme'], optional: ['resolution', 'width', 'height'] });
    return { docId: id(r.docId, 'docId'), figure: oneOf(r.figure, DOCUMENT_FIGURES, 'figure'), ...exportOptions(r) };
  },
  'figure:saveAll': (raw) => {
    const r = record(raw, 'figure:saveAll', { required: ['docId', 'formats', 'theme'], optional: ['resolution'] });
    if (!Array.isArray(r.formats) || r.formats.length === 0 || r.formats.length > EXPORT_FORMATS.length) {
      bad(`formats must be a non-empty list of ${EXPORT_FORMATS.join(', ')}`);
    }
    const formats = [...new Set(r.formats.map((f) => oneOf(f, EXPORT_FORMATS, 'formats[]')))];
    const out: InvokeRequest<'figure:saveAll'> = { docId: id(r.docId, 'docId'), formats, theme: oneOf(r.theme, THEME_NAMES, 'theme') };
    if (r.resolution !== undefined) out.resolution = oneOf(r.resolution, PNG_RESOLUTIONS, 'resolution');
    return out;
  },
  'clipboard:write': (raw) => {
    const r = record(raw, 'clipboard:write', { required: ['text'] });
    if (typeof r.text !== 'string' || r.text.length > CLIPBOARD_MAX_CHARS) bad(`text must be a string of at most ${CLIPBOARD_MAX_CHARS} characters`);
    return { text: r.text };
  },
  'models:list': none,
  'models:pull': (raw) => ({ name: modelName(record(raw, 'models:pull', { required: ['name'] }).name) }),
  'models:cancelPull': (raw) => ({ name: modelName(record(raw, 'models:cancelPull', { required: ['name'] }).name) }),
  'models:import': none,
  'models:remove': (raw) => ({ name: modelName(record(raw, 'models:remove', { required: ['name'] }).name) }),
  'models:setDefault': (raw) => ({ name: modelName(record(raw, 'models:setDefault', { required: ['name'] }).name) }),
  'models:firstRun': none,
  'models:dismissFirstRun': none,
  'models:scanCache': (raw) => {
    const other = record(raw, 'models:scanCache', { required: ['other'] }).other;
    if (typeof other !== 'boolean') bad('other must be true or false');
    return { other };
  },
  'corpus:start': (raw) => {
    const r = record(raw, 'corpus:start', { required: ['folder', 'resultsFolder', 'settings'], optional: ['inputs'] });
    const out: InvokeRequest<'corpus:start'> = { folder: id(r.folder, 'folder'), resultsFolder: id(r.resultsFolder, 'resultsFolder'), settings: validateSettings(r.settings) };
    if (r.inputs !== undefined) {
      if (!Array.isArray(r.inputs) || r.inputs.length > CORPUS_INPUTS_MAX) bad(`inputs must be a list of at most ${CORPUS_INPUTS_MAX} handles`);
      out.inputs = r.inputs.map((v, i) => id(v, `inputs[${i}]`));
    }
    return out;
  },
  'corpus:pause': (raw) => jobId(raw, 'corpus:pause'),
  'corpus:resume': (raw) => jobId(raw, 'corpus:resume'),
  'corpus:cancel': (raw) => jobId(raw, 'corpus:cancel'),
  'corpus:status': (raw) => jobId(raw, 'corpus:status'),
  'corpus:results': (raw) => jobId(raw, 'corpus:results'),
  'corpus:rows': (raw) => jobId(raw, 'corpus:rows'),
  'corpus:open': (raw) => ({ resultsFolder: id(record(raw, 'corpus:open', { required: ['resultsFolder'] }).resultsFolder, 'resultsFolder') }),
  'corpus:openDocument': (raw) => {
    const r = record(raw, 'corpus:openDocument', { required: ['jobId', 'index'] });
    return { jobId: id(r.jobId, 'jobId'), index: int(r.index, 0, 100_000_000, 'index') };
  },
  'corpus:saveFigure': (raw) => {
    const r = record(raw, 'corpus:saveFigure', { required: ['jobId', 'figure', 'format', 'theme'], optional: ['resolution', 'width', 'height'] });
    return { jobId: id(r.jobId, 'jobId'), figure: oneOf(r.figure, CORPUS_FIGURES, 'figure'), ...exportOptions(r) };
  },
  'corpus:exportSummary': (raw) => jobId(raw, 'corpus:exportSummary'),
  'corpus:exportTables': (raw) => {
    const r = record(raw, 'corpus:exportTables', { required: ['jobId', 'format'] });
    return { jobId: id(r.jobId, 'jobId'), format: oneOf(r.format, CORPUS_TABLE_FORMATS, 'format') };
  },
};

/** The request, checked; throws NormscopeError BAD_INPUT naming what is wrong. */
export function validateRequest<C extends InvokeChannel>(channel: C, raw: unknown): InvokeRequest<C> {
  return validators[channel](raw) as InvokeRequest<C>;
}

/** The wire form of a drop in Electron: the preload's webUtils path. Main still checks it is a readable regular file. */
export function validateDropPath(raw: unknown): string {
  const r = record(raw, 'file:drop', { required: ['path'] });
  if (typeof r.path !== 'string' || r.path.length === 0 || r.path.length > 4096 || r.path.includes('\0')) bad('path must be a file path');
  return r.path;
}
