// The documentation viewer (issue 23): its own page, view.html, that loads
// nothing else. In a frame sandboxed to allow-scripts on a host that sends
// no CORS header; as the self-contained page of `dpm-check export --to
// html` and of the Embed dialog, opened from file://; drawn exactly as the
// editor's SVG export draws it; and old #view&s= links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, launch, openApp, done, screenshot, tool, axe, dist } from './harness.mjs';

const root = join(import.meta.dirname, '..');
const pages = {};
let host;
let chrome;
before(async () => {
  // A host that sends no CORS header on any answer.
  host = await serve(dist, pages, { cors: false });
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  await host?.close();
});

/** A documentation page holding `iframe`, light or dark. */
const docsPage = (iframe, dark) => [
  'text/html; charset=utf-8',
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Backup design</title><link rel="icon" href="data:,">
   <style>body{font:16px/1.5 system-ui,sans-serif;margin:24px 32px;${dark ? 'background:#0d1117;color:#e6edf3' : 'background:#fff;color:#1f2328'}}</style></head>
   <body><main><h1>Our backup design</h1><p>DPM1 and DPM2 protect the servers; DPM3 protects both of them.</p>${iframe}</main></body></html>`,
];

/** `dpm-check ARGS...` (files relative to the project), built with this build's viewer. */
function dpmCheck(...args) {
  return execFileSync('cargo', ['run', '-q', '-p', 'dpm-check', '--', ...args.map((a) => (a.startsWith('scenarios/') ? join(root, a) : a))], {
    cwd: root,
    env: { ...process.env, DPM_VIEWER_PAGE: join(dist, 'view.html') },
    maxBuffer: 64 << 20,
  }).toString();
}

/** `dpm-check export FILE --to html ...`, as a docs pipeline runs it. */
const exportHtml = (file, ...args) => dpmCheck('export', file, '--to', 'html', ...args);

/** Where each server is and how each protection is drawn, in a page's SVG. */
const drawingOf = (frame) =>
  frame.evaluate(() => ({
    servers: [...document.querySelectorAll('svg [data-server]')].map((e) => `${e.getAttribute('data-server')} ${e.getAttribute('transform')}`).sort(),
    protections: [...document.querySelectorAll('svg [data-protection]')].map((e) => `${e.getAttribute('data-protection')} ${e.getAttribute('d')}`).sort(),
  }));

for (const dark of [false, true]) {
  test(`the viewer in a sandboxed frame of a ${dark ? 'dark' : 'light'} docs page, on a host without CORS: draws, fails a server by click and by Enter, reads the options`, async () => {
    const app = await openApp(chrome.browser, host.url);
    const { page } = app;
    await page.selectOption('[data-action="preset"]', 'moving');
    await tool(page, 'embed');
    if (dark) await page.check('[data-action="embed-theme-dark"]');
    const code = await page.getByTestId('embed-code').inputValue();
    assert.match(code, /sandbox="allow-scripts/);
    assert.match(code, dark ? /theme=dark/ : /theme=light/);
    const src = code.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    assert.match(src, /\/view\.html#s=/, 'the snippet frames the viewer, not the editor');
    const name = dark ? '/docs-dark.html' : '/docs-light.html';
    // The strictest frame: scripts only.
    pages[name] = docsPage(`<iframe id="viewer" src="${src}" sandbox="allow-scripts" width="860" height="500" title="DPM scenario"></iframe>`, dark);
    app.requests.length = 0;
    await page.goto(host.url + name.slice(1));
    const frame = page.frameLocator('#viewer');
    await frame.locator('[data-server="DPM1"]').waitFor();
    assert.equal(await frame.locator('[data-server]').count(), 5);
    assert.equal(await frame.getByTestId('status').innerText(), 'Valid');
    assert.equal(await frame.locator('html').getAttribute('data-theme'), dark ? 'dark' : 'light');
    // The page loaded itself and nothing else.
    const loaded = app.requests.filter((u) => !u.endsWith(name) && !u.startsWith('data:'));
    assert.deepEqual(loaded.map((u) => new URL(u).pathname), ['/view.html'], 'the frame loads view.html alone');
    // No editing chrome.
    assert.equal(await frame.locator('.palette, [data-action="undo"], .handle, [data-action="apply"]').count(), 0);
    await screenshot(page, `viewer-docs-${dark ? 'dark' : 'light'}`);
    // Reading, a click on a server asks "what if it fails?": simulating, with it failed.
    await frame.locator('[data-server="DPM1"] .body').click();
    assert.equal(await frame.locator('[data-action="simulate"]').getAttribute('aria-pressed'), 'true');
    const option = frame.locator('[data-option="switch-protection DPM3"]');
    await option.waitFor();
    assert.match(await option.innerText(), /Switch Protection on DPM3\s*Supported/i);
    assert.ok((await option.locator('.vw-message').innerText()).length > 20, 'the option gives its reason');
    assert.match(await frame.locator('[data-server="DPM1"]').getAttribute('class'), /failed/);
    await screenshot(page, `viewer-docs-${dark ? 'dark' : 'light'}-failed`);
    // Restore all brings every server back and gives focus to the toggle.
    await frame.locator('[data-action="reset"]').click();
    assert.equal(await frame.locator('[data-action="simulate"]').evaluate((e) => e === document.activeElement), true);
    assert.equal(await frame.locator('.vw-failed').count(), 0);
    // By keyboard: the drawing is one tab stop; arrow keys choose a server, Enter fails it.
    await frame.locator('[data-server="DPM3"]').focus();
    await page.keyboard.press('ArrowRight');
    const next = await frame.locator('[data-id][tabindex="0"]').getAttribute('data-server');
    assert.notEqual(next, 'DPM3', 'the arrow key moved to another server');
    assert.equal(await frame.locator('[data-id][tabindex="0"]').count(), 1, 'one tab stop');
    await frame.locator('[data-server="DPM2"]').focus();
    await page.keyboard.press('Enter');
    await frame.locator('.vw-failed').waitFor();
    assert.match(await frame.locator('.vw-failed').innerText(), /Failed: DPM2\./);
    assert.equal(await frame.locator('[data-server="DPM2"]').evaluate((e) => e === document.activeElement), true);
    assert.equal(await frame.locator('[data-server="DPM2"]').getAttribute('aria-pressed'), 'true');
    assert.ok((await frame.locator('[data-option]').count()) > 0);
    // Escape stops simulating: the findings are back.
    await page.keyboard.press('Escape');
    await frame.locator('.vw-side h2', { hasText: 'Findings' }).waitFor();
    assert.match(await frame.locator('[data-action="open-editor"]').getAttribute('href'), /\/#s=/);
    // Sandboxed without allow-popups, "Open in the editor" cannot open a tab: it gives the address instead.
    await frame.locator('[data-action="open-editor"]').click();
    const address = frame.locator('.vw-blocked input');
    await address.waitFor();
    assert.equal(await address.inputValue(), await frame.locator('[data-action="open-editor"]').getAttribute('href'));
    // Chromium's own report of the refused tab is expected; nothing else may be logged.
    const refused = app.errors.filter((e) => /^Blocked opening .* 'allow-popups' permission is not set/.test(e));
    assert.equal(refused.length, 1);
    app.errors.splice(0, app.errors.length, ...app.errors.filter((e) => !refused.includes(e)));
    await done(app, host.url);
  });
}

test('the viewer is axe clean, reading and simulating, light and dark', async () => {
  const share = dpmCheck('export', 'scenarios/scenario-1.dpm.json', '--to', 'link').trim();
  for (const theme of ['light', 'dark']) {
    const app = await openApp(chrome.browser, host.url, { path: `view.html${share}&theme=${theme}` });
    const { page } = app;
    await axe(page, `viewer (${theme})`);
    await page.click('[data-action="simulate"]');
    await page.click('[data-server="DS1"] .body');
    await page.waitForSelector('[data-option]');
    await axe(page, `viewer simulating (${theme})`);
    await done(app, host.url);
  }
});

test('the self-contained page of dpm-check export --to html works from file:// and in a sandboxed frame', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dpm-page-'));
  const file = join(dir, 'scenario-3.html');
  const html = exportHtml('scenarios/scenario-3.dpm.json', '--theme', 'dark');
  await writeFile(file, html);
  assert.match(html, /Content-Security-Policy/);
  assert.doesNotMatch(html, /<(script|link)[^>]+(src|href)="(?!data:)/, 'the page names no other file');
  const context = await chrome.browser.newContext({ viewport: { width: 1000, height: 560 } });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('[data-server="DS1"]');
  assert.equal(await page.title(), 'Scenario 3: Cyclic protection');
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  assert.equal(await page.locator('[data-action="open-editor"]').count(), 0, 'no editor address was given');
  await page.click('[data-action="simulate"]');
  await page.click('[data-server="DS1"] .body');
  await page.waitForSelector('[data-option]');
  await screenshot(page, 'viewer-self-contained-file');
  await axe(page, 'self-contained page');
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), [], 'nothing requested off the file');
  assert.deepEqual(errors, []);
  await context.close();

  // The same file on a host without CORS, in a frame that allows scripts alone.
  pages['/self-contained.html'] = ['text/html; charset=utf-8', html];
  pages['/docs-self.html'] = docsPage('<iframe id="viewer" src="self-contained.html" sandbox="allow-scripts" width="860" height="500" title="DPM scenario"></iframe>', false);
  const app = await openApp(chrome.browser, host.url, { path: 'docs-self.html', wait: null });
  const frame = app.page.frameLocator('#viewer');
  await frame.locator('[data-server="DS1"]').waitFor();
  await frame.locator('[data-action="simulate"]').click();
  await frame.locator('[data-server="DS2"] .body').click();
  await frame.locator('[data-option]').first().waitFor();
  await done(app, host.url);
});

test('the Embed dialog downloads the self-contained page: it opens from disk and links back to the editor', async () => {
  const app = await openApp(chrome.browser, host.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-2');
  await tool(page, 'embed');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download-page"]')]);
  assert.equal(download.suggestedFilename(), 'scenario-2-chained-protection.html');
  const html = await readFile(await download.path(), 'utf8');
  assert.match(await page.getByTestId('notice').innerText(), /Downloaded scenario-2-chained-protection\.html/);
  const dir = await mkdtemp(join(tmpdir(), 'dpm-page-'));
  const file = join(dir, 'page.html');
  await writeFile(file, html);
  const other = await chrome.browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(pathToFileURL(file).href);
  await p2.waitForSelector('[data-server="DS1"]');
  const back = await p2.locator('[data-action="open-editor"]').getAttribute('href');
  assert.ok(back.startsWith(`${host.url}#s=`), back);
  // The link opens the same drawing in an editor that had none.
  const fresh = await chrome.browser.newContext();
  const editor = await fresh.newPage();
  await editor.goto(back);
  await editor.waitForSelector('[data-server="DS1"]');
  assert.equal(await editor.getByTestId('scenario-title').innerText(), 'Scenario 2: Chained protection');
  assert.equal(await p2.locator('.vw-title').innerText(), 'Scenario 2: Chained protection');
  assert.deepEqual(
    (await editor.locator('[data-server]').evaluateAll((all) => all.map((e) => e.getAttribute('data-server')))).sort(),
    (await p2.locator('[data-server]').evaluateAll((all) => all.map((e) => e.getAttribute('data-server')))).sort(),
  );
  await fresh.close();
  await other.close();
  await done(app, host.url);
});

test('the viewer and the editor agree on the drawing of the four presets (the same SVG routine)', async () => {
  const app = await openApp(chrome.browser, host.url);
  const { page } = app;
  const viewer = await app.context.newPage();
  // Parsed in a page of its own: the editor's CSP would refuse the SVG's style element.
  const blank = await app.context.newPage();
  for (const preset of ['scenario-1', 'scenario-2', 'scenario-3', 'moving']) {
    await page.selectOption('[data-action="preset"]', preset);
    await page.click('[data-action="export"]');
    await page.click('[data-format="svg"]');
    const svg = await page.getByTestId('export-text').inputValue();
    await page.keyboard.press('Escape');
    const exported = await blank.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        servers: [...doc.querySelectorAll('[data-server]')].map((e) => `${e.getAttribute('data-server')} ${e.getAttribute('transform')}`).sort(),
        protections: [...doc.querySelectorAll('[data-protection]')].map((e) => `${e.getAttribute('data-protection')} ${e.getAttribute('d')}`).sort(),
      };
    }, svg);
    await tool(page, 'share');
    const link = await page.getByTestId('share-link').inputValue();
    await page.keyboard.press('Escape');
    await viewer.goto('about:blank');
    await viewer.goto(`${host.url}view.html#s=${link.split('#s=')[1]}`);
    await viewer.waitForSelector('[data-server]');
    const shown = await drawingOf(viewer);
    assert.ok(exported.servers.length > 0 && exported.protections.length > 0, preset);
    assert.deepEqual(shown, exported, `${preset}: the viewer draws what the editor exports`);
  }
  await done(app, host.url);
});

test('a host that declares another charset than UTF-8 gets a clear message, not a broken page', async () => {
  const page = await readFile(join(dist, 'view.html'));
  pages['/latin1.html'] = ['text/html; charset=iso-8859-1', page];
  const context = await chrome.browser.newContext();
  const p = await context.newPage();
  await p.goto(`${host.url}latin1.html#s=AQEe`);
  await p.waitForSelector('[role="alert"]');
  assert.match(await p.locator('[role="alert"]').innerText(), /must be served as UTF-8; its server declared windows-1252/);
  await context.close();
});

test('an old embed snippet (#view&s=) in a sandboxed frame on a host without CORS shows the scenario', async () => {
  const share = dpmCheck('export', 'scenarios/scenario-1.dpm.json', '--to', 'link').trim();
  pages['/docs-old.html'] = docsPage(
    `<iframe id="viewer" src="${host.url}#view&${share.slice(1)}" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" width="800" height="480" title="DPM scenario"></iframe>`,
    false,
  );
  const app = await openApp(chrome.browser, host.url, { path: 'docs-old.html', wait: null });
  const frame = app.page.frameLocator('#viewer');
  await frame.locator('[data-server="DS4"]').waitFor();
  assert.equal(await frame.locator('[data-server]').count(), 8);
  await done(app, host.url);
});

test('an old embed link (#view&s=) opens the scenario in the viewer; a broken one says why', async () => {
  const share = dpmCheck('export', 'scenarios/scenario-1.dpm.json', '--to', 'link').trim();
  const app = await openApp(chrome.browser, host.url, { path: `#view&${share.slice(1)}`, wait: null });
  const { page } = app;
  await page.waitForSelector('[data-server="DS4"]');
  assert.match(page.url(), /\/view\.html#s=/);
  assert.equal(await page.locator('[data-server]').count(), 8);
  // Another scenario in the address: the page starts again with it.
  await page.goto(`${host.url}view.html#s=AQEe-broken`);
  await page.waitForSelector('[role="alert"]');
  assert.match(await page.locator('[role="alert"]').innerText(), /cannot be shown/);
  await page.goto(`${host.url}view.html`);
  await page.waitForSelector('[role="alert"]');
  assert.match(await page.locator('[role="alert"]').innerText(), /holds no scenario/);
  await done(app, host.url);
});
