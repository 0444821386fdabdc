// Large estates (issue 14): only what is in view is drawn, a simpler
// drawing when zoomed out, and the whole estate still checked. Speed itself
// is measured by ./dev bench, never asserted here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, status } from './harness.mjs';

const server = suite();
const drawn = (page) => page.locator('[data-server]').count();
const far = (page) => page.evaluate(() => document.querySelector('svg.canvas').classList.contains('far'));

test('a 2,000-server estate: zoomed out it draws shapes only; zoomed in only what is in view', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=2000' });
  const { page } = app;
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length > 0);
  // Fitted: everything is in view, drawn without names or arrowheads.
  assert.equal(await drawn(page), 2000);
  assert.ok(await far(page), 'zoomed out, the simpler drawing');
  const nameShown = () =>
    page.evaluate(() => getComputedStyle(document.querySelector('[data-server] .name')).display !== 'none');
  assert.equal(await nameShown(), false);
  // The whole estate is checked, whatever is drawn.
  assert.equal(await status(page), 'Valid');

  // Zoomed in on the centre: names again, and far fewer servers drawn.
  for (let i = 0; i < 12 && (await far(page)); i++) await page.click('[data-action="zoom-in"]');
  await page.click('[data-action="zoom-in"]');
  await page.click('[data-action="zoom-in"]');
  assert.equal(await far(page), false);
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length < 1000);
  assert.equal(await nameShown(), true);
  const inView = await drawn(page);
  assert.ok(inView > 0 && inView < 1000, `${inView} drawn of 2000`);

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
  // Pan by dragging the empty background to the left, several times.
  const empty = () =>
    page.evaluate(() => {
      const c = document.querySelector('svg.canvas').getBoundingClientRect();
      for (let y = c.y + 10; y < c.bottom; y += 9) {
        for (let x = c.right - 10; x > c.x + c.width / 2; x -= 9) {
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
    await page.mouse.move(at.x - box.width / 2, at.y, { steps: 8 });
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
  // Nothing matching says so; Escape closes.
  await box.fill('no such server');
  await box.press('x');
  assert.match(await page.getByTestId('find').innerText(), /No server's name holds that/);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('find').isVisible(), false);
  await done(app, server.url);
});
