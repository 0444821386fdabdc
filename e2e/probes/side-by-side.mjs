// The drag probe on two built pages in one run, printed side by side with
// ratios; never asserted (timings on shared 2-core machines move by a third
// from one run to the next, so only figures of one run compare).
//
//   node e2e/probes/side-by-side.mjs PEER_DIST PEER_SELECTOR [SIZES] [SECONDS]
//
// Ours is dist/ opened at `#generate=N`; the peer is PEER_DIST opened at
// `?n=N` (as the React Flow page of the peers folder reads it), its servers
// matched by PEER_SELECTOR. SIZES defaults to 1000,5000,10000. For each size
// the two pages run one after the other, ours first, in fresh browsers.
//
// The probe is the peer folder's method, so the figures mean the same on
// both pages: time from navigation until a server is drawn; then the
// server nearest the centre of the view is dragged in circles for SECONDS
// (default 3): moves/s is how many pointer moves the page took in, frame
// p50/p95 come from requestAnimationFrame during the drag.
import { resolve } from 'node:path';
import { serve, launch, dist } from '../harness.mjs';
import { dragInCircles } from './frames.mjs';

const [peerDist, peerSelector, sizesArg, secondsArg] = process.argv.slice(2);
if (!peerDist || !peerSelector) {
  console.error('usage: side-by-side.mjs PEER_DIST PEER_SELECTOR [SIZES] [SECONDS]');
  process.exit(2);
}
const sizes = (sizesArg || '1000,5000,10000').split(',').map(Number);
const seconds = Number(secondsArg || 3);

/** Load, then drag; resolves to the figures of one page. */
async function probe(dir, path, selector) {
  const server = await serve(resolve(dir));
  const chrome = await launch();
  try {
    const page = await chrome.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const t0 = Date.now();
    await page.goto(server.url + path);
    await page.waitForSelector(selector, { timeout: 180000 });
    const ready = Date.now() - t0;
    const target = await page.evaluate((sel) => {
      let best = null;
      let bd = Infinity;
      for (const el of document.querySelectorAll(sel)) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue;
        const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
        const d = (x - 640) ** 2 + (y - 400) ** 2;
        if (d < bd && x > 0 && y > 0 && x < 1280 && y < 800) [bd, best] = [d, { x, y }];
      }
      return best;
    }, selector);
    if (!target) return { ready, error: `no visible ${selector}` };
    const { moves, p50, p95 } = await dragInCircles(page, target, seconds);
    return { ready, moves, p50, p95 };
  } finally {
    await chrome.close();
    await server.close();
  }
}

const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-');
const rows = [];
for (const n of sizes) {
  const ours = await probe(dist, `#generate=${n}`, '[data-server]');
  const peer = await probe(peerDist, `?n=${n}`, peerSelector);
  rows.push({ n, ours, peer });
  console.log(
    `${n} servers: ours ${fmt(ours.moves, 0)} moves/s, p50 ${fmt(ours.p50)} ms, p95 ${fmt(ours.p95)} ms, ready ${ours.ready} ms` +
      ` | peer ${fmt(peer.moves, 0)} moves/s, p50 ${fmt(peer.p50)} ms, p95 ${fmt(peer.p95)} ms, ready ${peer.ready} ms` +
      (ours.error || peer.error ? ` (${ours.error ?? ''} ${peer.error ?? ''})` : ''),
  );
}
console.log();
console.log('| servers | page | moves/s | frame p50 ms | frame p95 ms | ready ms |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const { n, ours, peer } of rows) {
  console.log(`| ${n} | ours | ${fmt(ours.moves, 0)} | ${fmt(ours.p50)} | ${fmt(ours.p95)} | ${ours.ready} |`);
  console.log(`| ${n} | peer | ${fmt(peer.moves, 0)} | ${fmt(peer.p50)} | ${fmt(peer.p95)} | ${peer.ready} |`);
  console.log(
    `| ${n} | ours / peer | ${ratio(ours.moves, peer.moves)} | ${ratio(ours.p50, peer.p50)} | ${ratio(ours.p95, peer.p95)} | ${ratio(ours.ready, peer.ready)} |`,
  );
}
