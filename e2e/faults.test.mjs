// Nothing lost under faults (issue 13): storage full, the app stopping on an
// internal error, and inputs far too large. Each keeps the user's drawing
// and says what happened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { suite, openApp, done, servers, settled } from './harness.mjs';

const server = suite();
const open = (options) => openApp(server.browser, server.url, options);
const saved = (page) => page.evaluate(() => localStorage.getItem('dpm-sketch/drawing'));

/** Deletes DS1: an edit the user would notice losing. */
async function deleteDs1(page) {
  await page.click('[data-server="DS1"] .body');
  await page.keyboard.press('Delete');
  await page.waitForSelector('[data-server="DS1"]', { state: 'detached' });
}

test('storage full: told at once, the drawing offered as a file, the next save clears the warning', async () => {
  const app = await open();
  const { page } = app;
  // The drawing as opened is saved (once it rests) before storage fills.
  await page.waitForFunction(() => localStorage.getItem('dpm-sketch/drawing'));
  await page.evaluate(() => {
    window.realSetItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await deleteDs1(page);
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /storage is full: your drawing is not being saved/);
  assert.ok((await saved(page)).includes('"DS1"'), 'storage still holds the older drawing');
  // The drawing is in the page, and downloads as it is now.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download-drawing"]')]);
  const text = await readFile(await download.path(), 'utf8');
  assert.match(text, /"format": "dpm-sketch\/1"/);
  assert.ok(!text.includes('"DS1"') && text.includes('"DS2"'), 'the download is the drawing as edited');
  assert.equal((await servers(page)).length, 7);
  // Room again: the next change saves, and the warning goes.
  await page.evaluate(() => {
    Storage.prototype.setItem = window.realSetItem;
  });
  await page.click('[data-server="DS2"] .body');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => !document.querySelector('[data-action="download-drawing"]'));
  assert.match(await notice.innerText(), /Saved again/);
  assert.ok(!(await saved(page)).includes('"DS2"'));
  await page.reload();
  await page.waitForSelector('[data-server]');
  assert.equal((await servers(page)).length, 6);
  await done(app, server.url);
});

test('an internal error never leaves a blank page: a banner offers the last saved drawing; a reload restores it', async () => {
  const app = await open();
  const { page } = app;
  await deleteDs1(page);
  await settled(page);
  assert.ok(!(await saved(page)).includes('"DS1"'), 'the delete is saved');
  // A panic in the wasm ends in a WebAssembly trap, thrown out of whatever
  // handler was running: that is what the page sees.
  await page.evaluate(() => {
    setTimeout(() => {
      throw new WebAssembly.RuntimeError('unreachable');
    });
  });
  const banner = page.getByTestId('crash');
  await banner.waitFor();
  assert.match(await banner.innerText(), /stopped on an internal error/);
  assert.equal(await banner.getAttribute('role'), 'alert');
  assert.equal((await servers(page)).length, 7, 'the drawing is still on screen');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="crash-download"]')]);
  assert.equal(await readFile(await download.path(), 'utf8'), await saved(page));
  await page.click('[data-action="crash-reload"]');
  await page.waitForSelector('[data-server="DS2"]');
  assert.equal((await servers(page)).length, 7);
  assert.equal(await page.getByTestId('crash').count(), 0);
  // The error the test threw is the only one.
  for (let i = app.errors.length - 1; i >= 0; i--) if (/unreachable/.test(app.errors[i])) app.errors.splice(i, 1);
  await done(app, server.url);
});

/** Runs `act`, then waits for `selector`; returns the seconds it took. */
async function timed(page, act, selector) {
  const t0 = Date.now();
  await act();
  await page.waitForSelector(selector);
  return (Date.now() - t0) / 1000;
}

test('inputs far too large are refused with a message, quickly, and the drawing is untouched', async () => {
  const app = await open();
  const { page } = app;
  const before = await servers(page);
  // A file of 100,000 servers.
  const big = JSON.stringify({
    format: 'dpm-sketch/1',
    servers: Array.from({ length: 100000 }, (_, i) => ({ name: `S${i}`, kind: 'protected' })),
    protections: [],
  });
  await page.click('[data-action="import"]');
  let s = await timed(
    page,
    () => page.getByTestId('import-file').setInputFiles({ name: 'estate.dpm.json', mimeType: 'application/json', buffer: Buffer.from(big) }),
    '[data-testid="import-error"]:not(:empty), [data-testid="notice"]',
  );
  const said = await page.evaluate(() =>
    [document.querySelector('[data-testid="import-error"]'), document.querySelector('[data-testid="notice"]')]
      .map((e) => e?.textContent ?? '')
      .join(' '),
  );
  assert.match(said, /100000 servers: a drawing holds at most 20000/);
  assert.ok(s < 5, `answered in ${s} s`);
  assert.deepEqual(await servers(page), before);
  await page.keyboard.press('Escape');

  // A 10 MB paste (Ctrl+V on the drawing).
  s = await timed(
    page,
    () =>
      page.evaluate(() => {
        const data = new DataTransfer();
        data.setData('text/plain', '|Server|Protecting|Protected by|\n|---|---|---|\n' + '|DS9|PS9| |\n'.repeat(800000));
        window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
      }),
    '[data-testid="notice"]:has-text("800000 rows")',
  );
  assert.match(await page.getByTestId('notice').innerText(), /The pasted text could not be imported: the table has 800000 rows; a drawing holds at most 20000 servers/);
  assert.ok(s < 5, `answered in ${s} s`);
  assert.deepEqual(await servers(page), before);
  // The page still answers.
  await page.click('[data-server="DS2"] .body');
  await page.waitForSelector('[data-server="DS2"].selected');
  await done(app, server.url);
});

test('an over-long link is refused with a message; the drawing is kept', async () => {
  const first = await open();
  const before = await servers(first.page);
  await done(first, server.url);
  for (const [hash, pattern] of [
    ['#s=' + 'A'.repeat(1_500_000), /link/i],
    ['#x=' + 'B'.repeat(1_500_000), /link/i],
  ]) {
    const app = await open({ path: hash, wait: '[data-testid="notice"]' });
    assert.match(await app.page.getByTestId('notice').innerText(), pattern);
    assert.deepEqual(await servers(app.page), before);
    await done(app, server.url);
  }
});

test('a damaged save and a failed import are each kept aside, never overwritten, and offered back', async () => {
  const damaged = '{"format": "dpm-sketch/1", "servers": [{"name": "DS1", "kind": "dp';
  const ctx = await server.browser.newContext();
  await ctx.addInitScript((text) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('dpm-sketch/drawing', text);
    }
  }, damaged);
  const page = await ctx.newPage();
  await page.goto(server.url);
  await page.waitForSelector('.notice.error');
  assert.match(await page.getByTestId('notice').innerText(), /could not be opened.*kept aside, not overwritten/s);
  const keptTexts = () =>
    page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('dpm-sketch/kept/'))
        .sort()
        .map((k) => [k.replace(/^dpm-sketch\/kept\/\d+-/, ''), localStorage.getItem(k)]),
    );
  assert.deepEqual(await keptTexts(), [['unreadable', damaged]]);
  // Editing saves the new drawing; the kept one stays as it was.
  await deleteDs1(page);
  await page.waitForFunction(() => localStorage.getItem('dpm-sketch/drawing').includes('"DS2"'));
  assert.deepEqual(await keptTexts(), [['unreadable', damaged]]);

  // A failed import: its text is kept aside too, and comes back to be fixed.
  const typo = '|Server|Protects|Protected by|\n|---|---|---|\n|DS7|PS7|-|\n';
  await page.click('[data-action="import"]');
  await page.getByTestId('import-text').fill(typo);
  await page.click('[data-action="import-text"]');
  assert.match(await page.getByTestId('import-error').innerText(), /kept aside: Import offers it back/);
  await page.click('[data-action="import-text"]');
  assert.equal((await keptTexts()).length, 2, 'the same text is kept once');
  await page.keyboard.press('Escape');
  await page.click('[data-action="import"]');
  assert.match(await page.locator('.kept').innerText(), /An import that failed/);
  assert.match(await page.locator('.kept').innerText(), /A save that could not be read/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.kept li', { hasText: 'could not be read' }).getByRole('button', { name: 'Download' }).click(),
  ]);
  assert.equal(await readFile(await download.path(), 'utf8'), damaged);
  await page.click('[data-action="kept-edit"]');
  assert.equal(await page.getByTestId('import-text').inputValue(), typo);
  await page.getByTestId('import-text').fill(typo.replace('Protects', 'Protecting'));
  await page.click('[data-action="import-text"]');
  await page.waitForSelector('[data-server="DS7"]');
  assert.deepEqual(await servers(page), ['DS7', 'PS7']);
  await ctx.close();
});
