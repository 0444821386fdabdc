// Frame-time probes on the release build (dist/), printed, never asserted:
// timings on shared 2-core machines move by a third from run to run.
//   node e2e/probes/frame-time.mjs [N] [SECONDS]      (default 1000 servers, 3 s)
// 1. drag: the server nearest the centre dragged in circles (the peer probe's
//    method), at the fitted zoom and again at 100 %; moves/s is how many
//    pointer moves the page took in, frame p50/p95 from requestAnimationFrame.
// 2. copies: the Copies view animating replication, left running.
// 3. play: a failed primary's Switch Protection playing, step by step.
import { serve, launch } from '../harness.mjs';
import * as frames from './frames.mjs';
import { installTimer, saved } from '../edit-actions.mjs';

const n = Number(process.argv[2] || 1000);
const seconds = Number(process.argv[3] || 3);
const server = await serve(process.env.DIST || undefined);
const chrome = await launch();
const page = await chrome.browser.newPage({ viewport: { width: 1280, height: 800 } });
page.on('pageerror', (e) => console.error('page error:', String(e)));
// The servers on screen, nodes or painted (window.__edits.servers).
await page.addInitScript(installTimer);

const t0 = Date.now();
await page.goto(`${server.url}#generate=${n}`);
// Large drawings draw only what is in view: ready is the first server drawn.
await page.waitForSelector('[data-server]', { timeout: 60000 });
const ready = Date.now() - t0;

const startFrames = () => frames.startFrames(page);
const stopFrames = async () => {
  const f = await frames.stopFrames(page);
  const q = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
  return `${f.count} frames, frame p50 ${q(f.p50)} ms p95 ${q(f.p95)} ms`;
};
const nearestCentre = async () => {
  await saved(page);
  return page.evaluate(() => {
    const c = document.querySelector('.canvas').getBoundingClientRect();
    const [mx, my] = [c.x + c.width / 2, c.y + c.height / 2];
    let best = null;
    let bd = Infinity;
    for (const { x, y } of window.__edits.servers()) {
      const d = (x - mx) ** 2 + (y - my) ** 2;
      if (d < bd && x > c.x && y > c.y && x < c.right && y < c.bottom) [bd, best] = [d, { x, y }];
    }
    return best;
  });
};

async function dragProbe(label) {
  const target = await nearestCentre();
  const f = await frames.dragInCircles(page, target, seconds);
  const zoom = await page.locator('.zoom-level').innerText();
  console.log(`drag (${label}, zoom ${zoom}): ${n} servers, ready in ${ready} ms, ${f.moves.toFixed(0)} moves/s, main-thread work ${f.work.toFixed(2)} ms/move, drop ${f.drop.toFixed(0)} ms, ${f.count} frames, frame p50 ${f.p50.toFixed(1)} ms p95 ${f.p95.toFixed(1)} ms`);
  await page.keyboard.press('Control+z');
}

try {
  await dragProbe('fitted');
  // 100 %: zoom in on the centre.
  for (let k = 0; k < 40; k++) {
    const z = parseFloat(await page.locator('.zoom-level').innerText());
    if (z >= 100) break;
    await page.click('[data-action="zoom-in"]');
  }
  await dragProbe('close');

  // Copies at half size, where arrows between layers are in view.
  await page.click('[data-action="fit"]');
  // The fit lands on the next frame: wait for it before zooming in.
  await page.waitForFunction(() => parseFloat(document.querySelector('.zoom-level').textContent) < 50);
  for (let k = 0; k < 40; k++) {
    const z = parseFloat(await page.locator('.zoom-level').innerText());
    if (z >= 50) break;
    await page.click('[data-action="zoom-in"]');
  }
  await page.click('[data-action="copies"]');
  await page.waitForTimeout(300);
  await startFrames();
  await page.waitForTimeout(seconds * 1000);
  const dots = await page.locator('.flow-dot').count();
  console.log(`copies view: ${n} servers, ${dots} moving dots, ${await stopFrames()}`);
  await page.click('[data-action="copies"]');

  await page.click('[data-action="simulate"]');
  // A primary: fitted, a node's caption in its aria-label says so (or,
  // painted, the saved drawing); then Find goes to it, zoomed in, so that the play is
  // measured with a screen of servers drawn, as a user would watch it.
  await page.click('[data-action="fit"]');
  await page.waitForFunction(() => parseFloat(document.querySelector('.zoom-level').textContent) < 50);
  const primary = await page.evaluate(() => {
    const a = document.querySelector('.server.dpm[aria-label*="DPM · primary"]');
    if (a) return a.getAttribute('data-server');
    // Painted zoomed out (more than 500 servers: a few nodes only), from
    // the saved drawing: a DPM server protecting one that is not.
    const d = JSON.parse(localStorage.getItem('dpm-sketch/drawing') ?? '{}');
    const kind = new Map((d.servers ?? []).map((s) => [s.name, s.kind]));
    const p = (d.protections ?? []).find((p) => kind.get(p.protector) === 'dpm' && kind.get(p.target) !== 'dpm');
    return p ? p.protector : null;
  });
  if (!primary) throw new Error('no primary DPM server drawn');
  await page.keyboard.press('/');
  await page.keyboard.type(primary);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => parseFloat(document.querySelector('.zoom-level').textContent) >= 50);
  // Enter fails the focused server, wherever it is on the drawing.
  await page.focus(`[data-server="${primary}"]`);
  await page.keyboard.press('Enter');
  await page.locator('[data-option^="switch-protection"] [data-action="play"]').first().click();
  await startFrames();
  await page.waitForTimeout(seconds * 1000);
  console.log(`play (${primary} fails, Switch Protection): ${n} servers, ${await stopFrames()}`);
} finally {
  await chrome.close();
  await server.close();
}
