// Undo history and autosave at scale, on the release build (dist/; DIST
// names another), printed, never asserted.
//   node e2e/probes/history.mjs [N] [EDITS]     (default 10000 servers, 300 edits)
// Opens #generate=N, zooms to 100 % and selects the server nearest the
// centre, then moves it EDITS times by arrow keys (each one undoable step)
// and undoes and redoes them all. Prints:
// - memory after load and after the edits: the JS heap (CDP
//   Runtime.getHeapUsage after a collection) and the wasm memory (its
//   buffer's size: wasm memory only grows, so this is its high-water mark);
// - autosave per edit: localStorage writes and reads (count, characters,
//   ms spent inside setItem/getItem), timed by wrapping Storage's methods;
// - main-thread work per edit, per undo and per redo (CDP TaskDuration),
//   which includes the autosave's serialising of the drawing.
import { serve, launch } from '../harness.mjs';

const n = Number(process.argv[2] || 10000);
const edits = Number(process.argv[3] || 300);
const KEY = 'dpm-sketch/drawing';
const server = await serve(process.env.DIST || undefined);
const chrome = await launch();
const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
await context.addInitScript(() => {
  localStorage.setItem('dpm-sketch/hint-dismissed', '1');
  addEventListener('TrunkApplicationStarted', (e) => (window.__wasm = e.detail.wasm));
  const s = (window.__store = { set: 0, setChars: 0, setMs: 0, get: 0, getChars: 0, getMs: 0 });
  const { setItem, getItem } = Storage.prototype;
  Storage.prototype.setItem = function (k, v) {
    const t = performance.now();
    try {
      return setItem.call(this, k, v);
    } finally {
      s.setMs += performance.now() - t;
      s.set += 1;
      s.setChars += String(v).length;
    }
  };
  Storage.prototype.getItem = function (k) {
    const t = performance.now();
    const v = getItem.call(this, k);
    s.getMs += performance.now() - t;
    s.get += 1;
    s.getChars += v ? v.length : 0;
    return v;
  };
});
const page = await context.newPage();
page.on('pageerror', (e) => console.error('page error:', String(e)));
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const taskMs = async () => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN);
};
const mb = (b) => (b / 1048576).toFixed(1);
async function memory() {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? NaN);
  return { js: usedSize, wasm };
}
// What is saved of `name`: its x, or null while it is not saved yet.
const savedX = (name) =>
  page.evaluate(
    ([key, name]) => {
      const text = Storage.prototype.getItem.call(localStorage, key);
      const t = text && JSON.parse(text);
      return t?.servers?.find((s) => s.name === name)?.x ?? null;
    },
    [KEY, name],
  );
const frames = () => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

try {
  const t0 = Date.now();
  await page.goto(`${server.url}#generate=${n}`);
  await page.waitForSelector('[data-server]', { timeout: 120000 });
  // Saved once: the generated drawing is in storage.
  await page.waitForFunction(
    ([key, n]) => {
      const text = localStorage.getItem(key);
      return text && JSON.parse(text).servers.length === n;
    },
    [KEY, n],
    { timeout: 120000, polling: 250 },
  );
  console.log(`history: ${n} servers, opened and saved in ${Date.now() - t0} ms`);
  for (let k = 0; k < 40; k++) {
    const z = parseFloat(await page.locator('.zoom-level').innerText());
    if (z >= 100) break;
    await page.click('[data-action="zoom-in"]');
  }
  const name = await page.evaluate(() => {
    const c = document.querySelector('.canvas').getBoundingClientRect();
    const [mx, my] = [c.x + c.width / 2, c.y + c.height / 2];
    let best = null;
    let bd = Infinity;
    for (const el of document.querySelectorAll('[data-server]')) {
      const r = el.querySelector('.body')?.getBoundingClientRect();
      if (!r) continue;
      const d = (r.x + r.width / 2 - mx) ** 2 + (r.y + r.height / 2 - my) ** 2;
      if (d < bd) [bd, best] = [d, el.getAttribute('data-server')];
    }
    return best;
  });
  await page.click(`[data-server="${name}"] .body`);
  await frames();
  const x0 = await savedX(name);
  await page.waitForTimeout(1500);
  const load = await memory();
  console.log(`after load: JS heap ${mb(load.js)} MB, wasm memory ${mb(load.wasm)} MB`);

  await page.evaluate(() => Object.keys(window.__store).forEach((k) => (window.__store[k] = 0)));
  let busy = await taskMs();
  let start = Date.now();
  for (let i = 0; i < edits; i++) await page.keyboard.press(i % 2 ? 'ArrowDown' : 'ArrowRight');
  await frames();
  const editWall = Date.now() - start;
  const editWork = (await taskMs()) - busy;
  // The moves saved (however the saves are spaced).
  await page.waitForFunction(
    ([key, name, x0]) => {
      const t = JSON.parse(Storage.prototype.getItem.call(localStorage, key));
      return t.servers.find((s) => s.name === name).x !== x0;
    },
    [KEY, name, x0],
    { timeout: 60000, polling: 250 },
  );
  await page.waitForTimeout(1500);
  const st = await page.evaluate(() => ({ ...window.__store }));
  const after = await memory();
  const per = (v) => (v / edits).toFixed(2);
  console.log(
    `${edits} edits (arrow-key moves): ${editWall} ms wall, main-thread ${per(editWork)} ms/edit; ` +
      `autosave: ${st.set} writes (${per(st.set)}/edit, ${(st.setChars / Math.max(1, st.set) / 1024).toFixed(0)} K chars each, ${per(st.setMs)} ms/edit in setItem), ` +
      `${st.get} reads (${per(st.getMs)} ms/edit in getItem)`,
  );
  console.log(
    `after ${edits} edits: JS heap ${mb(after.js)} MB (x${(after.js / load.js).toFixed(2)}), wasm memory ${mb(after.wasm)} MB (x${(after.wasm / load.wasm).toFixed(2)}), together x${((after.js + after.wasm) / (load.js + load.wasm)).toFixed(2)}`,
  );

  busy = await taskMs();
  start = Date.now();
  for (let i = 0; i < edits; i++) await page.keyboard.press('Control+z');
  await frames();
  const undoWall = Date.now() - start;
  const undoWork = (await taskMs()) - busy;
  await page.waitForFunction(
    ([key, name, x0]) => JSON.parse(localStorage.getItem(key)).servers.find((s) => s.name === name).x === x0,
    [KEY, name, x0],
    { timeout: 60000, polling: 250 },
  );
  busy = await taskMs();
  start = Date.now();
  for (let i = 0; i < edits; i++) await page.keyboard.press('Control+y');
  await frames();
  const redoWall = Date.now() - start;
  const redoWork = (await taskMs()) - busy;
  console.log(
    `undo all: ${undoWall} ms wall, main-thread ${per(undoWork)} ms/undo; redo all: ${redoWall} ms wall, main-thread ${per(redoWork)} ms/redo`,
  );
  await page.waitForTimeout(1500);
  const end = await memory();
  console.log(`after undo and redo: JS heap ${mb(end.js)} MB, wasm memory ${mb(end.wasm)} MB`);
} finally {
  await chrome.close();
  await server.close();
}
