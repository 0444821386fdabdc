// Shared set-up for the end-to-end tests: a static server for dist/ on
// 127.0.0.1, Debian's Chromium driven by playwright-core, and a record of
// every request the page makes (nothing may leave 127.0.0.1).
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
export const dist = join(root, 'dist');
export const artifacts = join(root, 'e2e', 'artifacts');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serves dist/ on an ephemeral port of 127.0.0.1; resolves to { url, close }.
 * `extra` maps paths to [content type, body] for test pages. No answer
 * carries a CORS header unless `{ cors: true }`: the viewer's page needs
 * none (it loads nothing else), and neither does the editor.
 */
export async function serve(dir = dist, extra = {}, { cors = false } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (cors) res.setHeader('access-control-allow-origin', '*');
    if (extra[path]) {
      res.writeHead(200, { 'content-type': extra[path][0] });
      res.end(extra[path][1]);
      return;
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium with no background traffic. Playwright gives
 * every launch a fresh, temporary profile of its own.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = () => browser.close();
  return { browser, close };
}

/** Every URL any page of `context` asked for, to check none left 127.0.0.1. */
export function recordRequests(context) {
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** Opens the app in a new page; resolves once the drawing is there. */
export async function openApp(
  browser,
  base,
  { path = '', viewport = { width: 1280, height: 800 }, wait = '[data-server]', ...options } = {},
) {
  const context = await browser.newContext({ viewport, ...options });
  const requests = recordRequests(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(base + path);
  if (wait) await page.waitForSelector(wait);
  return { context, page, requests, errors };
}

/** Fails the test on any page error, console error or request off 127.0.0.1. */
export async function done({ context, errors, requests }, base) {
  await context.close();
  assert.deepEqual(errors, [], 'the page logged errors');
  const off = requests.filter((u) => !u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(off, [], 'requests left 127.0.0.1');
}

/** The centre of the first element matching `selector`. */
export async function center(page, selector) {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is not on screen`);
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Drags with the mouse from one point to another in `steps` moves. */
export async function drag(page, from, to, { steps = 12, whileHeld } = {}) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  if (whileHeld) await whileHeld();
  await page.mouse.up();
}

/** Draws a protection by dragging from `from`'s handle onto `to`. */
export async function connect(page, from, to, options) {
  await page.hover(`[data-server="${from}"] .body`);
  const a = await center(page, `[data-server="${from}"] .handle-dot`);
  const b = await center(page, `[data-server="${to}"] .body`);
  await drag(page, a, b, options);
}

/**
 * Resolves once no change of the drawing waits to be saved: the autosave
 * writes once the drawing rests (`data-save-pending` on the root until then).
 */
export const settled = (page) =>
  page.waitForFunction(() => !document.documentElement.hasAttribute('data-save-pending'));

export const names = (page, attr) =>
  page.$$eval(`[${attr}]`, (els, a) => els.map((e) => e.getAttribute(a)).sort(), attr);
export const servers = (page) => names(page, 'data-server');
export const protections = (page) => names(page, 'data-protection');
export const status = (page) => page.getByTestId('status').innerText();

export async function screenshot(page, name) {
  await mkdir(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * The set-up every test file shares: a server for dist/ (with `pages` as
 * extra test pages) and a browser, started before the file's tests and
 * closed after them. Read `.url` and `.browser` inside tests.
 */
export function suite(pages = {}) {
  const ctx = {};
  before(async () => {
    ctx.server = await serve(undefined, pages);
    ctx.chrome = await launch();
    ctx.url = ctx.server.url;
    ctx.browser = ctx.chrome.browser;
  });
  after(async () => {
    await ctx.chrome?.close();
    await ctx.server?.close();
  });
  return ctx;
}

/// A function that takes one screenshot of the app: a fresh context (size
/// and colour scheme), the first-visit hint dismissed, page errors printed,
/// `prepare(page)` then `fn(page)` run, the PNG written to `out/NAME.png`.
/// Used by scripts/screenshots.mjs and the probes that take pictures.
export function shooter(chrome, server, out, prepare = async () => {}) {
  return async (name, fn, { width = 1280, height = 800, scheme = 'light' } = {}) => {
    const context = await chrome.browser.newContext({ viewport: { width, height }, colorScheme: scheme });
    await context.addInitScript(() => localStorage.setItem('dpm-sketch/hint-dismissed', '1'));
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', String(e)));
    page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
    await page.goto(server.url);
    await page.waitForSelector('[data-server]');
    await prepare(page);
    await fn(page);
    await page.waitForTimeout(400);
    const path = join(out, `${name}.png`);
    await page.screenshot({ path });
    console.log(path);
    await context.close();
  };
}

/**
 * Every protection arrow that passes over a server it does not connect, as
 * drawn on screen: "A->B over C". Samples each arrow's path every 4 screen
 * pixels and tests each sample against every other server's box (2 pixels
 * smaller: grazing is not passing over).
 */
export const arrowsOverServers = (page) =>
  page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.canvas [data-server]')].map((g) => {
      const r = g.querySelector('.body').getBoundingClientRect();
      return { name: g.getAttribute('data-server'), r };
    });
    const out = [];
    for (const g of document.querySelectorAll('.canvas [data-protection]')) {
      const [from, to] = g.getAttribute('data-protection').split('->');
      const path = g.querySelector('path.protection');
      const m = path.getScreenCTM();
      const len = path.getTotalLength();
      const scale = Math.hypot(m.a, m.b) || 1;
      const step = Math.max(1, 4 / scale);
      for (const { name, r } of boxes) {
        if (name === from || name === to) continue;
        for (let s = 0; s <= len; s += step) {
          const p = path.getPointAtLength(s).matrixTransform(m);
          if (p.x > r.left + 2 && p.x < r.right - 2 && p.y > r.top + 2 && p.y < r.bottom - 2) {
            out.push(`${from}->${to} over ${name}`);
            break;
          }
        }
      }
    }
    return out.sort();
  });

/**
 * Waits until the toolbar has finished arranging itself: it moves one item
 * under "More" per animation frame after a load or a resize, so this waits
 * for three frames in a row with the same items there (2 s at most).
 */
export const settleToolbar = (page) =>
  page.evaluate(
    () =>
      new Promise((ok) => {
        const start = performance.now();
        let last = '';
        let same = 0;
        const tick = () => {
          const now = [...document.querySelectorAll('#more-menu [data-action]')].map((e) => e.dataset.action).join();
          same = now === last ? same + 1 : 0;
          last = now;
          if (same >= 3 || performance.now() - start > 2000) ok();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );

/**
 * Clicks a toolbar command by its data-action, opening "More" first when
 * the toolbar had no room for it (src/shell/toolbar.rs).
 */
export async function tool(page, action) {
  await settleToolbar(page);
  const item = page.locator(`.toolbar [data-action="${action}"]`);
  const inMore = await item.evaluate((e) => !!e.closest('#more-menu'));
  if (inMore && !(await page.locator('#more-menu').isVisible())) await page.getByTestId('more').click();
  await item.click();
}

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Runs axe on `frame` (a page or a frame); fails naming each violation. */
export async function axe(frame, state) {
  // The page's CSP does not apply to what the test evaluates.
  await frame.evaluate(axeSource);
  const violations = await frame.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}`),
    }));
  }, TAGS);
  const text = violations.map((v) => `${v.id} (${v.help})\n    ${v.nodes.join('\n    ')}`).join('\n  ');
  assert.equal(violations.length, 0, `${state}: axe found\n  ${text}`);
}
