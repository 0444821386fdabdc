// The Servers list, the drawing's text twin (issue 13): it says what the
// canvas shows, and every edit of the drawing's shape can be made from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, servers, protections } from './harness.mjs';

const server = suite();
const open = (options) => openApp(server.browser, server.url, options);
const item = (page, name) => page.locator('.twin-item', { has: page.locator(`h3:text-is("${name}")`) });
const focused = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return a ? a.getAttribute('data-k') ?? a.id ?? a.tagName : null;
  });

test('the list says what the drawing shows: every server, its role, its protections and findings', async () => {
  const app = await open();
  const { page } = app;
  const button = page.locator('[data-action="list"]');
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  const list = page.getByTestId('servers-list');
  await list.waitFor();
  // One entry per server, in name order, each a heading a screen reader
  // can jump to.
  const heads = await list.locator('.twin-item h3').evaluateAll((hs) => hs.map((h) => h.firstChild.textContent));
  assert.deepEqual(heads, ['DS1', 'DS2', 'DS3', 'DS4', 'PS1', 'PS2', 'PS3', 'PS4']);
  assert.deepEqual(heads.slice().sort(), (await servers(page)).sort());
  const ds3 = await item(page, 'DS3').innerText();
  assert.match(ds3, /DPM server, secondary/);
  assert.match(ds3, /Protects\s+DS1\s+Remove\s+DS2\s+Remove/);
  assert.match(ds3, /Protected by\s+DS4/);
  assert.match(await item(page, 'PS1').innerText(), /Protected server[\s\S]*Protected by\s+DS1/);
  // DS4's database has no copy: the finding is in its entry, told in words.
  const ds4 = item(page, 'DS4');
  assert.match(await ds4.innerText(), /Note: Nothing protects DS4's database/);
  // It stays open across a reload.
  await page.reload();
  await page.getByTestId('servers-list').waitFor();
  await done(app, server.url);
});

test('from the list: add and remove protections, rename and delete, each undoable, focus kept', async () => {
  const app = await open();
  const { page } = app;
  await page.keyboard.press('l');
  const list = page.getByTestId('servers-list');
  await list.waitFor();

  // A name typed in another entry, not yet confirmed, and the form's menus:
  // an edit that changes neither leaves them as they are (the same
  // elements, the text still there).
  const ps3Field = item(page, 'PS3').locator('[data-rename]');
  await ps3Field.fill('PS3-typed');
  await item(page, 'PS3').evaluate((e) => (e.__kept = true));
  await list.locator('[data-part="from"]').evaluate((e) => (e.__kept = true));

  // Remove DS1 -> PS1 from DS1's entry.
  await page.getByRole('button', { name: 'Remove: DS1 protects PS1' }).first().click();
  await page.waitForFunction(() => !document.querySelector('[data-protection="DS1->PS1"]'));
  assert.equal(await ps3Field.inputValue(), 'PS3-typed', 'text typed in another entry stays');
  assert.equal(await item(page, 'PS3').evaluate((e) => e.__kept), true, "PS3's entry was not written again");
  assert.equal(await list.locator('[data-part="from"]').evaluate((e) => e.__kept), true, 'the form was not written again');
  assert.ok(!(await protections(page)).includes('DS1->PS1'));
  assert.doesNotMatch(await item(page, 'DS1').locator('dd').first().innerText(), /PS1/);
  // Focus did not fall to the top of the page: it is on DS1's heading.
  assert.equal(await focused(page), `h${await item(page, 'DS1').getAttribute('data-twin')}`);
  await ps3Field.fill('PS3');

  // Add it back from the form, with the pre-check's verdict said first.
  const from = list.locator('[data-part="from"]');
  const to = list.locator('[data-part="to"]');
  await from.selectOption({ label: 'DS2' });
  await to.selectOption({ label: 'PS1' });
  const verdict = list.locator('[data-part="verdict"]');
  assert.match(await verdict.innerText(), /DPM allows DS2 to protect PS1/);
  await from.selectOption({ label: 'DS1' });
  await to.selectOption({ label: 'DS3' });
  assert.match(await verdict.innerText(), /It would break a rule/);
  await to.selectOption({ label: 'PS1' });
  assert.match(await verdict.innerText(), /DPM allows DS1 to protect PS1/);
  await list.locator('[data-action="list-protect"]').click();
  await page.waitForSelector('[data-protection="DS1->PS1"]');
  // A breaking one is made too, and its finding shows in the entries.
  await from.selectOption({ label: 'DS2' });
  await to.selectOption({ label: 'PS1' });
  await list.locator('[data-action="list-protect"]').click();
  await page.waitForSelector('[data-protection="DS2->PS1"]');
  const ps1 = item(page, 'PS1');
  assert.match(await ps1.innerText(), /Error: PS1 is protected by 2 servers/);
  assert.equal(await ps1.locator('[data-rule="protected-twice"]').count(), 1);
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => !document.querySelector('[data-protection="DS2->PS1"]'));

  // Rename: a taken name is refused next to the field, the drawing unchanged.
  const ds1 = item(page, 'DS1');
  const id = await ds1.getAttribute('data-twin');
  const nameField = list.locator(`[data-rename="${id}"]`);
  await nameField.fill('DS2');
  await list.getByRole('button', { name: 'Rename DS1' }).click();
  assert.match(await list.locator(`#twin-err-${id}`).innerText(), /DS2/);
  assert.equal(await nameField.getAttribute('aria-invalid'), 'true');
  assert.ok((await servers(page)).includes('DS1'));
  await nameField.fill('Backup1');
  await nameField.press('Enter');
  await page.waitForSelector('[data-server="Backup1"]');
  assert.equal(await focused(page), `r${id}`, 'focus stays in the name field');
  assert.match(await item(page, 'PS2').innerText(), /Protected by\s+Backup1/);
  // The form's menus were written again with the new name; what was chosen
  // in them stays chosen.
  assert.equal(await from.locator('option', { hasText: 'Backup1' }).count(), 1);
  assert.equal(await from.evaluate((s) => s.selectedOptions[0].textContent), 'DS2');
  assert.equal(await to.evaluate((s) => s.selectedOptions[0].textContent), 'PS1');

  // Delete from the list; Undo brings it back with its protections.
  await list.getByRole('button', { name: 'Delete Backup1' }).click();
  await page.waitForSelector('[data-server="Backup1"]', { state: 'detached' });
  assert.equal(await list.locator('.twin-item').count(), 7);
  // Its entry went: the focus goes to the entry now in its place (the
  // first, DS2), not back to the top of a long list.
  assert.equal(await focused(page), `h${await item(page, 'DS2').getAttribute('data-twin')}`, 'focus goes to the entry in its place');
  await page.keyboard.press('Control+z');
  await page.waitForSelector('[data-server="Backup1"]');
  assert.ok((await protections(page)).includes('Backup1->PS2'));
  assert.equal(await list.locator('.twin-item').count(), 8);

  // "Protect a server…" picks the protector and moves to the target.
  const ds4 = await item(page, 'DS4').getAttribute('data-twin');
  await list.locator(`[data-action="list-protect-from"][data-id="${ds4}"]`).click();
  assert.equal(await focused(page), 'to');
  assert.equal(await from.evaluate((s) => s.selectedOptions[0].textContent), 'DS4');
  // "Show" selects the server on the drawing.
  await list.getByRole('button', { name: 'Show DS4 on the drawing' }).click();
  await page.waitForSelector('[data-server="DS4"].selected');
  await done(app, server.url);
});

test('a list of thousands shows the first 200 and more on request', async () => {
  const app = await open({ path: '#generate=1000' });
  const { page } = app;
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length > 0);
  await page.click('[data-action="list"]');
  const list = page.getByTestId('servers-list');
  await list.waitFor();
  assert.equal(await list.locator('.twin-item').count(), 200);
  assert.match(await list.innerText(), /1,000 servers/);
  // A rename that moves an entry down the list, within the 200 shown: its
  // name field keeps the focus, and the column follows it.
  const second = list.locator('.twin-item').nth(1);
  const secondId = await second.getAttribute('data-twin');
  const after = await list.locator('.twin-item h3').nth(120).evaluate((h) => h.firstChild.textContent);
  await second.locator('[data-rename]').fill(`${after}a`);
  await second.locator('[data-rename]').press('Enter');
  await page.waitForFunction((n) => [...document.querySelectorAll('.twin-item h3')].findIndex((h) => h.firstChild.textContent === n) > 100, `${after}a`);
  assert.equal(await focused(page), `r${secondId}`, 'focus stays in the name field');
  const fieldInView = await page.evaluate(() => {
    const [a, s] = [document.activeElement.getBoundingClientRect(), document.querySelector('.side').getBoundingClientRect()];
    return a.top >= s.top && a.bottom <= s.bottom;
  });
  assert.ok(fieldInView, 'the moved entry is in view');
  // A rename that takes an entry out of the 200 shown (in name order it is
  // now far down): the focus goes to the entry in its place, in view.
  const first = list.locator('.twin-item').first();
  const next = await list.locator('.twin-item').nth(1).getAttribute('data-twin');
  await first.locator('[data-rename]').fill('zzz last');
  await first.locator('[data-rename]').press('Enter');
  await page.waitForSelector('[data-server="zzz last"]', { state: 'attached' });
  await page.waitForFunction((k) => document.activeElement?.getAttribute('data-k') === k, `h${next}`);
  const inView = await page.evaluate(() => {
    const [a, s] = [document.activeElement.getBoundingClientRect(), document.querySelector('.side').getBoundingClientRect()];
    return a.top >= s.top && a.bottom <= s.bottom;
  });
  assert.ok(inView, 'the focused heading is in view');
  await list.locator('[data-action="list-more"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.twin-item').length === 400);
  // The focus goes to the first server it showed, not left on the button
  // now 200 entries further down.
  assert.equal(
    await page.evaluate(() => document.activeElement === document.querySelectorAll('.twin-item')[200].querySelector('h3')),
    true,
    'focus on the first entry shown',
  );
  await done(app, server.url);
});

test('an exercise refuses, from the list too, what it does not allow, and says why', async () => {
  const app = await open();
  const { page } = app;
  await page.selectOption('[data-action="exercises"]', { index: 1 });
  await page.waitForSelector('[data-goal]');
  await page.click('[data-action="list"]');
  const list = page.getByTestId('servers-list');
  await list.waitFor();
  const before = await servers(page);
  const first = list.locator('.twin-item').first();
  const name = await first.locator('h3').evaluate((h) => h.firstChild.textContent);
  await list.getByRole('button', { name: `Delete ${name}` }).click();
  await page.getByTestId('notice').waitFor();
  assert.match(await page.getByTestId('notice').innerText(), /exercise/i);
  assert.deepEqual(await servers(page), before);
  await done(app, server.url);
});

test('Escape closes the list from inside it (a field first left), and in the simulator, whose panel takes its place, its button is off', async () => {
  const app = await open();
  const { page } = app;
  const button = page.locator('[data-action="list"]');
  await button.click();
  const list = page.getByTestId('servers-list');
  await list.waitFor();
  // Opened, the keys are in it.
  await page.waitForFunction(() => document.activeElement?.id === 'list-heading');
  // From a name field: the first Escape puts the name back and leaves the
  // field, keeping the list open with the keys in it; the second closes
  // it, the keys on its button.
  const field = item(page, 'PS3').locator('[data-rename]');
  await field.focus();
  await page.keyboard.type('X');
  await page.keyboard.press('Escape');
  assert.equal(await field.inputValue(), 'PS3', 'Escape put the name back');
  assert.equal(await list.count(), 1, 'the first Escape only leaves the field');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'servers-list');
  await page.keyboard.press('Escape');
  await list.waitFor({ state: 'detached' });
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-action')), 'list');
  assert.deepEqual((await servers(page)).sort(), ['DS1', 'DS2', 'DS3', 'DS4', 'PS1', 'PS2', 'PS3', 'PS4'], 'nothing else changed');
  // Open again, then the simulator: the list gives way to its panel, and
  // its button says so (not pressed, and no press there that shows nothing).
  await page.keyboard.press('Enter');
  await list.waitFor();
  await page.click('[data-action="simulate"]');
  await page.locator('.sim-panel').waitFor();
  assert.equal(await list.count(), 0);
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  assert.equal(await button.isDisabled(), true);
  assert.match(await button.getAttribute('title'), /\(L\)\. Off while simulating: the simulator's panel takes the list's place until you stop/, 'its tip says why it is off');
  await page.keyboard.press('l');
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  assert.equal(await page.evaluate(() => localStorage.getItem('dpm-sketch/list')), '1', 'L does nothing in the simulator: the list stays open for after it');
  // Leaving brings it back as it was.
  await page.click('[data-action="simulate"]');
  await list.waitFor();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  assert.equal(await button.getAttribute('title'), 'The drawing as a list: every server, its protections and findings; edit from it (L)');
  await done(app, server.url);
});
