// Share, embed and exchange (issue 6): export and import in every form,
// the seeds' table pasted in, share links, bad input that changes nothing,
// hostile names as text (the documentation viewer: viewer.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, openApp, done, screenshot, center, servers, protections, status, tool } from './harness.mjs';

const root = join(import.meta.dirname, '..');
// Scenario 2 as the documentation's page renders it: a heading, a
// sentence, an HTML table with plain parentheses and a dash.
const DOCS_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>DPM chaining</title></head><body>
<h3 id="s2">Scenario 2: Chained protection</h3>
<p>Scenario 2 shows a scenario in which four DPM servers are chained:</p>
<table id="t2"><thead><tr><th>Server</th><th>Protecting</th><th>Protected by</th></tr></thead><tbody>
<tr><td>DS1 (primary)</td><td>PS1, PS2</td><td>DS2</td></tr>
<tr><td>DS2 (primary)</td><td>PS3</td><td>DS3</td></tr>
<tr><td>DS2 (secondary)</td><td>DS1</td><td>DS3</td></tr>
<tr><td>DS3 (primary)</td><td>PS4</td><td>DS4</td></tr>
<tr><td>DS3 (secondary)</td><td>DS2</td><td>DS4</td></tr>
<tr><td>DS4</td><td>DS3</td><td>-</td></tr>
</tbody></table><p>In this scenario, DS4 protects DS3.</p></body></html>`;
const pages = { '/docs-table.html': ['text/html; charset=utf-8', DOCS_PAGE] };
const server = suite(pages);

const SEED_TABLE = `|Server|Protecting|Protected by|
|----------|--------------|----------------|
|DS1 \\(primary\\)|PS1, PS2|DS3|
|DS2 \\(primary\\)|PS3, PS4|DS3|
|DS3 \\(secondary\\)|DS1, DS2|DS4|
|DS4 \\(secondary\\)|DS3|\\-|
`;

async function importText(page, text) {
  await page.click('[data-action="import"]');
  await page.getByTestId('import-text').fill(text);
  await page.click('[data-action="import-text"]');
}

test('export JSON, import it: the same drawing', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-3');
  await page.waitForSelector('[data-server="DS3"]', { state: 'attached' });
  const before = { s: await servers(page), p: await protections(page) };
  await page.click('[data-action="export"]');
  const json = await page.getByTestId('export-text').inputValue();
  assert.match(json, /"format": "dpm-sketch\/1"/);
  // The download is the same text, named after the scenario.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download"]')]);
  assert.match(download.suggestedFilename(), /^scenario-3-cyclic-protection\.dpm\.json$/);
  // Every text form is there.
  for (const [form, pattern] of [['table', /\|Server\|Protecting\|Protected by\|/], ['mermaid', /flowchart/], ['dot', /digraph/], ['svg', /<svg/]]) {
    await page.click(`[data-format="${form}"]`);
    assert.match(await page.getByTestId('export-text').inputValue(), pattern, form);
  }
  // PNG: the same drawing as a picture at twice its size.
  await page.click('[data-format="png"]');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download"]')]);
  assert.equal(png.suggestedFilename(), 'scenario-3-cyclic-protection.png');
  const bytes = await readFile(await png.path());
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  assert.ok(bytes.readUInt32BE(16) > 800, `${bytes.readUInt32BE(16)} px wide`);
  await page.keyboard.press('Escape');
  await page.click('[data-action="new"]');
  await page.click('[data-action="confirm-new"]');
  assert.deepEqual(await servers(page), []);
  await importText(page, json);
  assert.deepEqual({ s: await servers(page), p: await protections(page) }, before);
  assert.equal(await page.locator('[role="dialog"]').count(), 0);
  await done(app, server.url);
});

test('paste Scenario 1 table from the seed: eight servers appear', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.click('[data-action="new"]');
  await page.click('[data-action="confirm-new"]');
  await importText(page, SEED_TABLE);
  assert.deepEqual(await servers(page), ['DS1', 'DS2', 'DS3', 'DS4', 'PS1', 'PS2', 'PS3', 'PS4']);
  assert.equal((await protections(page)).length, 7);
  assert.equal(await status(page), 'Valid');
  // Laid out: DS4 above DS3 above DS1 above PS1.
  const y = async (n) => (await center(page, `[data-server="${n}"] .body`)).y;
  assert.ok((await y('DS4')) < (await y('DS3')) && (await y('DS3')) < (await y('DS1')) && (await y('DS1')) < (await y('PS1')));
  // Undo brings back what was there before the import.
  await page.keyboard.press('Control+z');
  assert.deepEqual(await servers(page), []);
  await done(app, server.url);
});

test('a table pasted with Ctrl+V opens the import with it', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, SEED_TABLE.replace('PS4', 'PS9'));
  assert.match(await page.getByTestId('import-text').inputValue(), /PS9/);
  await page.click('[data-action="import-text"]');
  assert.ok((await servers(page)).includes('PS9'));
  // A sentence, not "Imported The pasted text".
  assert.match(await page.getByTestId('notice').innerText(), /^Imported the pasted text: 8 servers\./);
  await done(app, server.url);
});

test('the table copied from the rendered documentation page (tab-separated) pastes in as Scenario 2; CSV imports too', async () => {
  const app = await openApp(server.browser, server.url, { permissions: ['clipboard-read', 'clipboard-write'] });
  const { page, context } = app;
  // Select the heading down to the end of the table on the page, and copy.
  const docs = await context.newPage();
  await docs.goto(server.url + 'docs-table.html');
  await docs.evaluate(() => {
    const r = document.createRange();
    r.setStartBefore(document.getElementById('s2'));
    r.setEndAfter(document.getElementById('t2'));
    getSelection().removeAllRanges();
    getSelection().addRange(r);
  });
  await docs.keyboard.press('Control+c');
  const copied = await docs.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /Server\tProtecting\tProtected by/, 'the browser copies a table as tab-separated text');
  await docs.close();
  // Paste it into the app: the import opens with it, and reads it.
  await page.bringToFront();
  await page.locator('.canvas').click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+v');
  assert.equal(await page.getByTestId('import-text').inputValue(), copied);
  await page.click('[data-action="import-text"]');
  assert.deepEqual(await servers(page), ['DS1', 'DS2', 'DS3', 'DS4', 'PS1', 'PS2', 'PS3', 'PS4']);
  assert.deepEqual((await protections(page)).sort(), ['DS1->PS1', 'DS1->PS2', 'DS2->DS1', 'DS2->PS3', 'DS3->DS2', 'DS3->PS4', 'DS4->DS3']);
  assert.equal(await page.getByTestId('scenario-title').innerText(), 'Scenario 2: Chained protection');
  assert.equal(await status(page), 'Valid');
  await screenshot(page, 'import-tsv-from-docs');

  // As a spreadsheet saves CSV: a byte-order mark, CRLF, quoted lists.
  await importText(page, '\ufeffServer,Protecting,Protected by\r\nDS1 (primary),"PS1, PS2",DS9\r\nDS9 (secondary),DS1,-\r\n\r\n');
  assert.deepEqual(await servers(page), ['DS1', 'DS9', 'PS1', 'PS2']);
  assert.ok((await protections(page)).includes('DS9->DS1'));
  // A broken one says where, and changes nothing.
  await importText(page, 'Server,Protecting,Protected by\nDS1,"PS1, PS2,DS3\nDS2,PS3,DS3\n');
  assert.match(await page.getByTestId('import-error').innerText(), /line 2, column 5: a cell opens with a double quote here and never closes it/);
  await screenshot(page, 'import-csv-error');
  await page.keyboard.press('Escape');
  assert.deepEqual(await servers(page), ['DS1', 'DS9', 'PS1', 'PS2']);
  await done(app, server.url);
});

test('a share link opened in a new page gives the same drawing, and keeps the work there', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-2');
  await page.waitForSelector('[data-protection="DS2->DS1"]', { state: 'attached' });
  const before = { s: await servers(page), p: await protections(page) };
  await tool(page, 'share');
  const link = await page.getByTestId('share-link').inputValue();
  assert.ok(link.startsWith(server.url + '#s='), link);
  assert.ok(link.length < server.url.length + 260, `${link.length} characters`);

  const other = await openApp(server.browser, server.url);
  await other.page.selectOption('[data-action="preset"]', 'moving');
  await other.page.goto(link);
  await other.page.waitForSelector('[data-protection="DS2->DS1"]', { state: 'attached' });
  assert.deepEqual({ s: await servers(other.page), p: await protections(other.page) }, before);
  assert.match(await other.page.getByTestId('notice').innerText(), /Your own drawing is kept/);
  // The drawing it replaced comes back with one click, and goes again with redo.
  await other.page.click('[data-action="notice-undo"]');
  assert.ok((await servers(other.page)).includes('DPM1'));
  await other.page.keyboard.press('Control+Shift+z');
  assert.deepEqual({ s: await servers(other.page), p: await protections(other.page) }, before);
  // The link is gone from the address: a reload shows the saved drawing and
  // does not open the link again; Import still offers the replaced drawing.
  assert.equal(new URL(other.page.url()).hash, '');
  await other.page.reload();
  await other.page.waitForSelector('[data-protection="DS2->DS1"]', { state: 'attached' });
  assert.equal(await other.page.locator('.notice').count(), 0);
  await other.page.click('[data-action="import"]');
  assert.match(await other.page.locator('.kept').innerText(), /Replaced by a shared link/);
  await other.page.locator('.kept li').first().getByRole('button', { name: 'Open' }).click();
  assert.ok((await servers(other.page)).includes('DPM1'));
  await done(other, server.url);
  await done(app, server.url);
});

test('a damaged link, a malformed import and an unreadable save change nothing', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const before = await protections(page);
  await page.goto(server.url + '#s=AQdTY2VuYXJpbyAx-damaged');
  await page.waitForSelector('.notice.error');
  assert.match(await page.getByTestId('notice').innerText(), /cannot be opened.*unchanged/s);
  assert.deepEqual(await protections(page), before);

  await importText(page, '{"format": "dpm-sketch/1", "servers": [{"name": "DS1", "kind": "dpm", "colour": "red"}], "protections": []}');
  const error = await page.getByTestId('import-error').innerText();
  assert.match(error, /servers\[0\]\.colour/);
  assert.match(error, /line 1/);
  assert.equal(await page.locator('[role="dialog"]').count(), 1, 'the dialog stays open with the text');
  await page.keyboard.press('Escape');
  assert.deepEqual(await protections(page), before);
  await done(app, server.url);

  // A save this version cannot read is kept aside, and the user is told.
  const ctx = await server.browser.newContext();
  await ctx.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('dpm-sketch/drawing', '{"format": "dpm-sketch/9", "servers": []}');
    }
  });
  const p2 = await ctx.newPage();
  await p2.goto(server.url);
  await p2.waitForSelector('.notice.error');
  assert.match(await p2.getByTestId('notice').innerText(), /could not be opened.*kept aside/s);
  const kept = await p2.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('dpm-sketch/kept/')).map((k) => localStorage.getItem(k)),
  );
  assert.deepEqual(kept, ['{"format": "dpm-sketch/9", "servers": []}']);
  await p2.click('[data-action="import"]');
  assert.match(await p2.locator('.kept').innerText(), /could not be read/);
  await ctx.close();
});

test('a hostile name stays text in the app, the table and every export', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const hostile = await readFile(join(root, 'rules/tests/cases/hostile-names.dpm.json'), 'utf8');
  await importText(page, hostile);
  const name = '<img src=x onerror=alert(1)>';
  await page.waitForSelector('[data-server]');
  assert.deepEqual(await servers(page), [name, 'PS|1, (x)'].sort());
  assert.equal(await page.locator('img').count(), 0, 'no element was made from a name');
  assert.match(await page.locator('.dpm-table').innerText(), /<img src=x onerror=alert\(1\)>/);
  await page.click(`[data-server="${name}"] .body`);
  assert.equal(await page.locator('.properties-panel input[type="text"]').first().inputValue(), name);
  await page.click('[data-action="export"]');
  for (const form of ['json', 'table', 'mermaid', 'dot', 'svg']) {
    await page.click(`[data-format="${form}"]`);
    const text = await page.getByTestId('export-text').inputValue();
    if (form === 'svg') {
      assert.ok(!text.includes('<img'), 'SVG escapes the name');
      assert.ok(text.includes('&lt;img'));
    }
    assert.ok(text.length > 0);
  }
  await page.keyboard.press('Escape');
  await tool(page, 'share');
  const link = await page.getByTestId('share-link').inputValue();
  await page.goto(link);
  await page.waitForSelector('[data-server]');
  assert.ok((await servers(page)).includes(name));
  assert.equal(await page.locator('img').count(), 0);
  await done(app, server.url);
});
