// Keyboard alone (issue 13): from an empty canvas, draw Scenario 2 of the
// seeds, lay it out, then fail a server, play a recovery option, apply it
// and undo it, without the mouse. Every step is a key press; focus moves
// with Tab as a keyboard user's would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, protections, servers, screenshot } from './harness.mjs';

const server = suite();

/** Keyboard helpers on a page: press a key; Tab until `selector` has focus. */
function keyboard(page) {
  const key = (k) => page.keyboard.press(k);
  const tabTo = async (selector, max = 150) => {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await key('Tab');
    }
    assert.fail(`Tab never reached ${selector}`);
  };
  /** Tabs to the form control whose label starts with `text`. */
  const tabToField = async (text, max = 80) => {
    for (let i = 0; i < max; i++) {
      const at = await page.evaluate(
        (t) => document.activeElement?.closest('label')?.textContent.trim().startsWith(t) ?? false,
        text,
      );
      if (at) return;
      await key('Tab');
    }
    assert.fail(`Tab never reached the field ${text}`);
  };
  return { key, tabTo, tabToField };
}

/** The drawing as saved: the servers by name, and the protections. */
async function saved(page) {
  await page.waitForTimeout(100);
  const t = JSON.parse(await page.evaluate(() => localStorage.getItem('dpm-sketch/drawing')));
  return { servers: Object.fromEntries(t.servers.map((s) => [s.name, s])), protections: t.protections };
}

const SCENARIO_2 = ['DS1->PS1', 'DS1->PS2', 'DS2->DS1', 'DS2->PS3', 'DS3->DS2', 'DS3->PS4', 'DS4->DS3'];

test('draw Scenario 2 from an empty canvas and run a failover with the keyboard only', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const key = (k) => page.keyboard.press(k);
  /** Tabs forward until the focused element matches `selector`. */
  const tabTo = async (selector, max = 120) => {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await key('Tab');
    }
    assert.fail(`Tab never reached ${selector}`);
  };

  // New drawing: the toolbar's New, then the dialog's confirmation.
  await tabTo('[data-action="new"]');
  await key('Enter');
  await page.waitForSelector('[role="dialog"]');
  await tabTo('[role="dialog"] .btn.danger');
  await key('Enter');
  await page.waitForSelector('[data-server]', { state: 'detached' });

  // Four DPM servers and four protected servers from the palette.
  await tabTo('[data-action="add-dpm"]');
  for (let i = 0; i < 4; i++) await key('Enter');
  await tabTo('[data-action="add-protected"]');
  for (let i = 0; i < 4; i++) await key('Enter');
  assert.deepEqual(await servers(page), ['DS1', 'DS2', 'DS3', 'DS4', 'PS1', 'PS2', 'PS3', 'PS4']);

  // Each protection: focus the DPM server, C, Tab to the target, Enter.
  for (const p of SCENARIO_2) {
    const [from, to] = p.split('->');
    await tabTo(`[data-server="${from}"]`);
    await key('c');
    await tabTo(`[data-server="${to}"]`);
    await key('Enter');
    assert.ok((await protections(page)).includes(p), `${p} made`);
  }
  assert.deepEqual(await protections(page), [...SCENARIO_2].sort());
  assert.match(await page.getByTestId('status').innerText(), /Valid|note/);
  await tabTo('[data-action="layout"]');
  await key('Enter');
  await screenshot(page, 'keyboard-scenario-2');

  // Fail DS1: S starts the simulator; Enter on a server fails it.
  await page.evaluate(() => document.activeElement?.blur());
  await key('s');
  await page.waitForSelector('.sim-panel');
  await tabTo('[data-server="DS1"]');
  await key('Enter');
  await page.waitForSelector('[data-server="DS1"].failed');
  await page.waitForSelector('[data-option]');
  // Play Switch Protection, then apply it.
  await tabTo('[data-option^="switch-protection"].supported [data-action="play"]');
  const option = await page.evaluate(() => document.activeElement.closest('[data-option]').getAttribute('data-option'));
  await key('Enter');
  await page.waitForSelector('.player');
  await tabTo('.player [data-action="apply"]', 250);
  await key('Enter');
  await page.waitForFunction(() => document.querySelector('[data-action="simulate"]').getAttribute('aria-pressed') === 'false');
  const applied = await protections(page);
  assert.notDeepEqual(applied, [...SCENARIO_2].sort(), `${option} changed the drawing`);
  // Undo brings Scenario 2 back.
  await page.evaluate(() => document.activeElement?.blur());
  await key('Control+z');
  await page.waitForFunction((want) => {
    const got = [...document.querySelectorAll('[data-protection]')].map((e) => e.getAttribute('data-protection')).sort();
    return JSON.stringify(got) === JSON.stringify(want);
  }, [...SCENARIO_2].sort());
  await done(app, server.url);
});

test('keyboard alone: edit every fact of a server and a protection, select several, delete, undo', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const { key, tabTo, tabToField } = keyboard(page);

  // Enter on a server puts the cursor in its name: rename it.
  await tabTo('[data-server="DS1"]');
  await key('Enter');
  await page.waitForFunction(() => document.activeElement?.matches('.properties-panel input[type=text]'));
  await key('Control+a');
  await page.keyboard.type('Backup1');
  await key('Tab');
  await page.waitForSelector('[data-server="Backup1"]');
  // Kind stays; DPM version, update rollup, VSS Writer, MABS: arrows, typing, Space.
  await tabToField('DPM version');
  await key('ArrowDown');
  await tabToField('Update rollup');
  await page.keyboard.type('UR10');
  await key('Tab');
  await tabToField('SQL Server VSS Writer');
  await key('ArrowDown');
  await tabToField('Microsoft Azure Backup Server');
  await key('Space');
  let t = await saved(page);
  assert.equal(t.servers.Backup1.version, '2010'); // the first of DpmVersion::ALL (2010 since version 2)
  assert.equal(t.servers.Backup1.rollup, 'UR10');
  assert.equal(t.servers.Backup1.vss_writer, 'running');
  assert.equal(t.servers.Backup1.mabs, true);

  // A protected server's workloads; then its protection, switched.
  await page.evaluate(() => document.activeElement?.blur());
  await tabTo('[data-server="PS1"]');
  await key('Enter');
  await tabToField('SQL Server');
  await key('Space');
  await tabTo('.properties-panel .link-list [data-action="show-link"]');
  await key('Enter');
  await page.waitForSelector('.properties-panel .link-title');
  await tabToField('Switched protection');
  await key('Space');
  t = await saved(page);
  assert.deepEqual(t.servers.PS1.workloads, ['sql']);
  assert.ok(t.protections.some((p) => p.target === 'PS1' && p.switched), 'switched protection set');
  // The kind itself, then Undo (Escape leaves the field first).
  await page.evaluate(() => document.activeElement?.blur());
  await tabTo('[data-server="PS2"]');
  await key('Enter');
  await tabToField('Kind');
  await key('ArrowUp');
  await page.waitForFunction(() => /DPM/.test(document.querySelector('[data-server="PS2"]').textContent));
  await key('Escape');
  await key('Control+z');
  await page.waitForFunction(() => /protected server/.test(document.querySelector('[data-server="PS2"]').textContent));

  // Select several: Space, then Shift+Space; Delete; Undo.
  await tabTo('[data-server="DS2"]');
  await key('Space');
  await tabTo('[data-server="PS3"]');
  await key('Shift+Space');
  assert.equal(await page.locator('[data-server].selected').count(), 2);
  await key('Delete');
  await page.waitForSelector('[data-server="DS2"]', { state: 'detached' });
  assert.ok(!(await servers(page)).includes('PS3'));
  await key('Control+z');
  await page.waitForSelector('[data-server="PS3"]');
  assert.ok((await servers(page)).includes('DS2'));
  // The key map lists the shortcuts, Shift+Space among them.
  await key('?');
  assert.match(await page.locator('[role="dialog"]').innerText(), /Shift\+Space/);
  await key('Escape');
  await done(app, server.url);
});

test('keyboard alone: export, import and share', async () => {
  const app = await openApp(server.browser, server.url, {
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const { page } = app;
  const { key, tabTo } = keyboard(page);
  // Export the seeds' table and download it.
  await tabTo('[data-action="export"]');
  await key('Enter');
  await tabTo('[data-format="table"]');
  await key('Enter');
  assert.match(await page.getByTestId('export-text').inputValue(), /\|Server\|Protecting\|Protected by\|/);
  await tabTo('[data-action="download"]');
  const [download] = await Promise.all([page.waitForEvent('download'), key('Enter')]);
  assert.match(download.suggestedFilename(), /\.md$/);
  await key('Escape');
  await page.waitForSelector('[role="dialog"]', { state: 'detached' });
  // Import a table typed into the box.
  await tabTo('[data-action="import"]');
  await key('Enter');
  await tabTo('[data-testid="import-text"]');
  await page.keyboard.insertText('|Server|Protecting|Protected by|\n|---|---|---|\n|DS9|PS9|\\-|\n');
  await tabTo('[data-action="import-text"]');
  await key('Enter');
  await page.waitForSelector('[data-server="DS9"]');
  assert.deepEqual(await servers(page), ['DS9', 'PS9']);
  // Share: the link is copied, and opens the same drawing.
  await tabTo('[data-action="share"]');
  await key('Enter');
  await tabTo('[role="dialog"] [data-action="copy"]');
  await key('Enter');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#s=/);
  await key('Escape');
  const other = await app.context.newPage();
  await other.goto(link.replace(/^.*#/, server.url + '#'));
  await other.waitForSelector('[data-server="DS9"]');
  await other.close();
  await done(app, server.url);
});

test('keyboard alone: open an exercise, take a hint, solve it', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const { key, tabTo, tabToField } = keyboard(page);
  // Arrow keys browse the list without opening each entry; Enter opens.
  await tabTo('[data-action="exercises"]');
  for (let i = 0; i < 6; i++) await key('ArrowDown');
  assert.equal(await page.locator('[data-goal]').count(), 0, 'browsing opened nothing');
  await key('Enter');
  await page.waitForSelector('[data-goal="vss"][data-state="fail"]');
  assert.match(await page.getByTestId('task-panel').innerText(), /A stopped SQL Server VSS Writer/);
  await tabTo('[data-action="hint"]');
  await key('Enter');
  assert.match(await page.getByTestId('task-panel').innerText(), /Properties panel/);
  // The fix: DPM1's SQL Server VSS Writer set running.
  await tabTo('[data-server="DPM1"]');
  await key('Enter');
  await tabToField('SQL Server VSS Writer');
  await key('ArrowUp');
  await page.waitForSelector('[data-goal="vss"][data-state="pass"]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-goal]')].every((g) => g.dataset.state === 'pass'));
  await page.getByTestId('exercise-done').waitFor();
  await done(app, server.url);
});

test('keyboard alone: present, walk the scenes, spotlight a server, leave', async () => {
  const app = await openApp(server.browser, server.url, { viewport: { width: 1280, height: 720 } });
  const { page } = app;
  const { key, tabTo } = keyboard(page);
  await tabTo('[data-action="present"]');
  await key('Enter');
  await page.waitForSelector('[data-testid="presenter"]');
  const count = () => page.getByTestId('scene-count').innerText();
  assert.match(await count(), /^1 \//);
  await key('PageDown');
  await key('ArrowRight');
  assert.match(await count(), /^3 \//);
  await key('PageUp');
  assert.match(await count(), /^2 \//);
  // Tab to a server and spotlight it with Enter.
  await tabTo('[data-server]');
  const name = await page.evaluate(() => document.activeElement.getAttribute('data-server'));
  await key('Enter');
  assert.match(await page.locator(`[data-server="${name}"]`).getAttribute('class'), /spot/);
  await key('Escape');
  await page.waitForSelector('.toolbar', { state: 'visible' });
  assert.equal(await page.locator('[data-testid="presenter"]').count(), 0);
  await done(app, server.url);
});
