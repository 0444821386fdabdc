// The editor (issue 4): create, connect with live verdicts, findings where
// the eye is, undo/redo, autosave, keyboard, presets, properties, copy and
// paste. Every test fails on a page error or a request off 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, openApp, done, screenshot, center, drag, connect, servers, protections, status, tool, settled,
} from './harness.mjs';

const server = suite();

/** A point of `col` (a box) where the canvas is empty, at the first of the
 * fractions `fxs` × `fys` of its width and height that is; null if none. */
function emptySpot(page, col, fxs, fys) {
  return page.evaluate(({ x, y, width, height, fxs, fys }) => {
    for (const fy of fys) {
      for (const fx of fxs) {
        const p = { x: x + width * fx, y: y + height * fy };
        const e = document.elementFromPoint(p.x, p.y);
        if (e?.closest('svg.canvas') && !e.closest('[data-server], [data-protection], .site-region')) return p;
      }
    }
    return null;
  }, { x: col.x, y: col.y, width: col.width, height: col.height, fxs, fys });
}

async function newDrawing(page) {
  await page.click('[data-action="new"]');
  await page.click('[data-action="confirm-new"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length === 0);
}

async function paletteDrop(page, action, to) {
  await drag(page, await center(page, `[data-action="${action}"]`), to, { steps: 8 });
}

test('create two servers from the palette and connect them: the role appears', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await newDrawing(page);
  await paletteDrop(page, 'add-dpm', { x: 450, y: 260 });
  await paletteDrop(page, 'add-protected', { x: 450, y: 480 });
  assert.deepEqual(await servers(page), ['DS1', 'PS1']);
  assert.match(await page.locator('[data-server="DS1"]').textContent(), /DPM server/);
  // While dragging, the target shows the rule crate's verdict.
  await connect(page, 'DS1', 'PS1', {
    whileHeld: async () => {
      assert.match(await page.locator('[data-server="PS1"]').getAttribute('class'), /cand-ok/);
      assert.match(await page.locator('.connect-tip').innerText(), /allows/);
    },
  });
  assert.deepEqual(await protections(page), ['DS1->PS1']);
  assert.match(await page.locator('[data-server="DS1"]').textContent(), /primary/);
  assert.match(await page.locator('.dpm-table tbody').innerText(), /DS1 \(primary\)\s+PS1\s+-/);
  assert.equal(await status(page), 'Valid');
  await done(app, server.url);
});

test('click a palette item, then click the canvas: the server goes there', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await newDrawing(page);
  await page.click('[data-action="add-protected"]');
  assert.equal(await page.getAttribute('[data-action="add-protected"]', 'aria-pressed'), 'true');
  await page.mouse.click(600, 400);
  const c = await center(page, '[data-server="PS1"] .body');
  assert.ok(Math.abs(c.x - 600) < 25 && Math.abs(c.y - 400) < 25, JSON.stringify(c));
  await done(app, server.url);
});

test('touch: tap a palette item, then tap the canvas', async () => {
  const app = await openApp(server.browser, server.url, { hasTouch: true, isMobile: false });
  const { page } = app;
  await newDrawing(page);
  await page.tap('[data-action="add-dpm"]');
  await page.touchscreen.tap(500, 300);
  assert.deepEqual(await servers(page), ['DS1']);
  await done(app, server.url);
});

test('a second protection onto a protected server shows protected-twice on the canvas and in the panel; its finding selects both and names the one DPM refuses', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await connect(page, 'DS2', 'PS1', {
    whileHeld: async () => {
      assert.match(await page.locator('[data-server="PS1"]').getAttribute('class'), /cand-bad/);
      assert.equal(await page.locator('.connect-tip [data-rule]').first().getAttribute('data-rule'), 'protected-twice');
    },
  });
  // A breaking drop is still made; it then shows as a finding.
  assert.ok((await protections(page)).includes('DS2->PS1'));
  assert.ok(await page.locator('.canvas [data-rule="protected-twice"]').count() > 0);
  assert.equal(await page.locator('.findings-panel [data-rule="protected-twice"]').count(), 1);
  assert.equal(await status(page), '1 error');
  // The panel cites the documentation (for a protected server, the
  // sentence on protection agents, not the one on DPM servers); a click
  // selects what it is about.
  const cited = await page.locator('.findings-panel [data-rule="protected-twice"]').innerText();
  assert.match(cited, /prevents you from protecting data sources repeatedly/);
  assert.doesNotMatch(cited, /Each DPM server can only be protected once/);
  // It says which protection DPM would refuse: the one made second.
  const finding = page.locator('.findings-panel [data-rule="protected-twice"]');
  assert.match(await finding.innerText(), /DPM would refuse DS2 → PS1, made second; DS1 → PS1, made first, stays\./);
  // A click selects both protections, the refused one to act on.
  await page.click('.findings-panel [data-rule="protected-twice"] .finding-button');
  for (const p of ['DS1->PS1', 'DS2->PS1']) {
    assert.match(await page.locator(`[data-protection="${p}"]`).getAttribute('class'), /\bselected\b/, `${p} is selected`);
  }
  assert.equal(await page.locator('.protection-group.selected').count(), 2, 'no other protection is selected');
  assert.match(await page.locator('.properties-panel').innerText(), /DS2/);
  await screenshot(page, 'editor-protected-twice');
  // Delete removes the refused one; the one DPM keeps stays.
  await page.keyboard.press('Delete');
  const left = await protections(page);
  assert.ok(!left.includes('DS2->PS1') && left.includes('DS1->PS1'), left.join(' '));
  assert.equal(await status(page), 'Valid');
  // Selecting something else drops the finding's selection.
  await page.keyboard.press('Control+z');
  await page.click('.findings-panel [data-rule="protected-twice"] .finding-button');
  await page.click('[data-server="PS4"] .body');
  assert.equal(await page.locator('.protection-group.selected').count(), 0);
  // ... for good: a later click on the refused arrow selects it alone.
  await page.locator('[data-protection="DS2->PS1"] .hit').click({ force: true });
  await page.waitForSelector('[data-protection="DS2->PS1"].selected');
  await page.waitForTimeout(100);
  assert.equal(await page.locator('.protection-group.selected').count(), 1, 'the other stays unselected');
  // Even right after the finding's selection.
  await page.click('.findings-panel [data-rule="protected-twice"] .finding-button');
  await page.waitForFunction(() => document.querySelectorAll('.protection-group.selected').length === 2);
  await page.locator('[data-protection="DS2->PS1"] .hit').click({ force: true });
  await page.waitForFunction(() => document.querySelectorAll('.protection-group.selected').length === 1);
  await done(app, server.url);
});

test('undo and redo, by keys and buttons, for connect, move and delete', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const before = await protections(page);
  await connect(page, 'DS2', 'PS1');
  assert.equal(await status(page), '1 error');
  await page.keyboard.press('Control+z');
  assert.deepEqual(await protections(page), before);
  assert.equal(await status(page), 'Valid');
  await page.keyboard.press('Control+Shift+z');
  assert.ok((await protections(page)).includes('DS2->PS1'));
  await page.click('[data-action="undo"]');
  assert.deepEqual(await protections(page), before);
  await page.click('[data-action="redo"]');
  assert.ok((await protections(page)).includes('DS2->PS1'));
  // A move is one step.
  const at = await center(page, '[data-server="PS4"] .body');
  await drag(page, at, { x: at.x + 80, y: at.y + 60 });
  const moved = await center(page, '[data-server="PS4"] .body');
  assert.ok(moved.x > at.x + 50, 'the server moved');
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+z');
  const back = await center(page, '[data-server="PS4"] .body');
  assert.ok(Math.abs(back.x - at.x) < 2 && Math.abs(back.y - at.y) < 2, 'undo put it back');
  // Delete, then undo brings the server and its protections back.
  await page.click('[data-server="DS1"] .body');
  await page.keyboard.press('Delete');
  assert.ok(!(await servers(page)).includes('DS1'));
  assert.ok(!(await protections(page)).some((p) => p.includes('DS1')));
  await page.keyboard.press('Control+z');
  assert.ok((await servers(page)).includes('DS1'));
  assert.ok((await protections(page)).includes('DS1->PS1'));
  await done(app, server.url);
});

test('a selection dragged moves as one, the server pressed to the grid; Escape during a drag puts it all back and the release makes no edit', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const place = (n) => page.evaluate((n) => {
    const r = document.querySelector(`[data-server="${n}"] .body`).getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, n);
  // Snap off, PS4 nudged off the grid by a drag; Snap on again.
  await tool(page, 'snap');
  const ps4 = await place('PS4');
  await drag(page, ps4, { x: ps4.x + 7, y: ps4.y + 3 }, { steps: 4 });
  await tool(page, 'snap');
  await page.click('[data-server="PS1"] .body');
  await page.click('[data-server="PS4"] .body', { modifiers: ['Shift'] });
  const [a0, b0] = [await place('PS1'), await place('PS4')];
  // Dragged from PS1: PS4 keeps its place to it.
  await drag(page, a0, { x: a0.x + 53, y: a0.y + 31 }, { steps: 6 });
  const [a1, b1] = [await place('PS1'), await place('PS4')];
  assert.ok(a1.x > a0.x + 30, 'PS1 moved');
  assert.ok(Math.abs(b1.x - b0.x - (a1.x - a0.x)) < 0.5 && Math.abs(b1.y - b0.y - (a1.y - a0.y)) < 0.5, `PS4 moved as PS1 did: ${b1.x - b0.x} and ${a1.x - a0.x}`);
  await settled(page);
  const saved = () => page.evaluate(() => Object.fromEntries(JSON.parse(localStorage.getItem('dpm-sketch/drawing')).servers.map((s) => [s.name, [s.x, s.y]])));
  const after = await saved();
  assert.ok(after.PS1[0] % 20 === 0 && after.PS1[1] % 20 === 0, `PS1 on the grid: ${after.PS1}`);
  assert.ok(after.PS4[0] % 20 !== 0 || after.PS4[1] % 20 !== 0, `PS4 as far off the grid as before: ${after.PS4}`);
  // Escape during a drag: both back, the release drops nothing, no edit to undo.
  await page.mouse.move(a1.x, a1.y);
  await page.mouse.down();
  await page.mouse.move(a1.x + 90, a1.y + 40, { steps: 5 });
  assert.ok((await place('PS1')).x > a1.x + 60, 'dragged');
  await page.keyboard.press('Escape');
  await page.mouse.move(a1.x + 120, a1.y + 60, { steps: 3 });
  await page.mouse.up();
  const [a2, b2] = [await place('PS1'), await place('PS4')];
  const same = (p, q) => Math.abs(p.x - q.x) < 0.5 && Math.abs(p.y - q.y) < 0.5;
  assert.ok(same(a2, a1) && same(b2, b1), 'Escape put them back');
  assert.equal(await page.locator('svg.drag-layer').count(), 0, 'no drag layer left');
  assert.equal(await page.locator('[data-server].selected').count(), 2, 'the selection stays');
  await settled(page);
  assert.deepEqual(await saved(), after, 'nothing saved');
  // The last edit is still the drag: an undo takes it back.
  await page.keyboard.press('Control+z');
  const a3 = await place('PS1');
  assert.ok(Math.abs(a3.x - a0.x) < 0.5 && Math.abs(a3.y - a0.y) < 0.5, 'undo took the drag back');
  await done(app, server.url);
});

test('reload restores the drawing, positions included', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await paletteDrop(page, 'add-dpm', { x: 820, y: 180 });
  assert.ok((await servers(page)).includes('DS5'));
  await connect(page, 'DS5', 'PS4');
  const at = await page.getAttribute('[data-server="DS5"]', 'transform');
  await page.reload();
  await page.waitForSelector('[data-server="DS5"]');
  assert.ok((await protections(page)).includes('DS5->PS4'));
  // Where it was put, in the drawing's own coordinates.
  assert.equal(await page.getAttribute('[data-server="DS5"]', 'transform'), at);
  // PS4 already had DS2: the finding comes back with the drawing.
  assert.equal(await status(page), '1 error');
  await done(app, server.url);
});

test('Snap turned off stays off after a reload, and on again when turned on', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const snap = () => page.getAttribute('[data-action="snap"]', 'aria-pressed');
  assert.equal(await snap(), 'true', 'on at first');
  await tool(page, 'snap');
  assert.equal(await snap(), 'false');
  await page.reload();
  await page.waitForSelector('[data-server]');
  assert.equal(await snap(), 'false', 'still off after a reload');
  await tool(page, 'snap');
  await page.reload();
  await page.waitForSelector('[data-server]');
  assert.equal(await snap(), 'true', 'on again');
  await done(app, server.url);
});

test('many edits undone to the first drawing and redone to the last, exactly; each saved once the drawing rests, and a reload at once keeps the last', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const saved = async () => {
    await page.waitForFunction(() => localStorage.getItem('dpm-sketch/drawing'));
    await settled(page);
    return page.evaluate(() => localStorage.getItem('dpm-sketch/drawing'));
  };
  const first = await saved();
  assert.ok(first, 'the first drawing is saved');
  // Edits of every kind undo keeps: moves, a delete (with its
  // protections), a protection drawn, servers pasted (with theirs).
  let steps = 0;
  await page.click('[data-server="PS4"] .body');
  for (const k of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'Shift+ArrowLeft', 'ArrowUp', 'ArrowRight']) {
    await page.keyboard.press(k);
    steps++;
  }
  await page.click('[data-server="DS1"] .body');
  await page.keyboard.press('Delete');
  steps++;
  await connect(page, 'DS2', 'PS1');
  steps++;
  await page.click('[data-server="DS3"] .body');
  await page.click('[data-server="PS3"] .body', { modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  steps++;
  for (const k of ['ArrowDown', 'ArrowDown', 'Shift+ArrowRight']) {
    await page.keyboard.press(k);
    steps++;
  }
  const last = await saved();
  const lastServers = await servers(page);
  assert.notEqual(last, first);
  assert.ok(!lastServers.includes('DS1') && lastServers.includes('DS5'));
  // A burst of edits is one write, not one a step.
  await page.evaluate(() => {
    window.writes = 0;
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (k === 'dpm-sketch/drawing') window.writes++;
      return set.call(this, k, v);
    };
  });
  for (let i = 0; i < steps; i++) await page.keyboard.press('Control+z');
  assert.equal(await saved(), first, 'every step undone: the first drawing, exactly');
  // Once after the burst (twice if the machine paused between keys).
  const writes = await page.evaluate(() => window.writes);
  assert.ok(writes >= 1 && writes < steps / 2, `the undos saved ${writes} times, not once a step`);
  assert.ok(await page.locator('[data-action="undo"]').isDisabled(), 'nothing further to undo');
  for (let i = 0; i < steps; i++) await page.keyboard.press('Control+Shift+z');
  assert.equal(await saved(), last, 'every step redone: the last drawing, exactly');
  assert.deepEqual(await servers(page), lastServers);
  assert.ok(await page.locator('[data-action="redo"]').isDisabled(), 'nothing further to redo');
  // A reload at once after an edit, before the save's wait is over: the
  // page saves as it goes, and the reload shows the edit.
  await page.click('[data-server="PS4"] .body');
  const before = await page.getAttribute('[data-server="PS4"]', 'transform');
  await page.keyboard.press('Shift+ArrowDown');
  const moved = await page.getAttribute('[data-server="PS4"]', 'transform');
  assert.notEqual(moved, before);
  await page.reload();
  await page.waitForSelector('[data-server="PS4"]');
  assert.equal(await page.getAttribute('[data-server="PS4"]', 'transform'), moved);
  assert.deepEqual(await servers(page), lastServers);
  await done(app, server.url);
});

test('a protection made with the keyboard alone', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await newDrawing(page);
  // The palette's items are buttons: Enter adds a server in the view.
  await page.focus('[data-action="add-dpm"]');
  await page.keyboard.press('Enter');
  await page.focus('[data-action="add-protected"]');
  await page.keyboard.press('Enter');
  assert.deepEqual(await servers(page), ['DS1', 'PS1']);
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-server'));
  const tabTo = async (name) => {
    for (let i = 0; i < 60 && (await focused()) !== name; i++) await page.keyboard.press('Tab');
    assert.equal(await focused(), name);
  };
  await tabTo('DS1');
  await page.keyboard.press('c');
  assert.match(await page.locator('.connect-tip').innerText(), /Tab to a server/);
  // The first visit's hint steps aside while the instruction shows.
  assert.equal(await page.locator('.first-hint').isVisible(), false, 'no hint under the instruction');
  await tabTo('PS1');
  assert.match(await page.locator('[data-server="PS1"]').getAttribute('class'), /cand-ok/);
  // While drawing, Tab goes round the servers, not out to a button that
  // Enter would press; Shift+Tab goes back round.
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'DS1');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'PS1');
  await page.keyboard.press('Enter');
  assert.deepEqual(await protections(page), ['DS1->PS1']);
  // Escape cancels a protection started with the keyboard, and the keys
  // go back from the server Tab reached to the one it was from.
  await tabTo('DS1');
  await page.keyboard.press('c');
  await tabTo('PS1');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.connect-tip').count(), 0);
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-server') === 'DS1');
  // Enter opens the properties with the name ready to change.
  await tabTo('DS1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.closest('.properties-panel'));
  await page.keyboard.type('Backup1');
  await page.keyboard.press('Enter');
  assert.deepEqual(await servers(page), ['Backup1', 'PS1']);
  await done(app, server.url);
});

test('a server reached by Tab is brought clear of the first-visit hint; one clicked is not moved', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const hint = page.locator('.first-hint');
  await hint.waitFor();
  // Pan the drawing down until PS1 sits under the hint.
  const col = await page.locator('.canvas-col').boundingBox();
  const h = await hint.boundingBox();
  const b = await page.locator('[data-server="PS1"] .body').boundingBox();
  const from = await emptySpot(page, col, [0.9, 0.8, 0.7], [0.3, 0.2, 0.4]);
  assert.ok(from, 'some canvas is empty');
  await drag(page, from, { x: from.x + (h.x + 40 - b.x), y: from.y + (h.y - 20 - b.y) });
  const under = (r) => r.x < h.x + h.width && r.x + r.width > h.x && r.y + r.height > h.y;
  assert.ok(under(await page.locator('[data-server="PS1"] .body').boundingBox()), 'PS1 under the hint');
  // A click on its visible part gives it the keys where it is.
  const at = await page.locator('[data-server="PS1"] .body').boundingBox();
  await page.mouse.click(at.x + at.width / 2, h.y - 10);
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-server') === 'PS1');
  const now = await page.locator('[data-server="PS1"] .body').boundingBox();
  // (Selected, its outline is wider: its centre is compared.)
  const mid = (r) => [r.x + r.width / 2, r.y + r.height / 2];
  assert.ok(mid(now).every((v, i) => Math.abs(v - mid(at)[i]) < 1), 'a click moves nothing');
  // Tab away and back: the keyboard's focus is panned clear of the hint.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-server') === 'PS1');
  await page.waitForFunction(
    (top) => document.querySelector('[data-server="PS1"] .body').getBoundingClientRect().bottom <= top,
    h.y,
  );
  // Off the canvas to the left at the hint's height: brought in across
  // and then above the hint it would land on (the hint was judged where
  // the server had been, beside nothing, and it landed under it).
  const c = await page.locator('svg.canvas').boundingBox();
  const b2 = await page.locator('[data-server="PS1"] .body').boundingBox();
  const from2 = await emptySpot(page, col, [0.9, 0.8, 0.7], [0.2, 0.3, 0.4]);
  assert.ok(from2, 'some canvas is empty');
  await drag(page, from2, { x: from2.x + (c.x - b2.width - 30 - b2.x), y: from2.y + (h.y + 10 - b2.y) });
  // The keys to it as the keyboard gives them (the other servers on the
  // way would each be brought clear first).
  await page.keyboard.press('Shift');
  await page.locator('[data-server="PS1"]').focus();
  assert.ok(await page.evaluate(() => document.activeElement?.matches(':focus-visible')));
  await page.waitForFunction(
    ([top, left]) => {
      const r = document.querySelector('[data-server="PS1"] .body').getBoundingClientRect();
      return r.bottom <= top && r.left >= left;
    },
    [h.y, c.x],
  );
  // The view panned; the column itself never scrolls under its overlays.
  const col2 = await page.evaluate(() => {
    const e = document.querySelector('.canvas-col');
    return e.scrollTop + e.scrollLeft;
  });
  assert.equal(col2, 0, 'the canvas column is not scrolled');
  await done(app, server.url);
});

test('rename refuses empty and duplicate names with a clear message', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.dblclick('[data-server="DS1"] .body');
  const name = page.locator('.properties-panel input[type="text"]').first();
  // The double-click puts the cursor in the name, the name selected: a
  // letter typed replaces it and runs no shortcut (M would open the minimap).
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-fact') === 'name');
  await page.keyboard.type('M');
  assert.equal(await name.inputValue(), 'M');
  assert.equal(await page.locator('.minimap').count(), 0, 'typing opened no minimap');
  await name.fill('ds2');
  await name.press('Enter');
  assert.match(await page.locator('#name-error').innerText(), /DS2/);
  assert.ok((await servers(page)).includes('DS1'));
  await name.fill('   ');
  await name.press('Enter');
  assert.match(await page.locator('#name-error').innerText(), /needs a name/);
  await name.fill('Tokyo-DPM');
  await name.press('Enter');
  assert.ok((await servers(page)).includes('Tokyo-DPM'));
  assert.ok((await protections(page)).includes('Tokyo-DPM->PS1'));
  await done(app, server.url);
});

test('every fact in the properties panel; facts change the findings', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.click('[data-server="DS1"] .body');
  const panel = page.locator('.properties-panel');
  await panel.locator('select').nth(1).selectOption('2019');
  await panel.locator('select').nth(2).selectOption('stopped');
  assert.equal(await page.locator('.findings-panel [data-rule="vss-writer-stopped"]').count(), 1);
  await page.click('[data-server="DS3"] .body');
  await panel.locator('select').nth(1).selectOption('2022');
  assert.equal(await page.locator('.findings-panel [data-rule="version-mismatch"]').count(), 1);
  await page.click('[data-server="PS1"] .body');
  await panel.getByLabel('VMware').check();
  assert.equal(await page.locator('.findings-panel [data-rule="not-copied-to-secondary"]').count(), 1);
  await page.click('[data-server="DS3"] .body');
  await panel.getByLabel('Microsoft Azure Backup Server (MABS)').check();
  assert.ok(await page.locator('.findings-panel [data-rule="mabs-no-secondary"]').count() >= 1);
  // A protection's fact: switched.
  await page.click('[data-action="undo"]');
  await page.locator('[data-protection="DS1->PS1"] .hit').click({ force: true });
  await panel.getByLabel(/Switched protection/).check();
  assert.match(await page.locator('[data-protection="DS1->PS1"] .protection').getAttribute('class'), /switched/);
  assert.equal(await page.locator('.findings-panel [data-rule="switched-no-secondary"]').count(), 1);
  await done(app, server.url);
});

test('copy and paste: fresh names, the protections among them kept; box select', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.click('[data-server="DS1"] .body');
  await page.click('[data-server="PS1"] .body', { modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  assert.ok((await servers(page)).includes('DS5'));
  assert.ok((await servers(page)).includes('PS5'));
  assert.ok((await protections(page)).includes('DS5->PS5'));
  assert.equal((await servers(page)).length, 10);
  // Shift-drag on the background selects what the box covers.
  await page.keyboard.press('Escape');
  const a = await center(page, '[data-server="PS3"] .body');
  const b = await center(page, '[data-server="PS4"] .body');
  await page.keyboard.down('Shift');
  await drag(page, { x: a.x - 80, y: a.y - 40 }, { x: b.x + 80, y: b.y + 40 });
  await page.keyboard.up('Shift');
  assert.equal(await page.locator('.server.selected').count(), 2);
  await page.keyboard.press('Backspace');
  assert.ok(!(await servers(page)).includes('PS4'));
  assert.ok((await servers(page)).includes('PS1'));
  await done(app, server.url);
});

test('each preset loads laid out, with a screenshot kept', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const expected = { 'scenario-1': 8, 'scenario-2': 8, 'scenario-3': 7, moving: 5 };
  // The documentation names Scenarios 1 and 2 alike: the menu tells them
  // apart.
  const labels = await page.locator('[data-action="preset"] option[value]:not([value=""])').allInnerTexts();
  assert.equal(labels.length, 4);
  assert.equal(new Set(labels.map((l) => l.replace(/^Scenario \d: /, ''))).size, 4, labels.join(' | '));
  for (const [id, n] of Object.entries(expected)) {
    await page.selectOption('[data-action="preset"]', id);
    await page.waitForFunction((k) => document.querySelectorAll('[data-server]').length === k, n);
    await page.waitForTimeout(150);
    // Fitted: every server is inside the canvas.
    const box = await page.locator('.canvas').boundingBox();
    for (const name of await servers(page)) {
      const c = await center(page, `[data-server="${name}"] .body`);
      assert.ok(c.x > box.x && c.x < box.x + box.width && c.y > box.y && c.y < box.y + box.height, `${id}: ${name} in view`);
    }
    assert.equal(await status(page), 'Valid', id);
    await screenshot(page, `preset-${id}`);
  }
  // Loading a preset says so, and is one undoable step.
  assert.match(
    await page.getByTestId('notice').innerText(),
    /^Opened the preset “Moving protected servers”\. Your drawing is one Undo away\./,
  );
  assert.equal(await page.locator('[data-action="notice-undo"]').count(), 1);
  await page.keyboard.press('Control+z');
  assert.equal((await servers(page)).length, 7);
  await done(app, server.url);
});

test('dark theme, phone width, and #generate=1000', async () => {
  const app = await openApp(server.browser, server.url, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const { page } = app;
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(17, 22, 29)');
  await screenshot(page, 'phone-dark');
  await tool(page, 'theme');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await page.goto(server.url + '#generate=1000');
  // Zoomed out on 1,000 servers the drawing is painted (a few nodes only):
  // the estate is there once it is saved.
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('dpm-sketch/drawing') ?? '{}').servers?.length === 1000, null, { timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('canvas.ground.servers')?.width > 0);
  assert.equal(await status(page), 'Valid');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length === 8);
  await done(app, server.url);
});

test('the theme: its first press shows the other scheme than the system\'s, then the system\'s own, then follows the system again', async () => {
  const app = await openApp(server.browser, server.url, { colorScheme: 'light' });
  const { page } = app;
  const look = () => page.evaluate(() => [document.documentElement.dataset.theme ?? 'system', getComputedStyle(document.body).backgroundColor]);
  const [, light] = await look();
  const seen = [];
  for (let i = 0; i < 3; i++) {
    await tool(page, 'theme');
    seen.push(await look());
  }
  assert.deepEqual(seen.map((s) => s[0]), ['dark', 'light', 'system'], 'dark first on a light system, then light, then the system\'s');
  assert.notEqual(seen[0][1], light, 'the first press changes the background');
  assert.equal(seen[1][1], light);
  assert.equal(seen[2][1], light);
  await done(app, server.url);
});

test('a notice goes when what it says stops being true: another drawing opened, the step it offers to undo undone or followed by another', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const notice = page.getByTestId('notice');
  // An error about this drawing: C on a protected server.
  await page.locator('[data-server="PS1"]').focus();
  await page.keyboard.press('c');
  assert.match(await notice.innerText(), /Only a DPM server can protect/);
  // New opens another drawing: the error about the old one goes.
  await newDrawing(page);
  await notice.waitFor({ state: 'detached', timeout: 2000 });
  // A preset over it says so, with Undo; Ctrl+Z undoes it, and the offer goes.
  await page.selectOption('[data-action="preset"]', 'scenario-2');
  await page.waitForSelector('[data-server="DS4"]');
  assert.match(await notice.innerText(), /Opened the preset “Scenario 2: Chained protection”\. Your drawing is one Undo away\./);
  await screenshot(page, 'notice-preset-undo');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Control+z');
  await page.waitForSelector('[data-server]', { state: 'detached' });
  await notice.waitFor({ state: 'detached', timeout: 2000 });
  // An edit after the preset: "one Undo away" is no longer true (and the
  // notice's Undo would take back the edit), so the notice goes.
  await page.selectOption('[data-action="preset"]', 'scenario-1');
  await page.waitForSelector('[data-server="DS1"]');
  assert.match(await notice.innerText(), /Opened the preset “Scenario 1/);
  await page.click('[data-server="PS4"] .body');
  const x0 = (await page.locator('[data-server="PS4"] .body').boundingBox()).x;
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((x) => document.querySelector('[data-server="PS4"] .body').getBoundingClientRect().x > x, x0);
  await notice.waitFor({ state: 'detached', timeout: 2000 });
  await page.locator('[data-server="PS1"]').focus();
  await page.keyboard.press('c');
  assert.match(await notice.innerText(), /Only a DPM server/);
  await page.selectOption('[data-action="exercises"]', '1-scenario-1');
  await page.waitForSelector('[data-testid="task-panel"]');
  assert.doesNotMatch(await notice.innerText().catch(() => ''), /Only a DPM server/, 'opening an exercise ends it');
  await done(app, server.url);
});

test('a notice coming and going above the canvas leaves the drawing where it is on the page', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const notice = page.getByTestId('notice');
  const top = async () => (await page.locator('[data-server="DS1"] .body').boundingBox()).y;
  const frame = async () => (await page.locator('.canvas-col').boundingBox()).y;
  // (After the view's first fit has landed.)
  await settled(page);
  const [was, frameWas] = [await top(), await frame()];
  // C on a protected server: a notice, above the canvas.
  await page.locator('[data-server="PS1"]').focus();
  await page.keyboard.press('c');
  await notice.waitFor();
  await settled(page);
  assert.ok((await frame()) > frameWas + 20, 'the notice pushed the canvas down');
  assert.ok(Math.abs((await top()) - was) <= 1, `DS1 stayed put as the notice came (${was} -> ${await top()})`);
  // Dismissed: the canvas grows back up; the drawing does not move.
  await notice.locator('[data-action="dismiss"]').click();
  await notice.waitFor({ state: 'detached' });
  await settled(page);
  assert.ok(Math.abs((await frame()) - frameWas) <= 1, 'the canvas is back where it was');
  assert.ok(Math.abs((await top()) - was) <= 1, `DS1 stayed put as the notice went (${was} -> ${await top()})`);
  await done(app, server.url);
});

test('on a phone, a page scrolled and then resized (an on-screen keyboard) leaves the drawing where it is', async () => {
  const app = await openApp(server.browser, server.url, { viewport: { width: 390, height: 844 } });
  const { page } = app;
  const frames = () => page.evaluate(() => new Promise((ok) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(ok)), 150)));
  const onPage = () => page.evaluate(() => document.querySelector('[data-server="DS1"] .body').getBoundingClientRect().y + window.scrollY);
  await frames();
  const was = await onPage();
  await page.evaluate(() => window.scrollTo(0, 150));
  await frames();
  assert.equal(await page.evaluate(() => window.scrollY), 150, 'the page scrolls at phone width');
  await page.setViewportSize({ width: 390, height: 800 });
  await frames();
  assert.ok(Math.abs((await onPage()) - was) <= 1, `DS1 stayed put on the page (${was} -> ${await onPage()})`);
  await done(app, server.url);
});

test("a server's name tip stays inside the canvas: under its box at the top-left corner", async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const long = 'fileserver-with-a-long-name-07.branch-office.corp.example.com';
  await page.dblclick('[data-server="PS1"] .body');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-fact') === 'name');
  await page.keyboard.press('Control+a');
  await page.keyboard.type(long);
  await page.keyboard.press('Enter');
  const body = page.locator(`[data-server="${long}"] .body`);
  await body.waitFor();
  // The protection table with long names, with dots or without (DS3's, in
  // its first column): nothing spills out of the side column, and what is
  // wider scrolls sideways in the table's own box, its last column reached.
  await page.dblclick('[data-server="DS3"] .body');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-fact') === 'name');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('BackupServer-London01');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.dpm-table')?.textContent.includes('BackupServer-London01'));
  const fits = await page.locator('.dpm-table').evaluate((t) => {
    const side = t.closest('.table-panel').getBoundingClientRect();
    const box = t.parentElement;
    const inside = box.getBoundingClientRect().right <= side.right + 1;
    box.scrollLeft = box.scrollWidth;
    const last = t.querySelector('thead th:last-child').getBoundingClientRect();
    const reached = last.right <= box.getBoundingClientRect().right + 1;
    box.scrollLeft = 0;
    return { inside, reached, page: document.documentElement.scrollWidth <= window.innerWidth };
  });
  assert.deepEqual(fits, { inside: true, reached: true, page: true }, 'the protection table stays in its panel');
  // Pan the server into the canvas's top-left corner, from a spot of empty
  // canvas in its lower right.
  const col = await page.locator('.canvas-col').boundingBox();
  const b = await body.boundingBox();
  const from = await emptySpot(page, col, [0.95, 0.85, 0.75], [0.9, 0.8, 0.7]);
  assert.ok(from, 'some canvas is empty');
  await drag(page, from, { x: from.x + (col.x + 10 - b.x), y: from.y + (col.y + 10 - b.y) });
  await page.locator(`[data-server="${long}"]`).focus();
  const tip = page.locator('.name-tip');
  await tip.waitFor();
  const t = await tip.boundingBox();
  const at = await body.boundingBox();
  assert.ok(at.x < col.x + 30 && at.y < col.y + 30, `the server is in the corner: ${JSON.stringify(at)}`);
  assert.ok(t.x >= col.x && t.x + t.width <= col.x + col.width, `tip ${t.x}-${t.x + t.width} inside ${col.x}-${col.x + col.width}`);
  assert.ok(t.y >= at.y + at.height - 1, `tip under the box (${t.y} against ${at.y + at.height})`);
  assert.match(await tip.innerText(), /fileserver-with-a-long-name-07/);
  await screenshot(page, 'name-tip-in-corner');
  const whole = () => page.locator('.name-tip strong').evaluate((e) => e.scrollWidth <= e.clientWidth);
  assert.ok(await whole(), 'the name is whole in its tip');
  // At the right edge, half way down: inside, as wide, the name whole.
  const from2 = await emptySpot(page, col, [0.1, 0.3, 0.5], [0.9, 0.8, 0.7]);
  assert.ok(from2, 'some canvas is empty');
  const at2 = await body.boundingBox();
  await drag(page, from2, { x: from2.x + (col.x + col.width - 10 - (at2.x + at2.width)), y: from2.y + (col.y + col.height / 2 - at2.y) });
  await page.locator(`[data-server="${long}"]`).blur();
  await page.locator(`[data-server="${long}"]`).focus();
  await tip.waitFor();
  const r = await tip.boundingBox();
  assert.ok(r.x >= col.x && r.x + r.width <= col.x + col.width, `tip ${r.x}-${r.x + r.width} inside ${col.x}-${col.x + col.width}`);
  assert.ok(Math.abs(r.width - t.width) < 2, `as wide at the right edge (${r.width} px) as at the left (${t.width} px)`);
  assert.ok(await whole(), 'the name is whole in its tip at the right edge');
  // Zoomed in around the canvas's middle, its focus kept, the server goes
  // out of view on the right: no tip pinned to the edge for it.
  for (let i = 0; i < 4; i++) await page.keyboard.press('+');
  await page.waitForFunction((l) => {
    const b = document.querySelector(`[data-server="${CSS.escape(l)}"] .body`)?.getBoundingClientRect();
    const c = document.querySelector('.canvas-col').getBoundingClientRect();
    return b && b.left + b.width / 2 > c.right;
  }, long);
  assert.ok(await page.evaluate((l) => document.activeElement?.getAttribute('data-server') === l, long), 'the server keeps the focus');
  await tip.waitFor({ state: 'detached', timeout: 2000 });
  await done(app, server.url);
});

test("a finding's tip stays inside the canvas: over its server near the bottom, clear of the left and right edges, as wide there", async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  // DS4 protecting PS1 too breaks a rule (DS3 protects it already).
  await connect(page, 'DS4', 'PS1');
  await page.waitForSelector('.badge.error');
  // Pan DS4 into the canvas's bottom-left corner.
  const col = await page.locator('.canvas-col').boundingBox();
  const ds4 = await page.locator('[data-server="DS4"] .body').boundingBox();
  const from = { x: col.x + col.width - 30, y: col.y + 30 };
  const by = { x: col.x + 12 - ds4.x, y: col.y + col.height - 24 - (ds4.y + ds4.height) };
  await drag(page, from, { x: from.x + by.x, y: from.y + by.y });
  await page.locator('[data-server="DS4"]').focus();
  const tip = page.locator('.finding-tip');
  await tip.waitFor();
  const t = await tip.boundingBox();
  const box = await page.locator('[data-server="DS4"] .body').boundingBox();
  assert.ok(box.x < col.x + 40 && box.y + box.height > col.y + col.height - 60, 'DS4 is in the corner');
  assert.ok(t.x >= col.x && t.x + t.width <= col.x + col.width, `tip ${t.x}-${t.x + t.width} inside ${col.x}-${col.x + col.width}`);
  assert.ok(t.y >= col.y && t.y + t.height <= box.y + 1, 'tip over the server, inside the canvas');
  await screenshot(page, 'tip-in-corner');
  const wide = t.width;
  assert.ok(wide > 300, `the tip is ${wide} px wide`);
  // At the right edge: inside, and as wide as anywhere else.
  const at = await page.locator('[data-server="DS4"] .body').boundingBox();
  // From a spot of empty canvas (the servers moved).
  const from2 = await emptySpot(page, col, [0.1, 0.3, 0.5, 0.7], [0.1, 0.3, 0.5]);
  assert.ok(from2, 'some canvas is empty');
  await drag(page, from2, { x: from2.x + (col.x + col.width - 12 - (at.x + at.width)), y: from2.y });
  await page.locator('[data-server="DS4"]').blur();
  await page.locator('[data-server="DS4"]').focus();
  await tip.waitFor();
  const r = await tip.boundingBox();
  assert.ok(r.x >= col.x && r.x + r.width <= col.x + col.width, `tip ${r.x}-${r.x + r.width} inside ${col.x}-${col.x + col.width}`);
  assert.ok(Math.abs(r.width - wide) < 2, `as wide at the right edge (${r.width} px) as at the left (${wide} px)`);
  await done(app, server.url);
});

test('the Problems panel quotes the documentation once for each rule, on its first finding, whichever that is after an edit', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.goto(server.url + '#generate=200');
  const rows = () =>
    page.$$eval('.findings-panel .finding', (els) =>
      els.map((e) => `${e.dataset.rule} ${e.querySelector('.finding-servers').textContent} ${e.querySelectorAll('.finding-source').length}`),
    );
  await page.waitForFunction(() => document.querySelectorAll('.findings-panel [data-rule="single-copy-dpm"]').length === 2);
  assert.deepEqual(await rows(), ['single-copy-dpm DS1 1', 'single-copy-dpm DS2 0']);
  assert.match(await page.locator('.findings-panel .finding-source').innerText(), /The database and replicas stored on a primary DPM server/);
  // DS1 deleted: DS2's finding is the rule's first now, and quotes it.
  await page.keyboard.press('/');
  await page.keyboard.type('DS1');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-server="DS1"].selected');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.activeElement?.tagName !== 'INPUT');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => document.querySelector('.findings-panel .finding .finding-servers')?.textContent === 'DS2');
  // (The DPM servers whose databases DS1 protected have no copy now.)
  const after = await rows();
  assert.equal(after[0], 'single-copy-dpm DS2 1');
  assert.ok(after.length > 1 && after.slice(1).every((r) => r.endsWith(' 0')), after.join('\n'));
  await done(app, server.url);
});

test('undoing an opened drawing shows the whole drawing it replaced, and redoing shows the whole of the one opened', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const zoom = () => page.evaluate(() => parseFloat(document.querySelector('.zoom-level').textContent));
  const count = (n) => page.waitForFunction((n) => document.querySelectorAll('[data-server]').length === n || (n > 100 && document.querySelector('svg.canvas.far')), n);
  const fitted = await zoom();
  await page.goto(server.url + '#generate=1000');
  await count(1000);
  await page.waitForFunction((z) => parseFloat(document.querySelector('.zoom-level').textContent) < z / 2, fitted);
  const estate = await zoom();
  await page.locator('svg.canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await count(8);
  // Scenario 1 back, fitted as it was: not eight dots at the estate's zoom.
  await page.waitForFunction((z) => parseFloat(document.querySelector('.zoom-level').textContent) === z, fitted, { timeout: 5000 })
    .catch(async () => assert.equal(await zoom(), fitted, 'the drawing brought back is fitted'));
  await page.keyboard.press('Control+Shift+z');
  await count(1000);
  // Fitted again: at the estate's zoom, not Scenario 1's; Fit changes
  // nothing (the notice above the canvas may have changed its height).
  await page.waitForFunction((z) => parseFloat(document.querySelector('.zoom-level').textContent) < z / 2, fitted);
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const again = await zoom();
  assert.ok(Math.abs(again - estate) <= estate * 0.2, `${again} % against ${estate} % when opened`);
  await page.click('[data-action="fit"]');
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  assert.equal(await zoom(), again, 'the estate opened again is fitted');
  // As when it was opened: nothing selected (it shares Scenario 1's ids).
  assert.doesNotMatch(await page.locator('.properties-panel').innerText(), /selected/);
  assert.equal(await page.locator('[data-server].selected').count(), 0);
  await done(app, server.url);
});

test('undoing and redoing Layout shows the whole drawing each brings back, as Layout did', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const zoom = () => page.evaluate(() => parseFloat(document.querySelector('.zoom-level').textContent));
  // Fitted now: Fit changes nothing (read after it settles).
  const fittedNow = async (what) => {
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const z = await zoom();
    await page.click('[data-action="fit"]');
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    assert.equal(await zoom(), z, `${what}: the drawing fitted (Fit changed the zoom)`);
  };
  // DS1 far to the right, then Layout brings it back.
  await page.locator('[data-server="DS1"]').click();
  for (let i = 0; i < 12; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.click('[data-action="layout"]');
  await fittedNow('after Layout');
  // Zoomed in, then undone: DS1 far off again, the whole drawing shown.
  await page.click('[data-action="zoom-in"]');
  await page.click('[data-action="zoom-in"]');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z');
  await fittedNow('after its undo');
  await page.click('[data-action="zoom-in"]');
  await page.keyboard.press('Control+Shift+z');
  await fittedNow('after its redo');
  await done(app, server.url);
});
