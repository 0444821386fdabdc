// Large estates (issue 14): only what is in view is drawn, a simpler
// drawing when zoomed out, and the whole estate still checked. Speed itself
// is measured by ./dev bench, never asserted here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, status, screenshot, settled } from './harness.mjs';

const server = suite();
const drawn = (page) => page.locator('[data-server]').count();
const far = (page) => page.evaluate(() => document.querySelector('svg.canvas').classList.contains('far'));

test('a 480-server estate: zoomed out it draws shapes only; zoomed in only what is in view', async () => {
  // (Past the 300 drawn whole, and up to the 500 that zoomed out are still
  // a node each: more are painted, as the 3,000-server tests show.)
  const app = await openApp(server.browser, server.url, { path: '#generate=480' });
  const { page } = app;
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length > 0);
  // Fitted: everything is in view, drawn without names or arrowheads.
  assert.equal(await drawn(page), 480);
  assert.ok(await far(page), 'zoomed out, the simpler drawing');
  // Zoomed out, a server is its shape: no name, no badge is made at all.
  const nameShown = () =>
    page.evaluate(() => {
      const name = document.querySelector('[data-server] .name');
      return !!name && getComputedStyle(name).display !== 'none';
    });
  assert.equal(await nameShown(), false);
  assert.equal(await page.locator('[data-server] .name').count(), 0);
  // The whole estate is checked, whatever is drawn.
  assert.equal(await status(page), 'Valid');

  // Zoomed in (the wheel, on the server nearest the centre: Fit shows the
  // whole estate, whose middle may be empty): names again, and far fewer
  // servers drawn.
  const near = await page.evaluate(() => {
    const c = document.querySelector('svg.canvas').getBoundingClientRect();
    let best = null;
    for (const el of document.querySelectorAll('[data-server] .body')) {
      const r = el.getBoundingClientRect();
      const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
      const d = (x - c.x - c.width / 2) ** 2 + (y - c.y - c.height / 2) ** 2;
      if (!best || d < best.d) best = { x, y, d };
    }
    return best;
  });
  await page.mouse.move(near.x, near.y);
  const zoomIn = async () => {
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(50);
  };
  for (let i = 0; i < 30 && (await far(page)); i++) await zoomIn();
  await zoomIn();
  assert.equal(await far(page), false);
  // Names show once they would be drawn at 11 px or more (issue 22, item 7).
  for (let i = 0; i < 12 && !(await nameShown()); i++) await zoomIn();
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length < 300);
  assert.equal(await nameShown(), true);
  const inView = await drawn(page);
  assert.ok(inView > 0 && inView < 300, `${inView} drawn of 480`);

  // A selected server stays drawn when the view pans away from it, and
  // servers further along come into the drawing.
  const picked = await page.evaluate(() => {
    const c = document.querySelector('svg.canvas').getBoundingClientRect();
    for (const el of document.querySelectorAll('[data-server]')) {
      const r = el.getBoundingClientRect();
      if (r.x > c.x && r.y > c.y && r.right < c.right && r.bottom < c.bottom) return el.getAttribute('data-server');
    }
    return null;
  });
  assert.ok(picked, 'a server fully in view');
  await page.click(`[data-server="${picked}"] .body`);
  const before = new Set(await page.locator('[data-server]').evaluateAll((es) => es.map((e) => e.getAttribute('data-server'))));
  const box = await page.locator('svg.canvas').boundingBox();
  // Pan by dragging the empty background up, several times (the estate
  // stands in bands, one under another).
  const empty = () =>
    page.evaluate(() => {
      const c = document.querySelector('svg.canvas').getBoundingClientRect();
      for (let y = c.bottom - 10; y > c.y + c.height / 2; y -= 9) {
        for (let x = c.x + 10; x < c.right; x += 9) {
          const e = document.elementFromPoint(x, y);
          if (e && e.closest('svg.canvas') && !e.closest('[data-server], .protection-group')) return { x, y };
        }
      }
      return null;
    });
  for (let i = 0; i < 4; i++) {
    const at = await empty();
    assert.ok(at, 'an empty spot to pan from');
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x, at.y - box.height / 2, { steps: 8 });
    await page.mouse.up();
  }
  await page.waitForFunction(
    (seen) => [...document.querySelectorAll('[data-server]')].some((e) => !seen.includes(e.getAttribute('data-server'))),
    [...before],
  );
  assert.equal(await page.locator(`[data-server="${picked}"]`).count(), 1, 'the selection is still drawn');
  await done(app, server.url);
});

test('a small drawing is drawn whole, every server reachable with Tab', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=200' });
  const { page } = app;
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length === 200);
  for (let i = 0; i < 8; i++) await page.click('[data-action="zoom-in"]');
  await page.waitForTimeout(100);
  assert.equal(await drawn(page), 200);
  await done(app, server.url);
});

test('find a server by name: / opens it, Enter centres and selects each match in turn', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=2000' });
  const { page } = app;
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length > 0);
  for (let i = 0; i < 14; i++) await page.click('[data-action="zoom-in"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length < 1000);
  await settled(page);
  // A server far from the view: the last one generated.
  const want = await page.evaluate(() =>
    JSON.parse(localStorage.getItem('dpm-sketch/drawing'))
      .servers.map((s) => s.name)
      .find((n) => /^PS/.test(n) && !document.querySelector(`[data-server="${n}"]`)),
  );
  assert.ok(want, 'a server not drawn now');
  await page.keyboard.press('/');
  const box = page.getByTestId('find').locator('input');
  await box.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Find a server by name');
  await page.keyboard.type(want.toLowerCase());
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-server="${want}"].selected`);
  assert.match(await page.getByTestId('find').innerText(), new RegExp(`1 of \\d+: ${want}`));
  // Its box is in view.
  const inView = await page.evaluate((n) => {
    const c = document.querySelector('svg.canvas').getBoundingClientRect();
    const r = document.querySelector(`[data-server="${n}"] .body`).getBoundingClientRect();
    return r.x >= c.x && r.right <= c.right && r.y >= c.y && r.bottom <= c.bottom;
  }, want);
  assert.ok(inView);
  // Escape closes the bar and gives the keys to the server found: C then
  // draws a protection from it (when it is a DPM server) or says why not.
  await page.keyboard.press('Escape');
  await page.waitForFunction((n) => document.activeElement?.getAttribute('data-server') === n, want, { timeout: 5000 })
    .catch(() => assert.fail('the keys are on the server found'));
  // Found from the whole estate in view (zoomed far out), its name shows:
  // a server found by name, not a nameless box.
  await page.click('[data-action="fit"]');
  await page.waitForFunction(() => document.querySelector('svg.canvas').classList.contains('far'));
  await page.keyboard.press('/');
  await box.fill(want);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelector(`[data-server="${n}"].selected .name`)?.getBoundingClientRect().width > 0, want, { timeout: 5000 })
    .catch(() => assert.fail('the name of the server found shows'));
  assert.equal(await page.evaluate(() => document.querySelector('svg.canvas').classList.contains('no-names')), false);
  // Nothing matching says so; Escape closes.
  await box.fill('no such server');
  await box.press('x');
  assert.match(await page.getByTestId('find').innerText(), /No server's name holds that/);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('find').isVisible(), false);
  await done(app, server.url);
});

test('minimap: shown for a large estate, its frame follows the view, a press moves the view there', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=2000' });
  const { page } = app;
  const map = page.getByTestId('minimap');
  await map.waitFor();
  assert.equal(await page.getAttribute('[data-action="minimap"]', 'aria-pressed'), 'true');
  // Read in one task: the frame's markup is written anew on each change of
  // the view, so a handle found in one call may be gone by the next (a
  // locator's boundingBox() then reads null).
  const rect = (sel) => page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, sel);
  const frame = () => rect('.minimap .mm-view');
  const fitted = await frame();
  // In to about half size (Fit shows the whole estate, however small).
  const zoom = () => page.evaluate(() => parseFloat(document.querySelector('.zoom-level').textContent));
  for (let i = 0; i < 24 && (await zoom()) < 46; i++) await page.click('[data-action="zoom-in"]');
  const zoomed = await frame();
  assert.ok(zoomed.width < fitted.width / 4, `the frame shrinks as the view zooms in (${fitted.width} -> ${zoomed.width})`);

  // A press on the drawing, 70 % across: the frame is centred there, and
  // the servers drawn are others.
  const before = await page.locator('[data-server]').evaluateAll((es) => es.map((e) => e.getAttribute('data-server')));
  // (The map spans the drawing and the view: a first press brings a view
  // that reached past the drawing's edge inside it, and the map rescales.)
  const seventy = async () => {
    const b = await rect('.minimap .mm-bounds');
    return [b, { x: b.x + b.width * 0.7, y: b.y + b.height * 0.5 }];
  };
  await page.mouse.click(...Object.values((await seventy())[1]));
  const [box, at] = await seventy();
  await page.mouse.click(at.x, at.y);
  const moved = await frame();
  assert.ok(Math.abs(moved.x + moved.width / 2 - at.x) < 4 && Math.abs(moved.y + moved.height / 2 - at.y) < 4,
    `frame centred on the press: ${JSON.stringify(moved)} vs ${JSON.stringify(at)}`);
  await page.waitForFunction(
    (seen) => [...document.querySelectorAll('[data-server]')].some((e) => !seen.includes(e.getAttribute('data-server'))),
    before,
  );
  // A drag on it keeps moving the view.
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, at.y, { steps: 6 });
  await page.mouse.up();
  const dragged = await frame();
  assert.ok(dragged.x < moved.x - box.width * 0.2, 'the frame followed the drag');

  // Zoomed in further, the frame is a few pixels: cross-hairs find it.
  // Fitted, it is its own marker again.
  for (let i = 0; i < 4; i++) await page.click('[data-action="zoom-in"]');
  await page.waitForSelector('.minimap .mm-cross', { state: 'attached', timeout: 5000 });
  // Fit lands on the next frame.
  await page.click('[data-action="fit"]');
  await page.waitForFunction(() => !document.querySelector('.minimap .mm-cross'), null, { timeout: 5000 });

  // M hides it, and the button says so.
  await page.locator('svg.canvas').focus();
  await page.keyboard.press('m');
  assert.equal(await map.count(), 0);
  assert.equal(await page.getAttribute('[data-action="minimap"]', 'aria-pressed'), 'false');
  await done(app, server.url);
});

test('minimap: off for a small drawing until asked for', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  assert.equal(await page.getByTestId('minimap').count(), 0);
  await page.click('[data-action="minimap"]');
  await page.getByTestId('minimap').waitFor();
  // The servers are painted on the map's canvas, DPM servers in their
  // colour (the fill the stylesheet gives .mm-dpm).
  const painted = await page.waitForFunction(() => {
    const c = document.querySelector('.minimap canvas.mm-shapes');
    const ink = getComputedStyle(document.querySelector('.minimap .mm-dpm')).fill.match(/\d+/g).map(Number);
    const d = c.width ? c.getContext('2d').getImageData(0, 0, c.width, c.height).data : [];
    let all = 0;
    let dpm = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      all++;
      if (d[i + 3] === 255 && [0, 1, 2].every((k) => Math.abs(d[i + k] - ink[k]) <= 2)) dpm++;
    }
    return dpm > 0 && { all, dpm };
  });
  const { all, dpm } = await painted.jsonValue();
  assert.ok(all > dpm, `protected servers painted too (${all} pixels painted, ${dpm} of them DPM servers')`);
  await done(app, server.url);
});

test('1,500 errors: drawn a window at a time, each reachable by scrolling', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const n = 1500;
  const names = Array.from({ length: n }, (_, i) => `P${i + 1}`);
  const table = [
    '| Server | Protecting | Protected by |',
    '|---|---|---|',
    `| DPM1 | ${names.join(', ')} | |`,
    `| DPM2 | ${names.join(', ')} | |`,
    ...names.map((p) => `| ${p} | | DPM1, DPM2 |`),
  ].join('\n');
  await page.click('[data-action="import"]');
  await page.getByTestId('import-text').fill(table);
  await page.click('[data-action="import-text"]');
  const errors = page.locator('.findings-panel .finding-group', { hasText: 'Errors' });
  await errors.locator('h3', { hasText: `Errors (${n})` }).waitFor();
  const rows = errors.locator('li.finding');
  const drawnRows = await rows.count();
  assert.ok(drawnRows > 10 && drawnRows < 100, `${drawnRows} rows in the page for ${n} findings`);
  assert.equal(await rows.first().getAttribute('aria-setsize'), String(n));
  // Scrolled to the end: the last finding is there, told its place.
  await errors.locator('.vlist').evaluate((e) => { e.scrollTop = e.scrollHeight; });
  const last = errors.locator(`li.finding[aria-posinset="${n}"]`);
  await last.waitFor();
  assert.match(await last.innerText(), new RegExp(`P${n}\\b`));
  assert.ok((await rows.count()) < 100);
  // Its button shows the finding on the drawing, though its server was
  // out of view and not drawn.
  for (let i = 0; i < 12; i++) await page.click('[data-action="zoom-in"]');
  const map = await page.locator('.minimap .mm-dpm').boundingBox();
  await page.mouse.click(map.x + 2, map.y + map.height / 2);
  await page.waitForFunction((name) => !document.querySelector(`[data-server="${name}"]`), `P${n}`);
  assert.equal(await page.locator(`[data-server="P${n}"]`).count(), 0);
  await last.locator('button').click();
  // Its protections selected and drawn whole in view (the view takes in
  // both DPM servers and the server, so far out that the 1,502 servers
  // are painted and the server is not a node of its own).
  const shown = await page.waitForFunction((name) => {
    const c = document.querySelector('svg.canvas').getBoundingClientRect();
    const arrows = ['DPM1', 'DPM2'].map((d) => document.querySelector(`[data-protection="${d}->${name}"] path`));
    const selected = document.querySelector(`.protection-group.selected[data-protection$="->${name}"]`);
    return !!selected && arrows.every((a) => {
      const r = a?.getBoundingClientRect();
      return r && r.x >= c.x && r.right <= c.right && r.y >= c.y && r.bottom <= c.bottom;
    });
  }, `P${n}`);
  assert.ok(await shown.jsonValue(), 'the finding is shown in view');
  await done(app, server.url);
});

test('a failed secondary in a 2,000-server estate: hundreds of options of a kind as one entry, picked by name', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=2000' });
  const { page } = app;
  await page.click('[data-action="simulate"]');
  await page.locator('.sim-panel').waitFor();
  // Each step is seen done before the next: a key typed before the find
  // field has the focus is a command (S leaves the simulator).
  await page.keyboard.press('/');
  const find = page.getByRole('searchbox', { name: 'Find a server by name' });
  await page.waitForFunction(() => document.activeElement?.matches('.find-bar input'));
  await page.keyboard.type('DS1');
  await page.keyboard.press('Enter');
  assert.match(await page.locator('.find-status').innerText(), /^1 of \d+: DS1$/);
  await page.keyboard.press('Escape');
  await find.waitFor({ state: 'hidden' });
  await page.click('[data-server="DS1"] .body');
  await page.locator('[data-server="DS1"].failed').waitFor();
  assert.ok(await page.locator('.sim-panel').isVisible(), 'still in the simulator');
  const group = page.locator('[data-affected="DS15"] [data-option-group="reprotect"]');
  await group.waitFor();
  const count = Number(await group.getAttribute('data-count'));
  assert.ok(count > 100, `${count} options in one entry`);
  assert.equal(await page.locator('[data-affected="DS15"] [data-option^="reprotect"]').count(), 1);
  assert.match(await group.innerText(), new RegExp(`${count} servers could take it`));
  // A name that is none of them says so and cannot be played.
  const field = group.locator('input');
  await field.fill('no such server');
  assert.match(await group.innerText(), /None of these servers has that name/);
  assert.ok(await group.locator('[data-action="play"]').isDisabled());
  // One picked by name plays, via that server.
  const via = await page.evaluate(() => {
    const opts = [...document.querySelectorAll('[data-affected="DS15"] datalist option')];
    return opts[opts.length - 1].value;
  });
  await field.fill(via.toLowerCase());
  assert.equal(await group.getAttribute('data-option'), `reprotect ${via}`);
  await group.locator('[data-action="play"]').click();
  await page.getByTestId('caption').waitFor();
  assert.match(await page.locator('.player-title').innerText(), new RegExp(`^Protect again by ${via}, for DS15$`));
  // The pick survives the panel's rewrite, and the focus stays on the
  // Play button used (it names the option it plays now).
  assert.equal(await page.locator('[data-affected="DS15"] [data-option-group] input').inputValue(), via);
  const playFocused = () =>
    page.evaluate(() => {
      const a = document.activeElement;
      return !!a?.closest('[data-affected="DS15"] [data-option-group]') && a.getAttribute('data-action') === 'play';
    });
  assert.ok(await playFocused(), 'focus on the Play button after playing');
  await screenshot(page, 'sim-grouped-options');
  // Back to the failure: the focus comes back to that Play button.
  await page.locator('[data-action="stop"]').click();
  await page.getByTestId('caption').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-action') === 'play');
  assert.ok(await playFocused(), 'focus on the Play button after the player');
  await done(app, server.url);
});

test('Copies in a 480-server estate: zoomed out a line says to zoom in; zoomed in, cards for the DPM servers in view only', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=480' });
  const { page } = app;
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length > 0);
  assert.ok(await far(page));
  await page.click('[data-action="copies"]');
  const hint = page.locator('.copies-hint');
  await hint.waitFor();
  assert.match(await hint.innerText(), /Zoom in to 45% or more to read what each DPM server holds/);
  assert.equal(await page.locator('.copies-card').count(), 0, 'no card too small to read');
  // Zoomed in on a DPM server: a card under each DPM server drawn near the
  // view, not under every one of the estate.
  const dpm = await page.locator('[data-server].dpm').count();
  assert.ok(dpm >= 20, `${dpm} DPM servers`);
  const at = await page.locator('[data-server].dpm .body').nth(Math.floor(dpm / 2)).boundingBox();
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  for (let i = 0; i < 40 && (await far(page)); i++) {
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(50);
  }
  await page.waitForFunction(() => document.querySelectorAll('.copies-card').length > 0);
  const cards = await page.locator('.copies-card').count();
  const drawnDpm = await page.locator('[data-server].dpm').count();
  assert.ok(cards <= drawnDpm && cards < dpm, `${cards} cards, ${drawnDpm} DPM servers drawn of ${dpm}`);
  assert.match(await page.locator('.copies-card').first().textContent(), /Holds (no copies|\d+ cop)/);
  // The line to zoom in went with the need, and comes back zoomed out,
  // until Copies is turned off.
  await hint.waitFor({ state: 'detached' });
  for (let i = 0; i < 40 && !(await far(page)); i++) {
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(50);
  }
  await hint.waitFor();
  await page.click('[data-action="copies"]');
  await hint.waitFor({ state: 'detached' });
  await done(app, server.url);
});

test('a 3,000-server estate: the tip of a painted server under the pointer goes when zooming in leaves it elsewhere', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=3000' });
  const { page } = app;
  await page.waitForSelector('svg.canvas.painted');
  const c = await page.locator('svg.canvas').boundingBox();
  // The pointer over a painted server: its name tip shows.
  let at = null;
  for (let fy = 0.1; fy < 0.9 && !at; fy += 0.01) {
    for (let fx = 0.1; fx < 0.9 && !at; fx += 0.02) {
      await page.mouse.move(c.x + c.width * fx, c.y + c.height * fy);
      if (await page.locator('.name-tip').count()) at = { x: c.x + c.width * fx, y: c.y + c.height * fy };
    }
  }
  assert.ok(at, 'a painted server under the pointer shows its name tip');
  // Zoomed in by keys with the pointer still, out of the painted view: a
  // tip left shows only the server under the pointer.
  for (let i = 0; i < 30 && (await page.locator('svg.canvas.painted').count()); i++) await page.keyboard.press('+');
  assert.equal(await page.locator('svg.canvas.painted').count(), 0);
  await page.waitForTimeout(300);
  const tip = await page.locator('.name-tip strong').allTextContents();
  const under = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-server]')?.getAttribute('data-server') ?? null, at);
  assert.ok(tip.length === 0 || tip[0] === under, `tip ${tip[0]} with ${under} under the pointer`);
  await done(app, server.url);
});
