import { register } from 'tsx/esm/api';
import fs from 'node:fs';
register();
const { startHarness } = await import('/work/main/test/harness/server.ts');
const { chromium } = await import('playwright-core');
const { CHROMIUM, CHROMIUM_ARGS } = await import('/work/main/test/app/fixtures.ts');
const dir = '/work/main/node_modules/.cache/normscope-bench/gpt2-small-shape';
const corpus = fs.readdirSync('/work/shared/corpus/licenses').sort().map(f => fs.readFileSync('/work/shared/corpus/licenses/'+f,'utf8')).join('\n\n').slice(0, 4200);
fs.writeFileSync('/tmp/b1000.txt', corpus);
const h = await startHarness({ modelSpec: dir });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
await page.goto(h.url);
await page.waitForSelector('[data-model-state="ready"]', { timeout: 120000 });
await page.evaluate(() => {
  const inv = window.normscope.invoke;
  const orig = inv['document:open'];
  inv['document:open'] = async (req) => { const t0 = performance.now(); const r = await orig(req); window.__openMs = performance.now() - t0; window.__openEnd = performance.now(); return r; };
});
const client = await page.context().newCDPSession(page);
for (let i = 0; i < 2; i++) {
  h.hooks.nextOpenFile('/tmp/b1000.txt');
  const prev = await page.getAttribute('main', 'data-doc').catch(() => null);
  if (i === 1) { await client.send('Profiler.enable'); await client.send('Profiler.start'); }
  await page.click('[data-action="open"]');
  await page.waitForFunction((prev) => { const m = document.querySelector('main[data-ready="true"]'); return m && m.getAttribute('data-doc') !== prev; }, prev, { polling: 'raf', timeout: 60000 });
  const t = await page.evaluate(() => [window.__openMs, performance.now() - window.__openEnd]);
  console.log('open call', t[0].toFixed(0), 'resolve→ready', t[1].toFixed(0), 'tokens', await page.locator('tr[data-token]').count());
  if (i === 1) {
    const { profile } = await client.send('Profiler.stop');
    // self time per function
    const self = new Map(); const total = profile.endTime - profile.startTime;
    const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map(n => [n.id, n]));
    profile.samples.forEach((id, k) => { const n = byId.get(id); const key = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber; self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0)); });
    console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => (v / 1000).toFixed(1) + 'ms ' + k).join('\n'));
  }
}
await browser.close(); await h.close();
