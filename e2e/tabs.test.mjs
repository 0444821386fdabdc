// One drawing in two tabs (issue 13): the second tab is told and chooses;
// no save silently overwrites another tab's newer one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, servers, connect } from './harness.mjs';

const server = suite();
const saved = (page) => page.evaluate(() => localStorage.getItem('dpm-sketch/drawing'));

/** Two pages of one browser context: two tabs sharing storage. */
async function twoTabs() {
  const first = await openApp(server.browser, server.url);
  // Let the first tab save its drawing before the second opens it.
  await first.page.waitForFunction(() => localStorage.getItem('dpm-sketch/drawing'));
  const page = await first.context.newPage();
  page.on('pageerror', (e) => first.errors.push(String(e)));
  await page.goto(server.url);
  await page.waitForSelector('[data-server]');
  return { first, a: first.page, b: page };
}

/** A page of the app in a browser keeping no site data (reading `localStorage` throws), opened at `hash`. */
async function withoutStorage(hash) {
  const context = await server.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The user denied storage', 'SecurityError');
      },
    });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + hash);
  await page.waitForSelector('[data-server]');
  return { context, page, errors };
}

async function remove(page, name) {
  await page.click(`[data-server="${name}"] .body`);
  await page.keyboard.press('Delete');
  await page.waitForSelector(`[data-server="${name}"]`, { state: 'detached' });
}

test('the second tab is told the drawing is open elsewhere, and saves nothing until the user chooses', async () => {
  const { first, a, b } = await twoTabs();
  const notice = b.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /open in another tab/);
  assert.equal(await a.getByTestId('notice').count(), 0, 'the first tab is not disturbed');
  // An edit in the second tab is not saved over the first's drawing.
  await remove(b, 'PS4');
  await b.waitForTimeout(300);
  assert.ok((await saved(a)).includes('"PS4"'));
  // Dismissed, the choice comes back with the next edit.
  await b.click('[data-testid="notice"] [data-action="dismiss"]');
  await remove(b, 'PS3');
  await notice.waitFor();
  assert.match(await notice.innerText(), /open in another tab/);
  // The first tab goes on saving.
  await remove(a, 'PS1');
  await a.waitForFunction(() => !localStorage.getItem('dpm-sketch/drawing').includes('"PS1"'));
  await done(first, server.url);
});

test('take over: the other tab stops saving; the newest drawing is shown, this tab\'s one Undo away', async () => {
  const { first, a, b } = await twoTabs();
  await b.getByTestId('notice').waitFor();
  await remove(b, 'PS4'); // made here while the first tab had it
  await remove(a, 'PS1'); // the first tab's newer save
  await a.waitForFunction(() => !localStorage.getItem('dpm-sketch/drawing').includes('"PS1"'));
  await b.click('[data-action="take-over"]');
  // The second tab shows the drawing as the first left it...
  await b.waitForSelector('[data-server="PS1"]', { state: 'detached' });
  assert.ok((await servers(b)).includes('PS4'));
  assert.match(await b.getByTestId('notice').innerText(), /Undo brings back/);
  // ...and the first tab is told, and stops saving.
  await a.getByTestId('notice').waitFor();
  assert.match(await a.getByTestId('notice').innerText(), /Another tab took this drawing over/);
  await remove(a, 'PS2');
  await remove(b, 'PS3');
  await b.waitForFunction(() => !localStorage.getItem('dpm-sketch/drawing').includes('"PS3"'));
  const text = await saved(b);
  assert.ok(text.includes('"PS2"'), 'the tab that was taken over did not save');
  assert.ok(!text.includes('"PS1"'), 'the first tab\'s change is kept');
  // Undo in the second tab goes back past the take-over to its own drawing.
  await b.keyboard.press('Control+z');
  await b.keyboard.press('Control+z');
  await b.waitForSelector('[data-server="PS1"]');
  assert.ok(!(await servers(b)).includes('PS4'));
  await done(first, server.url);
});

test('open a copy: each tab saves its own drawing, and a reload keeps the copy', async () => {
  const { first, a, b } = await twoTabs();
  await b.getByTestId('notice').waitFor();
  await b.click('[data-action="open-copy"]');
  assert.match(await b.getByTestId('notice').innerText(), /edits a copy/);
  await remove(b, 'PS4');
  await remove(a, 'PS1');
  await a.waitForFunction(() => !localStorage.getItem('dpm-sketch/drawing').includes('"PS1"'));
  const original = await saved(a);
  assert.ok(original.includes('"PS4"'), 'the copy never writes over the original');
  const copy = await b.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.endsWith('-copy'))
      .map((k) => localStorage.getItem(k)),
  );
  assert.equal(copy.length, 1);
  assert.ok(!copy[0].includes('"PS4"') && copy[0].includes('"PS1"'));
  // A reload of the copy's tab reopens the copy; the first tab is not told
  // anything (they no longer share a drawing).
  await b.reload();
  await b.waitForSelector('[data-server]');
  assert.ok(!(await servers(b)).includes('PS4'));
  assert.ok((await servers(b)).includes('PS1'));
  await b.waitForTimeout(300);
  assert.equal(await a.getByTestId('notice').count(), 0);
  assert.equal(await b.getByTestId('notice').count(), 0);
  // Import lists the copy among the kept drawings.
  await a.click('[data-action="import"]');
  assert.match(await a.locator('[role="dialog"]').innerText(), /A copy opened in a second tab/);
  await done(first, server.url);
});

test('without messages between tabs, a save never goes over another tab\'s newer one', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.waitForFunction(() => localStorage.getItem('dpm-sketch/drawing'));
  // Another tab (or another program) writes the drawing behind this one's back.
  await page.evaluate(() => {
    const t = JSON.parse(localStorage.getItem('dpm-sketch/drawing'));
    t.title = 'Written elsewhere';
    localStorage.setItem('dpm-sketch/drawing', JSON.stringify(t, null, 2));
  });
  await remove(page, 'PS4');
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /open in another tab/);
  assert.match(await saved(page), /Written elsewhere/);
  assert.ok((await saved(page)).includes('"PS4"'));
  await done(app, server.url);
});

test('with the browser keeping no site data, edits go on and no other tab is blamed', async () => {
  // Storage off (site data blocked, a sandboxed frame): reading
  // `localStorage` throws. Nothing is saved, and a save finding nothing
  // where it could not write is no other tab's doing.
  const { context, page, errors } = await withoutStorage('');
  await page.waitForTimeout(400);
  await remove(page, 'PS4');
  await page.waitForTimeout(400);
  await remove(page, 'PS3');
  await page.waitForTimeout(400);
  // Told, once, that nothing is saved, with the drawing offered as a file.
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  const told = await notice.innerText();
  assert.match(told, /not being saved/);
  assert.doesNotMatch(told, /open in another tab/);
  assert.equal(await notice.locator('[data-action="download-drawing"]').count(), 1, 'the drawing offered as a file');
  assert.equal(await page.locator('[data-server="PS2"]').count(), 1, 'the drawing is still there');
  await context.close();
  assert.deepEqual(errors, [], 'the page threw');
});

test('a tab told its drawing is open elsewhere saves an exercise it enters, and is told again when it leaves', async () => {
  const { first, b } = await twoTabs();
  const notice = b.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /open in another tab/);
  // The exercise is no other tab's: the notice goes, and its edits are saved.
  await b.selectOption('[data-action="exercises"]', '3-cyclic-office');
  await b.waitForSelector('[data-testid="task-panel"]');
  await b.waitForFunction(() => !document.querySelector('[data-testid="notice"]')?.textContent.includes('another tab'));
  await connect(b, 'DS1', 'DS2');
  await b.waitForSelector('[data-protection="DS1->DS2"]');
  await b.waitForFunction(() =>
    Object.keys(localStorage).some(
      (k) => /^dpm-sketch\/exercise\/[^/]+$/.test(k) && /"protector": "DS1",\s*"target": "DS2"/.test(localStorage.getItem(k)),
    ),
  );
  // Back to the drawing the first tab has open: told again.
  await b.click('[data-action="leave-exercise"]');
  await b.waitForFunction(() => document.querySelector('[data-testid="notice"]')?.textContent.includes('open in another tab'));
  await done(first, server.url);
});

test('without site data, a link\'s message is not hidden by the one that nothing is saved, which comes after it', async () => {
  const { context, page, errors } = await withoutStorage('#s=garbage');
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /share link cannot be opened/);
  // The first save comes and goes: the link's message stays.
  await page.waitForTimeout(600);
  assert.match(await notice.innerText(), /share link cannot be opened/);
  await page.click('[data-testid="notice"] [data-action="dismiss"]');
  await remove(page, 'PS4');
  await page.waitForFunction(() => document.querySelector('[data-testid="notice"]')?.textContent.includes('not being saved'));
  await context.close();
  assert.deepEqual(errors, [], 'the page threw');
});
