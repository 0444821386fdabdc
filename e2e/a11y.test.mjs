// axe-core over every screen and state of the app: the editor in light and
// dark, with a selection and with findings; the simulator with options and
// while playing; every dialog; an exercise
// with its hints and its done banner; presenter mode; a phone (the viewer
// is checked in viewer.test.mjs). Any violation
// of a WCAG 2.0/2.1/2.2 A or AA rule fails, naming the rule and the elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { suite, openApp, done, connect, screenshot, tool, axe } from './harness.mjs';

const server = suite();
const estate = await readFile(new URL('./fixtures/estate.dpm.json', import.meta.url), 'utf8');

// The test's own script (axe) may not be blocked by the page's CSP; the CSP
// itself is checked by the other suites.
const open = (options = {}) => openApp(server.browser, server.url, { bypassCSP: true, ...options });

for (const scheme of ['light', 'dark']) {
  test(`editor in ${scheme}: as it opens, with a selection, with findings and a finding's tip`, async () => {
    const app = await open({ colorScheme: scheme });
    const { page } = app;
    await axe(page, `editor (${scheme})`);
    await page.click('[data-server="DS1"] .body');
    await page.waitForSelector('[data-server="DS1"].selected');
    await axe(page, `editor with a selection (${scheme})`);
    // A protection that breaks a rule: DS3 already protects DS1, so DS4
    // protecting it too is an error, and a chain shortcut.
    await connect(page, 'DS4', 'PS1');
    await page.waitForSelector('.badge.error').catch(async (e) => {
      await screenshot(page, `a11y-no-error-${scheme}`);
      throw e;
    });
    await axe(page, `editor with findings (${scheme})`);
    await page.locator('[data-server="DS4"]').focus();
    await page.waitForSelector('.finding-tip');
    await axe(page, `editor with a finding's tip (${scheme})`);
    await page.click('[data-action="risk"]');
    await axe(page, `editor with the Risk view (${scheme})`);
    // The Servers list, with findings in it and a name refused.
    await page.click('[data-action="list"]');
    await page.getByTestId('servers-list').waitFor();
    const id = await page.locator('.twin-item').first().getAttribute('data-twin');
    await page.fill(`[data-rename="${id}"]`, 'DS2');
    await page.press(`[data-rename="${id}"]`, 'Enter');
    await page.waitForSelector(`[data-rename="${id}"][aria-invalid="true"]`);
    await axe(page, `editor with the Servers list (${scheme})`);
    // Another tab opens the same drawing: its notice and choice.
    const other = await app.context.newPage();
    await other.goto(server.url);
    await other.getByTestId('notice').waitFor();
    await axe(other, `a second tab on the drawing (${scheme})`);
    await other.close();
    await done(app, server.url);
  });
}

test('the toolbar with More open, narrow (a disclosure of buttons, not a menu)', async () => {
  const app = await open({ viewport: { width: 390, height: 844 } });
  const { page } = app;
  // The open list lies over the canvas's hint, as a popup does: the hint
  // is dismissed first (its button would be partly covered).
  await page.click('button[aria-label="Dismiss the hint"]');
  await page.getByTestId('more').click();
  await page.waitForSelector('#more-menu:not([hidden])');
  assert.equal(await page.getByTestId('more').getAttribute('aria-haspopup'), null, 'no menu is promised');
  assert.equal(await page.getByTestId('more').getAttribute('aria-expanded'), 'true');
  await axe(page, 'toolbar with More open');
  await done(app, server.url);
});

test('simulator: with options, and while playing', async () => {
  const app = await open();
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'moving');
  await page.waitForSelector('[data-server="DPM3"]');
  await page.click('[data-action="simulate"]');
  await page.click('[data-server="DPM1"] .body');
  await page.waitForSelector('[data-option]');
  await axe(page, 'simulator with options');
  await page.click('[data-option="switch-protection DPM3"] [data-action="play"]');
  await page.waitForSelector('.player');
  await axe(page, 'simulator while playing');
  await page.click('[data-action="copies"]');
  await done(app, server.url);
});

test('every dialog: export, import, share, embed, keys, new, make exercise', async () => {
  const app = await open();
  const { page } = app;
  for (const action of ['export', 'import', 'share', 'embed', 'keys', 'new', 'author']) {
    await tool(page, action);
    await page.waitForSelector('[role="dialog"]');
    await axe(page, `${action} dialog`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
  }
  await done(app, server.url);
});

test('an exercise: goals, a hint with its citation, the done banner; presenter mode', async () => {
  const app = await open();
  const { page } = app;
  await page.selectOption('[data-action="exercises"]', '4-chain-shortcut');
  await page.waitForSelector('[data-goal]');
  await axe(page, 'exercise');
  await page.click('[data-action="hint"]');
  await page.waitForSelector('[data-testid="hint"]');
  await axe(page, 'exercise with a hint');
  await page.selectOption('[data-action="exercises"]', '3-cyclic-office');
  await page.waitForSelector('[data-goal="copies"]');
  await connect(page, 'DS1', 'DS2');
  await connect(page, 'DS2', 'DS1');
  await page.waitForSelector('[data-testid="exercise-done"]');
  await axe(page, 'exercise done');
  await page.click('[data-action="reset-exercise"]');
  await page.waitForSelector('[role="dialog"]');
  await axe(page, 'reset exercise, asking first');
  await page.keyboard.press('Escape');
  await page.click('[data-action="leave-exercise"]');
  await page.click('[data-action="present"]');
  await page.waitForSelector('[data-testid="presenter"]');
  await axe(page, 'presenter mode');
  await page.click('[data-action="scenes"]');
  await axe(page, 'presenter mode, scene list');
  await done(app, server.url);
});

test('a phone (390x844): editor, simulator', async () => {
  const app = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const { page } = app;
  await axe(page, 'phone editor');
  await page.click('[data-action="simulate"]');
  await axe(page, 'phone simulator');
  await done(app, server.url);
});

test('new and resolved findings are announced politely, once per pause in editing', async () => {
  const app = await open();
  const { page } = app;
  const announcer = page.getByTestId('announcer');
  assert.equal(await announcer.getAttribute('role'), 'status');
  // Count what the live region says.
  await page.evaluate(() => {
    window.announced = [];
    new MutationObserver(() => window.announced.push(document.querySelector('[data-testid="announcer"]').textContent)).observe(
      document.querySelector('[data-testid="announcer"]'),
      { childList: true, characterData: true, subtree: true },
    );
  });
  await connect(page, 'DS4', 'PS1');
  await page.waitForFunction(() => window.announced.length > 0);
  const first = await announcer.innerText();
  assert.match(first, /^New finding: Protected twice: PS1 is protected by 2 servers/);
  assert.doesNotMatch(first, /Resolved/);
  // Undo and redo in one breath: the drawing ends as it was, nothing is said.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+Shift+z');
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => window.announced.length), 1);
  // Undo, then a pause: what went away is said.
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => window.announced.length > 1);
  assert.match(await announcer.innerText(), /^Resolved: Protected twice: /);
  await done(app, server.url);
});

test('a large estate: the minimap, grouped options and windowed findings', async () => {
  const app = await open({ path: '#generate=400' });
  const { page } = app;
  await page.getByTestId('minimap').waitFor();
  await axe(page, 'a 400-server estate with the minimap');
  await page.click('[data-action="simulate"]');
  await page.click('[data-server="DS1"] .body');
  await page.waitForSelector('[data-option-group]');
  await page.locator('[data-option-group] input').first().fill('no such server');
  await axe(page, 'grouped options, one with a name that is none of them');

  // 150 errors: the findings list is windowed.
  await page.click('[data-action="simulate"]');
  const names = Array.from({ length: 150 }, (_, i) => `P${i + 1}`);
  const table = [
    '| Server | Protecting | Protected by |',
    '|---|---|---|',
    `| DPM1 | ${names.join(', ')} | |`,
    `| DPM2 | ${names.join(', ')} | |`,
  ].join('\n');
  await page.click('[data-action="import"]');
  await page.getByTestId('import-text').fill(table);
  await page.click('[data-action="import-text"]');
  await page.waitForSelector('.findings-panel .vlist');
  await axe(page, 'windowed findings');
  await done(app, server.url);
});

for (const scheme of ['light', 'dark']) {
  test(`real estates in ${scheme}: sites, a VM, a remote database; a DPM server's and a protected server's fields; a site failed`, async () => {
    const app = await open({ colorScheme: scheme });
    const { page } = app;
    await page.click('[data-action="import"]');
    await page.getByTestId('import-text').fill(estate);
    await page.click('[data-action="import-text"]');
    await page.waitForSelector('.site-region[data-site="London"]');
    await axe(page, `estate drawing (${scheme})`);
    await page.click('[data-server="DPM1"] .body');
    await page.waitForSelector('[data-fact="build"]');
    await axe(page, `a DPM server's estate fields (${scheme})`);
    await page.selectOption('.properties-panel [data-fact="host"]', { label: 'FS1' });
    await page.locator('.properties-panel [data-fact="build"]').fill('x');
    await page.locator('.properties-panel [data-fact="build"]').press('Enter');
    await page.waitForSelector('#build-error:not(:empty)');
    await axe(page, `fields refusing a value (${scheme})`);
    await page.click('[data-server="EX1"] .body');
    await page.waitForSelector('[data-fact="replica_set"]');
    await axe(page, `a protected server's estate fields (${scheme})`);
    await page.click('[data-action="simulate"]');
    await page.selectOption('[data-testid="fail-site-pick"]', 'London');
    await page.click('[data-action="fail-site"]');
    await page.waitForSelector('[data-server="DPM1"].failed');
    await axe(page, `simulator after a site failed (${scheme})`);
    await done(app, server.url);
  });
}
