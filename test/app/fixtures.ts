// What the app tests share: the tiny-a fixture model (generated once into the test cache), the
// fixture's texts and expected values, Debian's Chromium on a harness page, and a document opened through the toolbar.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { DocumentView, Reply } from '../../shared/ipc.js';
import type { Harness } from '../harness/server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(ROOT, '../shared');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'normscope-test');

export interface ExpectedTap {
  log_norms: number[];
  ar2: { params: number[]; bse: number[]; tvalues: number[]; pvalues: number[]; conf_int: [number, number][]; rsquared: number; [k: string]: unknown };
}
export interface ExpectedDocument {
  text: string;
  ids: number[];
  taps: Record<string, ExpectedTap>;
}

export function expected(): { model: { n_layer: number }; documents: Record<string, ExpectedDocument> } {
  return JSON.parse(fs.readFileSync(path.join(SHARED, 'fixtures', 'tiny-a', 'expected.json'), 'utf8'));
}

/** The tiny-a model folder, made by the shared generator with the recipe's arguments and checked against its sha256. */
export function tinyModel(): string {
  const recipe = JSON.parse(fs.readFileSync(path.join(SHARED, 'fixtures', 'tiny-a', 'recipe.json'), 'utf8')) as { args: string; made: { sha256: string } };
  const dir = path.join(CACHE, 'app-tiny-a');
  const valid = () => fs.existsSync(path.join(dir, 'tokenizer.json')) && fs.existsSync(path.join(dir, 'model.safetensors')) && sha256(path.join(dir, 'model.safetensors')) === recipe.made.sha256;
  if (valid()) return dir;
  // generate beside, then rename: another test file may be doing the same, and the first complete folder wins
  const tmp = `${dir}.${process.pid}.${Date.now()}`;
  execFileSync(process.execPath, [path.join(SHARED, 'tools', 'make-gpt2-folder.mjs'), '--out', tmp, ...recipe.args.split(/\s+/)], { stdio: 'ignore' });
  if (sha256(path.join(tmp, 'model.safetensors')) !== recipe.made.sha256) throw new Error('tiny-a weights do not match recipe.json');
  if (!valid()) {
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, dir);
    } catch {
      // another process renamed its copy first
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!valid()) throw new Error(`could not prepare the tiny-a model in ${dir}`);
  return dir;
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium on a harness page, every page error and console error collected in `problems`. */
export async function openHarnessPage(url: string, viewport: { width: number; height: number }): Promise<{ browser: Browser; page: Page; problems: string[] }> {
  const problems: string[] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport, colorScheme: 'light' });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(url);
  return { browser, page, problems };
}

/** Opens `file` through the toolbar (the harness's dialog "chooses" it), waits for its document view, and returns the
 * DocumentView the page received. */
export async function analyzeInPage(page: Page, harness: Harness, file: string): Promise<DocumentView> {
  harness.hooks.nextOpenFile(file);
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/ipc/document:open')), page.click('[data-action="open"]')]);
  const reply = (await response.json()) as Reply<DocumentView>;
  if (!reply.ok) throw new Error(`document:open failed: ${reply.error.code} ${reply.error.message}`);
  await page.waitForSelector(`main[data-doc="${reply.value.docId}"][data-ready="true"]`);
  return reply.value;
}
