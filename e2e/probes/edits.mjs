// Edits on a large estate, timed (issue 24, item 4): printed, never
// asserted (timings on shared 2-core machines move by a third run to run;
// only figures of one run compare, which is why the peer runs in the same one).
//
//   node e2e/probes/edits.mjs [options] [DIST]
//     --sizes 1000,5000,10000   estates opened at #generate=N (env SIZES)
//     --cameras fitted,100      fitted: as the app opens it; 100: zoomed to
//                               100 % on a DPM server near the centre; none:
//                               the memory figures only (env CAMERAS)
//     --only select,delete,...  actions by id (env ACTIONS; default all):
//                               select shift-select box-select move drag-all
//                               delete undo rename connect-canvas connect-keys
//                               connect-list remove-protection simulator risk
//                               copies
//     --reps 3                  repetitions; the median is shown (env REPS)
//     --edits 300               arrow-key moves for the memory figures, 0 for
//                               none (env EDITS)
//     --pause 0                 ms to wait before each timed input, on top of
//                               the set-up's frames and idle moment (env
//                               PAUSE): a user's pace between a click and a
//                               key, so that work the set-up started a moment
//                               later (the far view's tidy, 80 ms) is done
//     --peer DIR                a built React Flow page (the peers folder's),
//                               opened at ?n=N and probed the same way for the
//                               actions it has (env PEER_DIST); skipped if none
//     --profile 12              also samples each timed input with the CDP
//                               profiler and prints its N functions of most
//                               self time (env PROFILE; 0, the default: none).
//                               Sampling slows the page: its times are not
//                               the table's. Wasm functions have names in a
//                               build without wasm-opt (set data-wasm-opt
//                               "z" to "0" in index.html for that build)
//     --trace 12                also records each timed input's Chrome trace
//                               and prints its N events of most time, by
//                               thread (the compositor's and the GPU's
//                               work are not in "main ms") (env TRACE;
//                               with env TRACE_TIMELINE=1, also the main
//                               events of its frames in order, ms from the
//                               input, each layout and style recalculation
//                               with what it took in and "forced" when a
//                               script asked for it)
//   DIST (or env DIST) is our release build, default dist/.
//
// Each timed input runs from the input event (as the browser took it in)
// to the second animation frame after the last event of the gesture: by
// then the frame showing the result has been drawn. "main ms" is the
// renderer's main-thread work over the same span (CDP Performance.getMetrics
// TaskDuration). Each repetition restores the state first (undo, leave,
// close), untimed; the steps are e2e/edit-actions.mjs, which the estate test
// also runs. A step that fails prints "failed: why" and the probe goes on.
// Memory: JS heap (CDP Runtime.getHeapUsage after a forced GC) and the
// wasm memory's size, after load and after EDITS arrow-key moves (each one
// undoable edit), in a page of their own at 100 %.
import { resolve } from 'node:path';
import { serve, launch, dist as defaultDist } from '../harness.mjs';
import { installTimer, actions, runAction, recover, pickTargets, canvasBox, frameWithTarget, rows as ourRows, CHECK_MS } from '../edit-actions.mjs';

const argv = process.argv.slice(2);
const opt = (name, env, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv.splice(i, 2)[1];
  return process.env[env] || fallback;
};
const sizes = opt('sizes', 'SIZES', '1000,5000,10000').split(',').map(Number);
const cameras = opt('cameras', 'CAMERAS', 'fitted,100').split(',').filter((c) => c && c !== 'none');
const only = opt('only', 'ACTIONS', '').split(',').filter(Boolean);
const reps = Number(opt('reps', 'REPS', '3'));
const edits = Number(opt('edits', 'EDITS', '300'));
const pause = Number(opt('pause', 'PAUSE', '0'));
if (!Number.isFinite(pause) || pause < 0) {
  console.error('edits: --pause takes a number of ms, 0 or more');
  process.exit(2);
}
const peerDist = opt('peer', 'PEER_DIST', '');
const profileTop = Number(opt('profile', 'PROFILE', '0'));
const traceTop = Number(opt('trace', 'TRACE', '0'));
for (const [name, v] of [['profile', profileTop], ['trace', traceTop]]) {
  if (!Number.isFinite(v) || v < 0) {
    console.error(`edits: --${name} takes a number of lines, 0 (none) or more`);
    process.exit(2);
  }
}
const ourDist = resolve(argv[0] || process.env.DIST || defaultDist);
const unknown = only.filter((id) => !actions.some((a) => a.id === id));
if (unknown.length) {
  console.error(`edits: no action ${unknown.join(', ')}; there are ${actions.map((a) => a.id).join(' ')}`);
  process.exit(2);
}
const chosen = actions.filter((a) => !only.length || only.includes(a.id));

const median = (xs) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : NaN;
};
const ms = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');
const mb = (v) => (Number.isFinite(v) ? (v / 1048576).toFixed(1) : '-');

async function taskMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN);
}

/** One line per timed input as it is measured, to follow a long run. */
const progress = (rows) => {
  for (const r of rows) console.log(`    ${r.row}: ${r.error ? `failed: ${r.error}` : `${ms(r.wall)} ms, main ${ms(r.work)} ms`}`);
};

/** Times one input on the session's page: { wall, work } in ms, or { error }. */
const timer = (s, wait = pause) => async (input, aim) => {
  // What the set-up started (a panel drawn, a save) is done first: `wait`
  // ms (--pause), two frames, then an idle moment (at most 5 s).
  if (wait) await s.page.waitForTimeout(wait);
  await s.page.evaluate(
    () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(ok, { timeout: 5000 })))),
  );
  // Then the step's aim, on the settled page, before the timing starts.
  if (aim) await aim();
  if (profileTop > 0) {
    await s.cdp.send('Profiler.enable');
    await s.cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await s.cdp.send('Profiler.start');
  }
  const browser = s.page.context().browser();
  if (traceTop > 0) await browser.startTracing(s.page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'cc', 'gpu', 'viz'] });
  // (Stopped whatever happens: a trace left running refuses the next.)
  try {
    const m0 = await taskMs(s.cdp);
    await s.page.evaluate(() => window.__edits.arm());
    await input();
    const r = await s.page.evaluate(() => window.__edits.wait());
    const m1 = await taskMs(s.cdp);
    return r.error ? { error: r.error } : { wall: r.wall, work: m1 - m0 };
  } finally {
    if (profileTop > 0) printProfile((await s.cdp.send('Profiler.stop')).profile);
    if (traceTop > 0) printTrace(JSON.parse(String(await browser.stopTracing())));
  }
};

/**
 * The trace's `traceTop` events of most time (complete events, summed by
 * thread and name; an event inside another counts in both), one line each.
 */
function printTrace({ traceEvents }) {
  // What a layout or a style recalculation took in (its objects or
  // elements), and "forced" when script asked for it (it runs inside a
  // script's call, not in the frame's own steps).
  const scripts = traceEvents.filter((e) => e.ph === 'X' && /^(FunctionCall|EventDispatch|TimerFire)$/.test(e.name));
  const forced = (e) => scripts.some((s) => s.pid === e.pid && s.tid === e.tid && s.ts <= e.ts && e.ts + e.dur <= s.ts + s.dur) ? ', forced' : '';
  const detail = (e) => {
    const d = e.args?.beginData;
    if (e.name === 'Layout' && d) return ` (${d.dirtyObjects}/${d.totalObjects} objects${d.partialLayout ? ', partial' : ''}${forced(e)})`;
    if (e.name === 'UpdateLayoutTree') return ` (${e.args?.elementCount ?? '?'} elements${forced(e)})`;
    return '';
  };
  const threads = new Map();
  for (const e of traceEvents) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const sum = new Map();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || !e.dur) continue;
    const k = `${threads.get(`${e.pid}:${e.tid}`) ?? e.tid}  ${e.name}`;
    sum.set(k, (sum.get(k) ?? 0) + e.dur / 1000);
  }
  const top = [...sum].sort((a, b) => b[1] - a[1]).slice(0, traceTop);
  for (const [k, t] of top) console.log(`      ${t.toFixed(1).padStart(6)} ms  ${k.slice(0, 110)}`);
  if (!process.env.TRACE_TIMELINE) return;
  const marks = /^(EventDispatch|FireAnimationFrame|BeginMainFrame|ProxyMain::BeginMainFrame|Commit|LayerTreeHost::DoUpdateLayers|TimerFire|FireIdleCallback|Display::DrawAndSwap|RasterTask|Paint|Layout|UpdateLayoutTree|MajorGC|MinorGC|FunctionCall)$/;
  const seen = traceEvents.filter((e) => e.ph === 'X' && e.dur > 300 && marks.test(e.name)).sort((a, b) => a.ts - b.ts);
  const t0 = seen.find((e) => e.name === 'EventDispatch')?.ts ?? seen[0]?.ts;
  for (const e of seen) console.log(`        ${((e.ts - t0) / 1000).toFixed(1).padStart(7)} +${(e.dur / 1000).toFixed(1).padStart(5)}  ${(threads.get(`${e.pid}:${e.tid}`) ?? e.tid).toString().slice(0, 26).padEnd(26)} ${e.name} ${e.args?.data?.type ?? ''}${detail(e)}`);
}

/**
 * The profile's `profileTop` functions of most time, each with its time
 * including what it called and its own (self), in ms, one line each.
 */
function printProfile({ nodes, samples, timeDeltas }) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}`.trim();
  const [self, total] = [new Map(), new Map()];
  const add = (m, k, t) => m.set(k, (m.get(k) ?? 0) + t);
  samples.forEach((id, i) => {
    const t = (timeDeltas[i] ?? 0) / 1000;
    add(self, name(byId.get(id)), t);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) seen.add(name(byId.get(at)));
    for (const k of seen) add(total, k, t);
  });
  const top = [...total].filter(([n]) => !/^\((idle|root|program)\)/.test(n)).sort((a, b) => b[1] - a[1]).slice(0, profileTop);
  for (const [n, t] of top) console.log(`      ${t.toFixed(1).padStart(6)} ${(self.get(n) ?? 0).toFixed(1).padStart(6)} ms  ${n.slice(0, 100)}`);
}

/** Resolves once `read()` in the page gives the same value `frames` frames running. */
const settle = (page, read, frames = 6, timeout = 60000) =>
  page.evaluate(
    ([src, n, limit]) =>
      new Promise((ok) => {
        const f = new Function(`return (${src})()`);
        const t0 = performance.now();
        let last;
        let same = 0;
        const tick = () => {
          const v = f();
          same = v === last ? same + 1 : 0;
          last = v;
          if (same >= n || performance.now() - t0 > limit) ok(v);
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    [read.toString(), frames, timeout],
  );

/** A fresh page (own context) at `url`, the timer installed; resolves once `ready` is in it. */
async function open(browser, url, ready) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(installTimer);
  await context.addInitScript(() => localStorage.setItem('dpm-sketch/hint-dismissed', '1'));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('  page error:', String(e).split('\n')[0]));
  page.on('dialog', (d) => d.dismiss());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector(ready, { timeout: 300000 });
  return { context, page, cdp, ready: Date.now() - t0 };
}

/**
 * Resolves once the page has had three idle periods in a row with most of
 * their time left: what a page does after load while the browser is idle
 * (ours: the risk made ahead, the protection table) is done, so that the
 * memory after load counts it. (Measured before it, the wasm after load
 * at 10,000 servers read 21.1 MB in one run and 23.1 in another.) A page
 * never that idle (an animation runs) is measured after 30 s, and said.
 */
async function quiet(page) {
  const idle = await page.evaluate(
    () =>
      new Promise((ok) => {
        let [n, done] = [0, false];
        const end = setTimeout(() => {
          done = true;
          ok(false);
        }, 30000);
        const tick = (d) => {
          if (done) return;
          // (Ours: and no save waiting, so that memory after load counts
          // the first save of the drawing as opened.)
          const saving = document.documentElement.hasAttribute('data-save-pending');
          n = d.timeRemaining() > 40 && !saving ? n + 1 : 0;
          if (n >= 3) {
            clearTimeout(end);
            ok(true);
          } else requestIdleCallback(tick, { timeout: 2000 });
        };
        requestIdleCallback(tick, { timeout: 2000 });
      }),
  );
  if (!idle) console.error('  (the page was not idle within 30 s: memory after load read then)');
}

/** JS heap after a forced GC, and the wasm memory's size, in bytes. */
async function memory(s) {
  await s.cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await s.cdp.send('Runtime.getHeapUsage');
  const wasm = await s.page.evaluate(() => window.__wasmMemory?.buffer?.byteLength ?? null);
  return { heap: usedSize, wasm: wasm ?? NaN };
}

// ---- ours -----------------------------------------------------------------

const zoomLevel = (page) => page.evaluate(() => parseFloat(document.querySelector('.zoom-level')?.textContent ?? ''));
const ourSettle = (page) => settle(page, () => `${document.querySelector('.zoom-level')?.textContent} ${document.querySelectorAll('[data-server]').length}`);

/**
 * 100 %, centred on server `name`: Find goes to it (centred), then the wheel
 * over the canvas's centre zooms about it, step by step, until the zoom
 * shown is 100 %; then the view pans to show a server it does not protect
 * beside it (`frameWithTarget`). Resolves to the zoom reached.
 */
async function ourHundred(page, name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('/');
  await page.getByTestId('find').locator('input').waitFor();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelector(`[data-server="${n}"].selected`), name, { timeout: CHECK_MS });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  const box = await canvasBox(page);
  await page.mouse.move(box.cx, box.cy);
  let gain = 0.0015; // the app's wheel: zoom by exp(-deltaY * gain)
  for (let i = 0; i < 8; i++) {
    const k = (await zoomLevel(page)) / 100;
    if (Math.abs(k - 1) < 0.005) break;
    const dy = Math.log(k) / gain;
    await page.mouse.wheel(0, dy);
    await ourSettle(page);
    const k2 = (await zoomLevel(page)) / 100;
    if (k2 !== k && Math.abs(dy) > 1) gain = Math.log(k / k2) / dy || gain;
  }
  await frameWithTarget(page, name);
  await ourSettle(page);
  return zoomLevel(page);
}

/** Runs the chosen actions `reps` times in the page's present view: { row: [results] }. */
async function ourPass(s) {
  const out = {};
  for (const action of chosen) {
    for (let r = 0; r < reps; r++) {
      let result;
      try {
        s.t = s.t ?? (await pickTargets(s.page));
        result = await runAction(s, action, timer(s));
      } catch (e) {
        result = { rows: action.steps.filter((st) => st.row).map((st) => ({ row: st.row, error: String(e.message ?? e) })), error: e };
      }
      for (const row of result.rows) (out[row.row] ??= []).push(row);
      progress(result.rows);
      if (result.error) await recover(s);
    }
  }
  return out;
}

async function ours(browser, base, n) {
  const s = await open(browser, `${base}#generate=${n}`, '[data-server]');
  const out = { ready: s.ready, passes: {} };
  try {
    await ourSettle(s.page);
    for (const camera of cameras) {
      if (camera === '100') {
        const t = await pickTargets(s.page);
        await ourHundred(s.page, t.dpm);
      }
      s.t = null;
      s.far = await s.page.evaluate(() => document.querySelector('svg.canvas').classList.contains('far'));
      const zoom = await zoomLevel(s.page);
      const drawnCount = await s.page.evaluate(() => {
        const c = document.querySelector('svg.canvas').getBoundingClientRect();
        let k = 0;
        for (const b of document.querySelectorAll('[data-server] .body')) {
          const r = b.getBoundingClientRect();
          if (r.right > c.x && r.x < c.right && r.bottom > c.y && r.y < c.bottom) k++;
        }
        return k;
      });
      console.log(`  ours, ${camera}: zoom ${zoom} %, ${drawnCount} of ${n} servers on screen${s.far ? ' (far view)' : ''}`);
      out.passes[camera] = { zoom, drawn: drawnCount, rows: await ourPass(s) };
    }
  } finally {
    await s.context.close();
  }
  return out;
}

/** Memory after load and after `edits` arrow-key moves of one server, at 100 %. */
async function ourMemory(browser, base, n) {
  const s = await open(browser, `${base}#generate=${n}`, '[data-server]');
  try {
    await ourSettle(s.page);
    await quiet(s.page);
    const load = await memory(s);
    const t = await pickTargets(s.page);
    await ourHundred(s.page, t.dpm);
    s.t = await pickTargets(s.page);
    await s.page.keyboard.press('Escape');
    const at = await s.page.evaluate((name) => {
      const r = document.querySelector(`[data-server="${name}"] .body`).getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, s.t.p1);
    await s.page.mouse.click(at.x, at.y);
    await s.page.waitForSelector(`[data-server="${s.t.p1}"].selected`, { timeout: CHECK_MS });
    return { load, ...(await moves(s, s.page.locator(`[data-server="${s.t.p1}"]`))) };
  } finally {
    await s.context.close();
  }
}

/** `edits` arrow-key moves (right, down, left, up in turn), each let finish; then memory. */
async function moves(s, focusable) {
  const before = await memory(s);
  const keys = ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'];
  const t0 = Date.now();
  // (No pause: 300 moves, each let finish, at a key repeat's pace.)
  const time = timer(s, 0);
  const walls = [];
  // The moves after which the wasm memory had grown, and to what: wasm
  // memory never shrinks, so its size after the moves is the most they
  // ever needed at once, and these say when that was (an autosave, say).
  const grew = [];
  let size = before.wasm;
  await focusable.focus();
  for (let i = 0; i < edits; i++) {
    const r = await time(() => s.page.keyboard.press(keys[i % 4]));
    walls.push(r.wall);
    const now = await s.page.evaluate(() => window.__wasmMemory?.buffer?.byteLength ?? null);
    if (now !== null && now !== size) grew.push({ move: i + 1, wasm: (size = now) });
  }
  const seconds = (Date.now() - t0) / 1000;
  return { before, after: await memory(s), seconds, wall: median(walls), grew };
}

// ---- the peer (a React Flow page) -------------------------------------------

const peerZoom = (page) =>
  page.evaluate(() => {
    const m = /scale\(([\d.]+)\)/.exec(document.querySelector('.react-flow__viewport')?.style.transform ?? '');
    return m ? Number(m[1]) : NaN;
  });
const peerSettle = (page) => settle(page, () => document.querySelector('.react-flow__viewport')?.style.transform ?? '');
const peerNode = (name) => `.react-flow__node[data-server="${name}"]`;

/** The peer's nodes wholly in view nearest the centre: { p1, p2 }. */
async function peerTargets(page) {
  const t = await page.evaluate(() => {
    const c = document.querySelector('.react-flow').getBoundingClientRect();
    const [mx, my] = [c.x + c.width / 2, c.y + c.height / 2];
    const all = [];
    for (const e of document.querySelectorAll('.react-flow__node[data-server]')) {
      const r = e.getBoundingClientRect();
      if (r.x < c.x + 24 || r.y < c.y + 24 || r.right > c.right - 24 || r.bottom > c.bottom - 24) continue;
      all.push({ name: e.getAttribute('data-server'), d: (r.x + r.width / 2 - mx) ** 2 + (r.y + r.height / 2 - my) ** 2 });
    }
    all.sort((a, b) => a.d - b.d);
    return all.length >= 2 ? { p1: all[0].name, p2: all[1].name } : null;
  });
  if (!t) throw new Error('fewer than two nodes wholly in view');
  return t;
}

/**
 * A point of node `name` that the node itself is on top at (its centre
 * when no other node covers it): the peer's nodes overlap their
 * neighbours (150 px wide, 90 px apart), and one moved by the arrow key
 * can have its centre under the next.
 */
const peerCentre = (page, name) =>
  page.evaluate((sel) => {
    const e = document.querySelector(sel);
    const r = e?.getBoundingClientRect();
    if (!r) return null;
    const mine = (x, y) => document.elementFromPoint(x, y)?.closest('.react-flow__node') === e;
    const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
    for (let d = 0; d < r.width / 2; d += 4) {
      for (const x of [cx - d, cx + d]) if (mine(x, cy)) return { x, y: cy };
    }
    return { x: cx, y: cy };
  }, peerNode(name));
const peerWait = (page, fn, arg, what) =>
  page.waitForFunction(fn, arg, { timeout: CHECK_MS, polling: 100 }).catch(() => {
    throw new Error(`not seen: ${what}`);
  });
const peerSelected = (page, name) =>
  peerWait(page, (sel) => document.querySelector(sel)?.classList.contains('selected'), peerNode(name), `${name} selected`);

/** A point of the empty pane up and left of node `name`, and its mirror. */
const peerEmptyNear = (page, name) =>
  page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
    const [hw, hh] = [r.width / 2 + 4, r.height / 2 + 4];
    // Beyond the node on both axes: React Flow selects what the box holds whole.
    const pts = [];
    for (let y = 6; y < innerHeight - 6; y += 7) {
      for (let x = 6; x < innerWidth - 6; x += 7) {
        if (Math.abs(x - cx) > hw && Math.abs(y - cy) > hh) pts.push([x, y, (x - cx) ** 2 + (y - cy) ** 2]);
      }
    }
    pts.sort((a, b) => a[2] - b[2]);
    for (const [x, y] of pts) {
      if (!document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) continue;
      return { x, y, x2: cx + Math.sign(cx - x) * hw, y2: cy + Math.sign(cy - y) * hh };
    }
    return null;
  }, peerNode(name));

async function peerClick(page, name) {
  const at = await peerCentre(page, name);
  if (!at) throw new Error(`${name} is not drawn`);
  await page.mouse.click(at.x, at.y);
}

/** Clears the peer's selection: a click on the empty pane. */
async function peerDeselect(s) {
  const at = await peerEmptyNear(s.page, s.t.p1);
  if (at) await s.page.mouse.click(at.x, at.y);
  await peerWait(s.page, () => !document.querySelector('.react-flow__node.selected'), null, 'nothing selected');
}

async function peerSelectOnly(s) {
  await peerDeselect(s);
  await peerClick(s.page, s.t.p1);
  await peerSelected(s.page, s.t.p1);
}

/** The peer's actions under our rows' names (Ctrl+click is React Flow's add-to-selection). */
const peerActions = [
  {
    id: 'select',
    steps: [
      { do: peerDeselect },
      { row: 'select one server', do: (s) => peerClick(s.page, s.t.p1), check: (s) => peerSelected(s.page, s.t.p1) },
    ],
  },
  {
    id: 'shift-select',
    steps: [
      {
        do: async (s) => {
          await peerSelectOnly(s);
          await s.page.keyboard.down('Control');
        },
      },
      {
        row: 'shift-select a second',
        do: (s) => peerClick(s.page, s.t.p2),
        check: async (s) => {
          await peerSelected(s.page, s.t.p2);
          await peerSelected(s.page, s.t.p1);
        },
        always: (s) => s.page.keyboard.up('Control'),
      },
    ],
  },
  {
    id: 'box-select',
    steps: [
      {
        do: async (s) => {
          await peerDeselect(s);
          s.box = await peerEmptyNear(s.page, s.t.p1);
          if (!s.box) throw new Error('no empty pane near the node');
          await s.page.keyboard.down('Shift');
          await s.page.mouse.move(s.box.x, s.box.y);
          await s.page.mouse.down();
          await s.page.mouse.move(s.box.x2, s.box.y2, { steps: 6 });
        },
      },
      { row: 'box-select (Shift+drag)', do: (s) => s.page.mouse.up(), check: (s) => peerSelected(s.page, s.t.p1), always: (s) => s.page.keyboard.up('Shift') },
    ],
  },
  {
    id: 'move',
    steps: [
      {
        do: async (s) => {
          await peerSelectOnly(s);
          s.place = await s.page.evaluate((sel) => document.querySelector(sel).style.transform, peerNode(s.t.p1));
        },
      },
      {
        row: 'move by an arrow key',
        do: (s) => s.page.keyboard.press('ArrowRight'),
        check: (s) => peerWait(s.page, ([sel, was]) => document.querySelector(sel)?.style.transform !== was, [peerNode(s.t.p1), s.place], 'moved'),
      },
    ],
  },
  {
    id: 'delete',
    steps: [
      { do: peerSelectOnly },
      {
        row: 'delete a server',
        do: (s) => s.page.keyboard.press('Backspace'),
        check: (s) => peerWait(s.page, (sel) => !document.querySelector(sel), peerNode(s.t.p1), 'gone'),
      },
      // No undo: the next repetition works on the nodes nearest the centre then.
      { do: async (s) => (s.t = await peerTargets(s.page)) },
    ],
  },
];

async function peer(browser, base, n) {
  const s = await open(browser, `${base}?n=${n}`, '.react-flow__node');
  const out = { ready: s.ready, passes: {} };
  try {
    await peerSettle(s.page);
    for (const camera of cameras) {
      if (camera === '100') {
        const c = await s.page.locator('.react-flow').boundingBox();
        await s.page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
        let gain = 0.002 * Math.LN2; // d3-zoom: 2^(-deltaY * 0.002)
        for (let i = 0; i < 8; i++) {
          const k = await peerZoom(s.page);
          if (!(Math.abs(k - 1) > 0.005)) break;
          const dy = Math.log(k) / gain;
          await s.page.mouse.wheel(0, dy);
          await peerSettle(s.page);
          const k2 = await peerZoom(s.page);
          if (k2 !== k) gain = Math.log(k / k2) / dy || gain;
        }
      }
      s.t = await peerTargets(s.page);
      const zoom = Math.round((await peerZoom(s.page)) * 100);
      console.log(`  peer, ${camera}: zoom ${zoom} %`);
      const rows = {};
      for (const action of peerActions.filter((a) => chosen.some((c) => c.id === a.id))) {
        for (let r = 0; r < reps; r++) {
          const result = await runAction(s, action, timer(s)).catch((e) => ({ rows: [{ row: action.id, error: String(e.message ?? e) }], error: e }));
          for (const row of result.rows) (rows[row.row] ??= []).push(row);
          progress(result.rows);
          if (result.error) {
            await s.page.mouse.up().catch(() => {});
            await s.page.keyboard.up('Shift').catch(() => {});
            s.t = await peerTargets(s.page).catch(() => s.t);
          }
        }
      }
      out.passes[camera] = { zoom, rows };
    }
  } finally {
    await s.context.close();
  }
  return out;
}

async function peerMemory(browser, base, n) {
  const s = await open(browser, `${base}?n=${n}`, '.react-flow__node');
  try {
    await peerSettle(s.page);
    await quiet(s.page);
    const load = await memory(s);
    s.t = await peerTargets(s.page);
    await peerSelectOnly(s);
    return { load, ...(await moves(s, s.page.locator(peerNode(s.t.p1)))) };
  } finally {
    await s.context.close();
  }
}

// ---- the tables -----------------------------------------------------------

/** One cell pair for a row's results: [wall median, main median, runs, error]. */
function cell(results) {
  if (!results?.length) return null;
  const ok = results.filter((r) => !r.error);
  const err = results.find((r) => r.error)?.error;
  if (!ok.length) return { error: err };
  return {
    wall: median(ok.map((r) => r.wall)),
    work: median(ok.map((r) => r.work)),
    runs: ok.map((r) => ms(r.wall)).join('/'),
    note: err && ok.length < results.length ? ` (${results.length - ok.length} failed: ${err})` : '',
  };
}

function table(n, camera, o, p) {
  const pass = o?.passes[camera];
  const ppass = p?.passes[camera];
  console.log();
  console.log(`### ${n} servers, ${camera === '100' ? '100 %' : 'fitted'}: ours at zoom ${pass?.zoom ?? '-'} % (${pass?.drawn ?? '-'} servers on screen)${pause ? `, ${pause} ms before each input` : ''}` +
    (p ? `, peer at zoom ${ppass?.zoom ?? '-'} %` : ''));
  console.log();
  console.log(`| action | timed input | ours wall ms | ours main ms | ours wall runs |${p ? ' peer wall ms | peer main ms | wall ours / peer |' : ''}`);
  console.log(`|---|---|---:|---:|---|${p ? '---:|---:|---:|' : ''}`);
  for (const [id, row, input] of ourRows) {
    if (!chosen.some((a) => a.id === id)) continue;
    const c = cell(pass?.rows[row]);
    const ours = !c ? '| - | - | - |' : c.error ? `| failed: ${c.error} | - | - |` : `| ${ms(c.wall)} | ${ms(c.work)} | ${c.runs}${c.note} |`;
    let peerCells = '';
    if (p) {
      const q = cell(ppass?.rows[row]);
      if (id === 'undo') peerCells = ' n/a (no undo) | - | - |';
      else if (!q) peerCells = ' n/a | - | - |';
      else if (q.error) peerCells = ` failed: ${q.error} | - | - |`;
      else peerCells = ` ${ms(q.wall)} | ${ms(q.work)} | ${c && !c.error && q.wall > 0 ? `${(c.wall / q.wall).toFixed(2)}x` : '-'} |`;
    }
    console.log(`| ${row} | ${input} ${ours}${peerCells}`);
  }
}

function memoryTable(n, o, p) {
  console.log();
  console.log(`### ${n} servers, memory: after load, then ${edits} arrow-key moves (each an undoable edit) at 100 %`);
  console.log();
  console.log('| page | JS heap after load MB | wasm after load MB | JS heap before moves MB | wasm before moves MB | JS heap after MB | wasm after MB | heap after / load | wasm after / load | move wall ms (median) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, m] of [['ours', o], ['peer', p]]) {
    if (!m) continue;
    if (m.error) {
      console.log(`| ${name} | failed: ${m.error} |||||||||`);
      continue;
    }
    const r = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '-');
    console.log(`| ${name} | ${mb(m.load.heap)} | ${mb(m.load.wasm)} | ${mb(m.before.heap)} | ${mb(m.before.wasm)} | ${mb(m.after.heap)} | ${mb(m.after.wasm)} | ${r(m.after.heap, m.load.heap)} | ${r(m.after.wasm, m.load.wasm)} | ${ms(m.wall)} |`);
  }
  for (const [name, m] of [['ours', o], ['peer', p]]) {
    if (m?.grew?.length) console.log(`\n${name}: the wasm memory grew after move ${m.grew.map((g) => `${g.move} (to ${mb(g.wasm)} MB)`).join(', ')}`);
  }
}

// ---- the run ----------------------------------------------------------------

const ourServer = await serve(ourDist);
const peerServer = peerDist ? await serve(resolve(peerDist)) : null;
console.log(`edits probe: ours ${ourDist}${peerDist ? `, peer ${resolve(peerDist)}` : ', no peer (--peer DIR)'}; sizes ${sizes.join(', ')}; ` +
  `cameras ${cameras.join(', ')}; ${reps} repetitions; ${chosen.length} of ${actions.length} actions; ${edits} moves for memory`);
try {
  for (const n of sizes) {
    console.log(`\n## ${n} servers`);
    const run = async (what, fn) => {
      const chrome = await launch();
      try {
        return await fn(chrome.browser);
      } catch (e) {
        console.log(`  ${what} failed: ${String(e.message ?? e).split('\n')[0]}`);
        return { error: String(e.message ?? e).split('\n')[0], passes: {} };
      } finally {
        await chrome.close();
      }
    };
    const o = await run('ours', (b) => ours(b, ourServer.url, n));
    console.log(`  ours ready in ${o.ready ?? '-'} ms`);
    const p = peerServer ? await run('peer', (b) => peer(b, peerServer.url, n)) : null;
    if (p) console.log(`  peer ready in ${p.ready ?? '-'} ms`);
    let om = null;
    let pm = null;
    if (edits > 0) {
      om = await run('ours, memory', (b) => ourMemory(b, ourServer.url, n));
      pm = peerServer ? await run('peer, memory', (b) => peerMemory(b, peerServer.url, n)) : null;
    }
    for (const camera of cameras) table(n, camera, o, p);
    if (edits > 0) memoryTable(n, om, pm);
  }
} finally {
  await ourServer.close();
  await peerServer?.close();
}
