// Bring your real estate (issue 25): the inventories DPM's own PowerShell
// writes on each DPM server, several at once (picked or dropped), read
// into one estate whose report is shown before anything changes; Open is
// one undoable step, a conflict's Show opens the estate on its servers.
// The files are the rule crate's sample estate (rules/tests/inventory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, openApp, done, screenshot, servers, tool } from './harness.mjs';

const server = suite();
const small = join(import.meta.dirname, '..', 'rules', 'tests', 'inventory', 'small');
const read = (name) => readFile(join(small, name));
const json = (name, buffer) => ({ name, mimeType: 'application/json', buffer });
/** UTF-16 little-endian with its byte order mark, as PowerShell's `>` writes. */
const utf16 = (buf) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(buf.toString('utf8'), 'utf16le')]);

const report = (page) => page.getByTestId('import-report');
const kindLines = (page, kind) => page.locator(`[data-testid="import-report"] [data-kind="${kind}"] li[data-report]`).allInnerTexts();
const notice = (page) => page.getByTestId('notice').innerText();

test('three DPM inventories picked at once: the report comes first, Cancel keeps the drawing, Open is one step Undo takes back', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const before = await servers(page);
  const files = [
    json('DPM1.dpm-inventory.json', await read('DPM1.dpm-inventory.json')),
    json('DPM2.dpm-inventory.json', await read('DPM2.dpm-inventory.json')),
    json('DPM3.dpm-inventory.json', utf16(await read('DPM3.dpm-inventory.json'))),
  ];
  await tool(page, 'import');
  await page.getByTestId('import-file').setInputFiles(files);
  await report(page).waitFor();
  assert.match(await page.getByTestId('import-summary').innerText(), /^3 files read: \d+ servers \(4 DPM servers\) and \d+ protections\./);
  // What the exports cannot say, with file and place: DPM4 sent none.
  const unknown = await kindLines(page, 'unknown');
  assert.ok(unknown.some((l) => /DPM2\.dpm-inventory\.json, datasources\[5\] \(line 24\)/.test(l) && /DPM4 .*sent no export/.test(l)), unknown.join('\n'));
  // Inferred facts are folded away until asked for.
  const inferred = page.locator('[data-kind="inferred"]');
  assert.equal(await inferred.evaluate((d) => d.open), false);
  await inferred.locator('summary').click();
  assert.ok((await kindLines(page, 'inferred')).some((l) => /DPM2 protects FS2 directly .*switched protection/.test(l)));
  assert.equal(await page.locator('[data-kind="conflict"]').count(), 0, 'no conflict among these three');
  // The UTF-16 file was read: DPM3's remote database is known.
  assert.ok((await kindLines(page, 'inferred')).some((l) => /DPM3's database is on SQLDB1/.test(l)));
  assert.deepEqual(await servers(page), before, 'nothing changed before Open');
  await page.click('[data-action="close"]:text("Cancel")');
  await report(page).waitFor({ state: 'detached' });
  assert.deepEqual(await servers(page), before, 'Cancel changed nothing');

  await tool(page, 'import');
  await page.getByTestId('import-file').setInputFiles(files);
  await report(page).waitFor();
  await page.click('[data-action="import-open"]');
  await page.waitForSelector('[data-server="DPM4"]');
  const after = await servers(page);
  for (const n of ['DPM1', 'DPM2', 'DPM3', 'DPM4', 'FS2', 'SQLDB1']) assert.ok(after.includes(n), `${n} drawn`);
  assert.ok(!after.includes('PS1'), 'the previous drawing is replaced');
  assert.match(await notice(page), /Imported 3 exports: \d+ servers\. Your previous drawing is one Undo away\./);
  // Switched protection is drawn as such.
  assert.ok(await page.locator('[data-protection="DPM2->FS2"] .protection.switched').count());
  await page.keyboard.press('Control+z');
  await page.waitForSelector('[data-server="DPM4"]', { state: 'detached' });
  assert.deepEqual(await servers(page), before, 'one Undo brings the drawing back');
  await done(app, server.url);
});

test('four inventories dropped on the canvas: a conflict is listed with both files, and its Show opens the estate on the server', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const names = ['DPM1', 'DPM2', 'DPM3', 'MABS1'].map((n) => `${n}.dpm-inventory.json`);
  const texts = await Promise.all(names.map(async (n) => (await read(n)).toString('utf8')));
  await page.evaluate(
    ([names, texts]) => {
      const dt = new DataTransfer();
      names.forEach((n, i) => dt.items.add(new File([texts[i]], n, { type: 'application/json' })));
      document.querySelector('.canvas-wrap').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [names, texts],
  );
  await report(page).waitFor();
  const conflicts = await kindLines(page, 'conflict');
  assert.equal(conflicts.length, 1, conflicts.join('\n'));
  assert.match(conflicts[0], /MABS1\.dpm-inventory\.json, datasources\[1\] \(line 19\)/);
  assert.match(conflicts[0], /APP1 is protected directly by 2 DPM servers: DPM3 at DPM3\.dpm-inventory\.json.*MABS1 at MABS1\.dpm-inventory\.json/);
  await screenshot(page, 'import-report');
  await page.click('[data-kind="conflict"] [data-action="import-show"]');
  await page.waitForSelector('[data-server="APP1"].selected');
  // The servers concerned, shown at the canvas's centre (the opened
  // estate's fit came after the reveal and moved them aside).
  await page.waitForTimeout(300);
  const off = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.server.selected .body')].map((b) => b.getBoundingClientRect());
    const c = document.querySelector('.canvas-wrap').getBoundingClientRect();
    const x0 = Math.min(...boxes.map((b) => b.left)), x1 = Math.max(...boxes.map((b) => b.right));
    const y0 = Math.min(...boxes.map((b) => b.top)), y1 = Math.max(...boxes.map((b) => b.bottom));
    return [boxes.length, (x0 + x1) / 2 - (c.left + c.width / 2), (y0 + y1) / 2 - (c.top + c.height / 2)];
  });
  assert.ok(off[0] >= 2, `the conflict's servers selected: ${off[0]}`);
  assert.ok(Math.hypot(off[1], off[2]) < 20, `they are centred ${off.slice(1).map(Math.round)} px off the canvas's centre`);
  assert.match(await notice(page), /Imported 4 exports: \d+ servers; 1 conflict, under Problems\./);
  // The conflict is a finding of the drawing, on APP1.
  const finding = page.locator('li.finding[data-rule="protected-twice"]').first();
  await finding.waitFor();
  assert.match(await finding.innerText(), /APP1/);
  // The Azure Backup Server is one.
  assert.match(await page.locator('[data-server="MABS1"]').getAttribute('aria-label'), /Azure Backup Server|MABS/);
  await page.keyboard.press('Escape');
  await page.click('[data-action="fit"]');
  await page.waitForTimeout(400);
  await screenshot(page, 'import-small-estate');
  await done(app, server.url);
});

test('an unreadable file among inventories is reported by name; files with nothing readable change nothing and say why; a pasted inventory is read too', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const before = await servers(page);
  await tool(page, 'import');
  await page.getByTestId('import-file').setInputFiles([
    json('DPM1.dpm-inventory.json', await read('DPM1.dpm-inventory.json')),
    { name: 'notes.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0x00]) },
  ]);
  await report(page).waitFor();
  const skipped = await kindLines(page, 'skipped');
  assert.ok(skipped.some((l) => /^notes\.bin/.test(l) && /could not be read/.test(l)), skipped.join('\n'));
  await page.click('[data-action="close"]:text("Cancel")');

  await tool(page, 'import');
  await page.getByTestId('import-file').setInputFiles([
    json('a.dpm-inventory.json', Buffer.from('{"format": "dpm-inventory/1", "dpmServer": ')),
    { name: 'b.csv', mimeType: 'text/csv', buffer: Buffer.from('nothing,here\n1,2\n') },
  ]);
  await page.waitForFunction(() => /Nothing could be imported/.test(document.querySelector('[data-testid="notice"]')?.textContent ?? ''));
  const said = await notice(page);
  assert.match(said, /a\.dpm-inventory\.json: /);
  assert.match(said, /b\.csv: /);
  assert.match(said, /Your drawing is unchanged\./);
  assert.equal(await report(page).count(), 0);
  if (await page.getByTestId('import-text').count()) await page.keyboard.press('Escape');
  assert.deepEqual(await servers(page), before);

  // Pasted into the Import box, one export reads as an inventory.
  await page.keyboard.press('Escape');
  await tool(page, 'import');
  await page.getByTestId('import-text').fill((await read('DPM2.dpm-inventory.json')).toString('utf8'));
  await page.click('[data-action="import-text"]');
  await report(page).waitFor();
  assert.match(await page.getByTestId('import-summary').innerText(), /^1 file read:/);
  await done(app, server.url);
});
