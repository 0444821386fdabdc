// Keyboard alone (issue 13): from an empty canvas, draw Scenario 2 of the
// seeds, lay it out, then fail a server, play a recovery option, apply it
// and undo it, without the mouse. Every step is a key press; focus moves
// with Tab as a keyboard user's would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, protections, servers, screenshot, settled } from './harness.mjs';

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
  await settled(page);
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
  await page.waitForFunction(() => /protected/.test(document.querySelector('[data-server="PS2"]').textContent));

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

/** What a shortcut would change: every toggle, the dialogs, the drawing
 * as saved, the selection and the camera. */
async function appState(page) {
  await page.waitForTimeout(150);
  await settled(page);
  return page.evaluate(() => {
    const pressed = (a) => document.querySelector(`[data-action="${a}"]`)?.getAttribute('aria-pressed');
    return {
      minimap: pressed('minimap'),
      simulate: pressed('simulate'),
      list: pressed('list'),
      risk: pressed('risk'),
      dialog: document.querySelector('[role="dialog"]')?.getAttribute('data-dialog') ?? null,
      find: document.querySelectorAll('.find-bar').length,
      drawing: localStorage.getItem('dpm-sketch/drawing'),
      selected: document.querySelectorAll('[data-server].selected').length,
      camera: document.querySelector('svg.canvas > g[transform]')?.getAttribute('transform'),
    };
  });
}

test('no key typed into any text field runs a shortcut: every letter and key lands in the field', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  // Every key a command or a gesture has, typed as text, then the editing keys.
  const TYPED = 'mfsl?/+-=_c';
  const EDIT_KEYS = ['Delete', 'Backspace', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Shift+ArrowLeft', 'Control+a', 'Space'];
  const typeInto = async (what, selector, { text = true, camera = true } = {}) => {
    const el = page.locator(selector).first();
    await el.focus();
    const before = await appState(page);
    if (text) await page.keyboard.type(TYPED);
    else for (const k of TYPED) await page.keyboard.press(k === '?' ? 'Shift+Slash' : k);
    const typed = text ? await el.evaluate((e) => e.value ?? e.textContent) : null;
    for (const k of EDIT_KEYS) await page.keyboard.press(k);
    const after = await appState(page);
    if (!camera) {
      delete before.camera;
      delete after.camera;
    }
    assert.deepEqual(after, before, `typing into ${what} ran a shortcut`);
    if (text) assert.ok(typed.includes(TYPED), `${what} holds what was typed (${typed})`);
    assert.ok(await el.evaluate((e) => e === document.activeElement || e.shadowRoot?.activeElement != null), `${what} keeps the focus`);
  };
  // The properties panel: a server selected, its name and its site.
  await page.click('[data-server="DS1"] .body');
  await typeInto('the name field', '[data-fact="name"]');
  await page.keyboard.press('Escape');
  await page.click('[data-server="DS1"] .body');
  await typeInto('the site field', '[data-fact="site"]');
  // The Servers list's own fields.
  await page.click('[data-action="list"]');
  await page.waitForSelector('[data-testid="servers-list"] input[data-rename]');
  await typeInto('a Servers list field', '[data-testid="servers-list"] input[data-rename]');
  await page.click('[data-action="list"]');
  // The find bar (its own typing moves the view to what it finds).
  await page.click('[data-action="find"]');
  await typeInto('the find field', '.find-bar input', { camera: false });
  await page.keyboard.press('Escape');
  // A select used as a menu: letters pick its entries, nothing else.
  await typeInto('the Presets menu', '[data-action="preset"]', { text: false });
  // Editable content and a field inside a shadow root (an extension's, a
  // widget's): the one guard knows them too.
  await page.evaluate(() => {
    const side = document.querySelector('.side');
    const div = document.createElement('div');
    div.contentEditable = 'true';
    div.id = 'editable';
    div.textContent = '';
    side.prepend(div);
    const host = document.createElement('div');
    host.id = 'shadow-host';
    host.attachShadow({ mode: 'open' }).innerHTML = '<input aria-label="widget">';
    side.prepend(host);
  });
  await typeInto('editable content', '#editable');
  const shadowInput = page.locator('#shadow-host input');
  await shadowInput.focus();
  const before = await appState(page);
  await page.keyboard.type(TYPED);
  assert.equal(await shadowInput.inputValue(), TYPED);
  for (const k of EDIT_KEYS) await page.keyboard.press(k);
  assert.deepEqual(await appState(page), before, 'typing into a field in a shadow root ran a shortcut');
  // Out of any field, the same keys are shortcuts (the test can tell).
  await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => document.getElementById('shadow-host')?.remove());
  const free = await appState(page);
  await page.keyboard.press('m');
  assert.notEqual((await appState(page)).minimap, free.minimap, 'M outside a field toggles the minimap');
  await done(app, server.url);
});

test('after New focus is on the palette; six servers added with Enter land apart, all in view', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const { key, tabTo } = keyboard(page);
  await tabTo('[data-action="new"]');
  await key('Enter');
  await page.waitForSelector('[role="dialog"]');
  await tabTo('[role="dialog"] [data-action="confirm-new"]');
  await key('Enter');
  await page.waitForSelector('[data-server]', { state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-action') === 'add-dpm');
  for (let i = 0; i < 3; i++) await key('Enter');
  await tabTo('[data-action="add-protected"]');
  for (let i = 0; i < 3; i++) await key('Enter');
  assert.deepEqual(await servers(page), ['DS1', 'DS2', 'DS3', 'PS1', 'PS2', 'PS3']);
  await page.waitForTimeout(200);
  const view = await page.locator('svg.canvas').boundingBox();
  const boxes = await page.$$eval('[data-server] .body', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, name: e.closest('[data-server]').getAttribute('data-server') };
    }),
  );
  assert.equal(boxes.length, 6);
  for (const b of boxes) {
    assert.ok(b.x >= view.x && b.y >= view.y && b.x + b.w <= view.x + view.width && b.y + b.h <= view.y + view.height,
      `${b.name} is in view`);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `${a.name} and ${b.name} do not overlap`);
    }
  }
  await screenshot(page, 'keyboard-six-added');
  await done(app, server.url);
});

test('after a rename, by Enter or Escape, in place or in the panel, focus is back on the server', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-server') ?? document.activeElement?.tagName);
  const onField = () => page.waitForFunction(() => document.activeElement?.getAttribute('data-fact') === 'name');
  // Enter on a focused server puts the cursor in its name; Enter renames.
  await page.locator('[data-server="DS1"]').focus();
  await page.keyboard.press('Enter');
  await onField();
  await page.keyboard.type('DPM-LON-01');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-server="DPM-LON-01"]');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-server') === 'DPM-LON-01');
  // The next key is about the server: C starts a protection from it.
  await page.keyboard.press('c');
  await page.waitForSelector('svg.canvas.connecting');
  await page.keyboard.press('Escape');
  // Escape puts the name back, and focus too.
  await page.keyboard.press('Enter');
  await onField();
  await page.keyboard.type('oops');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-server') === 'DPM-LON-01');
  assert.ok((await servers(page)).includes('DPM-LON-01'), 'Escape kept the name');
  // A double-click renames in place the same way.
  await page.dblclick('[data-server="DS2"] .body');
  await onField();
  await page.keyboard.type('DPM-LON-02');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-server') === 'DPM-LON-02');
  // A refused name keeps the cursor in the field, beside its reason.
  await page.keyboard.press('Enter');
  await onField();
  await page.keyboard.type('DPM-LON-01');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-fact')), 'name', `focus stayed (${await focused()})`);
  assert.equal(await page.getAttribute('[data-fact="name"]', 'aria-invalid'), 'true');
  await done(app, server.url);
});

test('renaming the second of two servers named alike leaves focus on the server renamed', async () => {
  const drawing = {
    format: 'dpm-sketch/1',
    servers: [
      { name: 'FS1', kind: 'protected', x: 200, y: 200 },
      { name: 'FS1', kind: 'protected', x: 500, y: 200 },
    ],
  };
  const context = await server.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((d) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('dpm-sketch/drawing', d);
    }
  }, JSON.stringify(drawing));
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('[data-server]');
  assert.equal(await page.locator('[data-server="FS1"]').count(), 2);
  // The second, to the right.
  const boxes = await page.locator('[data-server="FS1"] .body').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
  const right = boxes[0] > boxes[1] ? 0 : 1;
  await page.locator('[data-server="FS1"]').nth(right).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-fact') === 'name');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('FS2');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-server="FS2"]');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-server') === 'FS2', null, { timeout: 3000 })
    .catch(async () => assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-server')), 'FS2', 'focus on the server renamed'));
  await context.close();
});

test('/ pressed at once after Simulate puts the keys in the find field, not back on the toolbar', async () => {
  // Entering the simulator lays the toolbar out again, and its items keep
  // the focus they had; a `/` before that frame moved the focus on, and
  // the toolbar took it back to Simulate, so what was typed next ran as
  // commands (S left the simulator). Each round races that frame.
  const app = await openApp(server.browser, server.url, { path: '#generate=2000' });
  const { page } = app;
  for (let round = 0; round < 4; round++) {
    await page.click('[data-action="simulate"]');
    await page.keyboard.press('/');
    await page.waitForFunction(() => document.activeElement?.matches('.find-bar input'), null, { timeout: 5000 });
    await page.waitForTimeout(100);
    assert.ok(await page.evaluate(() => document.activeElement?.matches('.find-bar input')), `round ${round}: the find field keeps the focus`);
    await page.keyboard.press('Escape');
    await page.locator('.find-bar').waitFor({ state: 'hidden' });
    await page.click('[data-action="simulate"]');
    await page.locator('.sim-panel').waitFor({ state: 'detached' });
  }
  await done(app, server.url);
});
