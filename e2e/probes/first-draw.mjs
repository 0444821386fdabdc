// Time to the first drawn server, editor and viewer side by side, on the
// release build (dist/): printed, never asserted.
//   node e2e/probes/first-draw.mjs [N] [RUNS]     (default 1000 servers, 3 runs)
// The same N-server estate (the editor's #generate=N, taken as a share link)
// is opened in the editor (index.html#s=...) and in the viewer
// (view.html#s=...), alternately, each in a fresh browser context (an empty
// cache: a first visit). The time is performance.now() when the first
// [data-server] element enters the page, from the navigation's start.
import { serve, launch, tool } from '../harness.mjs';

const n = Number(process.argv[2] || 1000);
const runs = Number(process.argv[3] || 3);
const server = await serve(process.env.DIST || undefined);
const chrome = await launch();

const setup = await chrome.browser.newPage({ viewport: { width: 1280, height: 800 } });
await setup.goto(`${server.url}#generate=${n}`);
await setup.waitForSelector('[data-server]', { timeout: 120000 });
await tool(setup, 'share');
const share = (await setup.getByTestId('share-link').inputValue()).split('#s=')[1];
await setup.close();

async function firstDraw(path) {
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('[data-server]')) {
        window.__firstServer = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', String(e)));
  await page.goto(server.url + path);
  await page.waitForFunction(() => window.__firstServer !== undefined, null, { timeout: 120000 });
  const ms = await page.evaluate(() => window.__firstServer);
  await context.close();
  return ms;
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const editor = [];
const viewer = [];
try {
  for (let k = 0; k < runs; k++) {
    editor.push(await firstDraw(`#s=${share}`));
    viewer.push(await firstDraw(`view.html#s=${share}`));
  }
  const f = (v) => v.map((x) => x.toFixed(0)).join(', ');
  console.log(`first drawn server, ${n} servers (share link ${share.length.toLocaleString('en-US')} characters), ms from navigation:`);
  console.log(`  editor (index.html): ${f(editor)}   median ${median(editor).toFixed(0)}`);
  console.log(`  viewer (view.html):  ${f(viewer)}   median ${median(viewer).toFixed(0)}`);
  console.log(`  viewer / editor: ${(median(viewer) / median(editor)).toFixed(2)}`);
} finally {
  await chrome.close();
  await server.close();
}
