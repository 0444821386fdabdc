// Arrows never pass over a server they do not connect (issue 22, item 1):
// a drawing whose arrow runs through a third server reads as a chain that
// does not exist. Held for every preset, after applying every supported
// recovery option, after a drag drops a server onto an arrow, while an
// option plays and in the presenter. The arrows are measured on screen
// (harness.arrowsOverServers samples each path every 4 pixels).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, screenshot, arrowsOverServers, center, drag } from './harness.mjs';

const server = suite();

const presets = (page) =>
  page.$$eval('[data-action="preset"] option', (os) => os.map((o) => o.value).filter(Boolean));

test('every preset, and after applying every supported option of every failure', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  let applied = 0;
  for (const preset of await presets(page)) {
    await page.selectOption('[data-action="preset"]', preset);
    await page.waitForTimeout(600);
    assert.deepEqual(await arrowsOverServers(page), [], `${preset} as loaded`);
    const names = await page.$$eval('.canvas [data-server]', (e) => e.map((g) => g.getAttribute('data-server')));
    for (const name of names) {
      await page.selectOption('[data-action="preset"]', preset);
      await page.click('[data-action="simulate"]');
      await page.click(`.canvas [data-server="${name}"] .body`);
      const options = await page.$$eval('[data-option]', (els) =>
        els.filter((e) => e.querySelector('[data-action="apply"]:not([disabled])')).map((e) => e.getAttribute('data-option')));
      for (const option of [...new Set(options)]) {
        await page.click(`[data-option="${option}"] [data-action="apply"]:not([disabled]) >> nth=0`);
        // The glide to the new drawing takes under half a second.
        await page.waitForTimeout(600);
        assert.deepEqual(await arrowsOverServers(page), [], `${preset}: ${name} fails, ${option} applied`);
        applied++;
        if (preset === 'scenario-1' && name === 'DS1' && option === 'switch-protection DS3') {
          // Before routing, DS3->PS1 ran straight through the failed DS1.
          assert.match(await page.getAttribute('[data-protection="DS3->PS1"] path.protection', 'd'), /Q/);
          await screenshot(page, 'routing-after-apply');
        }
        // The preset again, the same server failed, for the next option.
        await page.selectOption('[data-action="preset"]', preset);
        await page.click('[data-action="simulate"]');
        await page.click(`.canvas [data-server="${name}"] .body`);
      }
      await page.click('[data-action="simulate"]');
    }
  }
  assert.ok(applied >= 20, `only ${applied} options applied`);
  await done(app, server.url);
});

test('a server dropped onto an arrow: the arrow goes around it', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-1');
  await page.waitForTimeout(600);
  const arrow = '[data-protection="DS3->DS1"] path.protection';
  const before = await page.getAttribute(arrow, 'd');
  assert.doesNotMatch(before, /Q/, 'straight while nothing is in its way');
  // PS4 dropped on the middle of the arrow from DS3 to DS1.
  const mid = await page.$eval(arrow, (p) => {
    const q = p.getPointAtLength(p.getTotalLength() / 2).matrixTransform(p.getScreenCTM());
    return { x: q.x, y: q.y };
  });
  await drag(page, await center(page, '[data-server="PS4"] .body'), mid, { steps: 16 });
  await page.waitForTimeout(300);
  assert.deepEqual(await arrowsOverServers(page), [], 'after the drop');
  assert.match(await page.getAttribute(arrow, 'd'), /Q/, 'routed around PS4');
  await screenshot(page, 'routing-after-drag');
  // Undo puts PS4 back, and the arrow straight again.
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(600);
  assert.equal(await page.getAttribute(arrow, 'd'), before);
  await done(app, server.url);
});

test('while an option plays, and in the presenter', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-1');
  await page.click('[data-action="simulate"]');
  await page.click('.canvas [data-server="DS1"] .body');
  await page.click('[data-option="switch-protection DS3"] [data-action="play"]');
  for (let i = 0; i < 12; i++) {
    await page.waitForTimeout(500);
    assert.deepEqual(await arrowsOverServers(page), [], `player, step ${i + 1}`);
    const fwd = page.locator('[data-action="step-forward"]');
    if (await fwd.isDisabled()) break;
    await fwd.click();
  }
  assert.match(await page.getAttribute('[data-protection="DS3->PS1"] path.protection', 'd'), /Q/);
  await page.click('[data-action="present"]');
  await page.waitForSelector('[data-testid="presenter"]');
  // Every scene: the drawings, each failure and each option's result.
  const count = Number((await page.locator('.presenter-bar, [data-testid="presenter"]').first().innerText()).match(/\d+ \/ (\d+)/)[1]);
  for (let i = 1; i <= count; i++) {
    await page.waitForTimeout(600);
    assert.deepEqual(await arrowsOverServers(page), [], `presenter, scene ${i} of ${count}`);
    // However tall the scene's caption makes the bar (or wide, beside
    // the drawing when it holds a table), no server is under it.
    const hidden = await page.evaluate(() => {
      const bar = document.querySelector('.presenter-bar').getBoundingClientRect();
      return [...document.querySelectorAll('.canvas [data-server]')]
        .filter((g) => {
          const b = g.querySelector('.body').getBoundingClientRect();
          return b.bottom > bar.top + 1 && b.right > bar.left + 1 && b.top < bar.bottom - 1 && b.left < bar.right - 1;
        })
        .map((g) => g.getAttribute('data-server'));
    });
    assert.deepEqual(hidden, [], `presenter, scene ${i}: servers under the bar`);
    if (i === 3) await screenshot(page, 'routing-presenter');
    await page.click('[data-action="scene-next"]');
  }
  await done(app, server.url);
});

// A box moved changes the routes it comes near, and also some it changes
// from afar: the clearance kept around a box it stands next to, a route
// the search tried on its way. The canvas routes again every arrow whose
// footprint (what its route was found from) a move touches, so what it
// draws after any moves is what a reload draws. An arrow whose route is
// still clear waits until the move's frames are drawn; one the moved box
// now stands over is routed with the move, so no frame draws an arrow
// over a server. #generate=30 stands in bands, one DPM server's each:
// DS2's arrows to DS4 and DS5 go around DS3 and DS4, which the keys move.
test('after servers move, every arrow is the one a reload draws', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=30', viewport: { width: 1600, height: 1000 } });
  const { page } = app;
  // Zoomed in past the far view, where arrows are routed.
  const zoomIn = async () => {
    await page.waitForTimeout(600);
    await page.click('[data-action="zoom-in"]');
    await page.waitForTimeout(600);
  };
  await zoomIn();
  const arrows = () =>
    page.$$eval('.canvas [data-protection] path.protection', (ps) =>
      ps.map((p) => `${p.closest('[data-protection]').getAttribute('data-protection')} ${p.getAttribute('d')}`).sort());
  const start = await arrows();
  assert.equal(start.length, 29);
  const routed = (list, name) => list.find((a) => a.startsWith(`${name} `) && /Q/.test(a));
  assert.ok(routed(start, 'DS2->DS4') && routed(start, 'DS2->DS5'), 'arrows are routed');
  const moves = [
    ['DS3', ['ArrowLeft', 'ArrowLeft', 'ArrowDown', 'Shift+ArrowRight', 'Shift+ArrowRight']],
    ['DS4', ['Shift+ArrowLeft', 'ArrowUp', 'Shift+ArrowRight', 'Shift+ArrowRight']],
  ];
  for (const [name, keys] of moves) {
    await page.click(`.canvas [data-server="${name}"] .body`);
    for (const key of keys) {
      await page.keyboard.press(key);
      assert.deepEqual(await arrowsOverServers(page), [], `right after ${name} ${key}`);
      await page.waitForTimeout(80);
    }
  }
  await page.waitForTimeout(1200);
  const moved = await arrows();
  assert.notEqual(routed(moved, 'DS2->DS5'), routed(start, 'DS2->DS5'), 'the moves routed DS2->DS5 otherwise');
  await screenshot(page, 'routing-after-moves');
  await page.reload();
  await page.waitForSelector('[data-server="DS2"]');
  await zoomIn();
  const reloaded = await arrows();
  assert.deepEqual(moved.filter((a) => !reloaded.includes(a)), [], 'drawn on the canvas, not after a reload');
  assert.deepEqual(moved, reloaded);
  await done(app, server.url);
});

// A server dropped over another: the arrows of the two still go around
// every other server (before, finding no way out from under the other
// box, they ran straight over them). Only the two overlapping servers may
// be under an arrow of one of them.
test('servers dropped over others: their arrows go around the rest', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  for (const [s, t] of [['DS3', 'PS1'], ['DS1', 'DS4']]) {
    await page.selectOption('[data-action="preset"]', 'scenario-2');
    await page.waitForTimeout(400);
    const to = await center(page, `.canvas [data-server="${t}"] .body`);
    await drag(page, await center(page, `.canvas [data-server="${s}"] .body`), { x: to.x + 14, y: to.y + 8 }, { steps: 8 });
    await page.waitForTimeout(300);
    const over = await arrowsOverServers(page);
    const pair = [s, t];
    const elsewhere = over.filter((o) => {
      const [arrow, under] = o.split(' over ');
      return !(pair.includes(under) && arrow.split('->').some((n) => pair.includes(n)));
    });
    assert.deepEqual(elsewhere, [], `${s} dropped over ${t}`);
    // The server dropped is drawn over the other, where it was dropped,
    // whichever comes first in the drawing (DS3 after PS1, DS1 before DS4).
    const top = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('[data-server]')?.getAttribute('data-server'), [to.x + 14, to.y + 8]);
    assert.equal(top, s, `${s} dropped over ${t} is drawn under it`);
  }
  // Opened again, the drawing is drawn in its own order (DS1 before DS4):
  // what was dropped in the last one is no longer raised.
  const order = () => page.$$eval('svg.canvas .servers [data-server]', (gs) => gs.map((g) => g.getAttribute('data-server')));
  assert.ok((await order()).indexOf('DS1') > (await order()).indexOf('DS4'), 'DS1 raised over DS4');
  await page.selectOption('[data-action="preset"]', 'scenario-2');
  await page.waitForFunction(() => {
    const o = [...document.querySelectorAll('svg.canvas .servers [data-server]')].map((g) => g.getAttribute('data-server'));
    return o.indexOf('DS1') >= 0 && o.indexOf('DS1') < o.indexOf('DS4');
  }, null, { timeout: 5000 }).catch(() => {});
  assert.ok((await order()).indexOf('DS1') < (await order()).indexOf('DS4'), 'DS1 no longer raised');
  await done(app, server.url);
});
