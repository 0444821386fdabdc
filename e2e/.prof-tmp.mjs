// temp profiler (not committed): node e2e/.prof-tmp.mjs DIST N camera action [reps]
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { serve, launch } from '/work/main/e2e/harness.mjs';
import { installTimer, actions, pickTargets, canvasBox, CHECK_MS } from '/work/main/e2e/edit-actions.mjs';
const [distArg, nArg, camera = 'fitted', actionId = 'move', repsArg = '2', filter = ''] = process.argv.slice(2);
const dist = resolve(distArg); const n = Number(nArg); const reps = Number(repsArg);
const server = await serve(dist);
const { browser } = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await context.addInitScript(installTimer);
await context.addInitScript(() => localStorage.setItem('dpm-sketch/hint-dismissed', '1'));
const page = await context.newPage();
page.on('pageerror', (e) => console.error('page error', String(e).split('\n')[0]));
const cdp = await context.newCDPSession(page);
await page.goto(`${server.url ?? server.base ?? server}#generate=${n}`);
await page.waitForSelector('[data-server]', { timeout: 300000 });
await page.waitForTimeout(3000);
const zoomLevel = () => page.evaluate(() => parseInt(document.querySelector('.zoom-level')?.textContent ?? '', 10));
const t = await pickTargets(page);
if (camera === '100') {
  await page.keyboard.press('Escape'); await page.keyboard.press('/');
  await page.getByTestId('find').locator('input').waitFor();
  await page.keyboard.type(t.dpm); await page.keyboard.press('Enter');
  await page.waitForTimeout(1000);
  await page.keyboard.press('Escape'); await page.keyboard.press('Escape');
  const box = await canvasBox(page); await page.mouse.move(box.cx, box.cy);
  let gain = 0.0015;
  for (let i = 0; i < 8; i++) { const k = (await zoomLevel()) / 100; if (Math.abs(k - 1) < 0.005) break; const dy = Math.log(k) / gain; await page.mouse.wheel(0, dy); await page.waitForTimeout(800); const k2 = (await zoomLevel()) / 100; if (k2 !== k && Math.abs(dy) > 1) gain = Math.log(k / k2) / dy || gain; }
}
const s = { page, cdp, t: camera === "100" ? await pickTargets(page) : t };
s.far = await page.evaluate(() => document.querySelector('svg.canvas').classList.contains('far'));
console.log('zoom', await zoomLevel(), 'far', s.far);
console.log(await page.evaluate(() => ['.table-panel', '.findings-panel', '.properties-panel', 'aside'].map((q) => { const e = document.querySelector(q); const r = e?.getBoundingClientRect(); return q + ' ' + (r ? [r.top, r.height].map(Math.round).join(',') : 'none'); }).join(' | ')));
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
const ids = actionId.split(',');
process.on('unhandledRejection', async (e) => { console.log('ERR', String(e)); console.log(await page.evaluate(() => [document.activeElement?.outerHTML.slice(0, 300), document.hasFocus()])); await page.screenshot({ path: '/tmp/prof/fail.png' }); process.exit(1); });
for (const id of ids.slice(0, -1)) for (const st of actions.find((a) => a.id === id).steps) { await st.do(s); if (st.check) await st.check(s); if (st.always) await st.always(s); }
const action = actions.find((a) => a.id === ids[ids.length - 1]);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
const agg = {};
for (let r = 0; r < reps; r++) {
  for (const st of action.steps) {
    if (st.row && (!filter || st.row.includes(filter))) {
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(ok, { timeout: 5000 })))));
      await page.evaluate(() => window.__edits.arm());
      let profile;
      if (process.env.TRACE) {
        const events = [];
        cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
        const done = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
        await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' });
        await st.do(s);
        await page.evaluate(() => window.__edits.wait());
        await cdp.send('Tracing.end'); await done;
        const main = events.filter((e) => e.name === 'TracingStartedInBrowser' || e.name === 'SetLayerTreeId');
        const evs = events.filter((e) => e.ph === 'X' && e.dur > 700).sort((a, b) => a.ts - b.ts);
        const t0 = evs[0]?.ts ?? 0;
        for (const e of evs) console.log(((e.ts - t0) / 1000).toFixed(1).padStart(7), (e.dur / 1000).toFixed(1).padStart(6), e.tid, e.name, JSON.stringify(e.args?.data ?? e.args?.beginData ?? e.args ?? {}).slice(0, 200), e.args?.endData ? JSON.stringify(e.args.endData).slice(0, 150) : '');
        profile = { nodes: [], samples: [], timeDeltas: [] };
      } else {
      await cdp.send('Profiler.start');
      await st.do(s);
      await page.evaluate(() => window.__edits.wait());
      ({ profile } = await cdp.send('Profiler.stop'));
      }
      const w = {};
      if (st.check) await st.check(s);
      if (st.always) await st.always(s);
      if (process.env.DOMSTAT) console.log(st.row, await page.evaluate(() => { const c = {}; for (const e of document.querySelectorAll('aside *, .sim-panel *')) c[e.tagName] = (c[e.tagName] ?? 0) + 1; return JSON.stringify(c) + ' aside html ' + (document.querySelector('aside')?.innerHTML.length); }));
      (agg[st.row] ??= []).push({ profile, wall: w.wall });
    } else {
      try { await st.do(s); if (st.check) await st.check(s); if (st.always) await st.always(s); } catch (e) { if (String(e).includes('focus on the DPM')) { await page.locator(`[data-server="${s.t.dpm}"]`).focus(); continue; } console.log('ERR', String(e)); console.log(await page.evaluate(() => [document.activeElement?.outerHTML.slice(0, 300), document.hasFocus()])); await page.screenshot({ path: '/tmp/prof/fail.png' }); process.exit(1); }
    }
  }
}
for (const [row, list] of Object.entries(agg)) {
  const self = {}, incl = {}; let total = 0;
  for (const { profile } of list) {
    const byId = new Map(profile.nodes.map((x) => [x.id, x]));
    const parent = new Map();
    for (const x of profile.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
    const name = (x) => { const f = x.callFrame; return f.functionName ? `${f.functionName.slice(0, 110)}` : `(anon ${f.url.split('/').pop()}:${f.lineNumber})`; };
    profile.samples.forEach((id, i) => {
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      const x = byId.get(id); const nm = name(x);
      if (nm === '(idle)' || nm === '(program)') { self[nm] = (self[nm] ?? 0) + dt; return; }
      total += dt; self[nm] = (self[nm] ?? 0) + dt;
      const seen = new Set(); let cur = id;
      while (cur !== undefined) { const nn = name(byId.get(cur)); if (!seen.has(nn)) { seen.add(nn); incl[nn] = (incl[nn] ?? 0) + dt; } cur = parent.get(cur); }
    });
  }
  const k = list.length;
  console.log(`\n== ${row}: walls ${list.map((l) => l.wall?.toFixed(0)).join(', ')}; busy ${(total / k).toFixed(1)} ms/rep`);
  console.log('-- self');
  for (const [nm, v] of Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / k).toFixed(2).padStart(8)}  ${nm}`);
  console.log('-- inclusive');
  for (const [nm, v] of Object.entries(incl).sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`${(v / k).toFixed(2).padStart(8)}  ${nm}`);
  writeFileSync(`/tmp/prof/last.json`, JSON.stringify(list[list.length - 1].profile));
}
await browser.close(); server.close?.();
process.exit(0);
