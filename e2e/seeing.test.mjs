// Seeing (issue 13): Windows high contrast keeps the drawing visible in the
// user's own colours; reduced motion stops every movement; a 320 px wide
// window and 200 % zoom leave nothing off to the side. Screenshots are kept
// as artefacts (forced-colors-*, reduced-motion, narrow-320).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, screenshot, connect } from './harness.mjs';

const server = suite();
const open = (options) => openApp(server.browser, server.url, options);

/** The colour a system colour keyword resolves to on this page. */
const system = (page, keyword) =>
  page.evaluate((k) => {
    const probe = document.createElement('div');
    probe.style.color = k;
    document.body.appendChild(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  }, keyword);
const paint = (page, selector, prop) =>
  page.$eval(selector, (el, p) => getComputedStyle(el)[p], prop);

for (const scheme of ['light', 'dark']) {
  test(`forced colours (${scheme}): servers, arrows, badges and the focus ring take the system colours`, async () => {
    const app = await open({ colorScheme: scheme, bypassCSP: true });
    const { page } = app;
    await page.emulateMedia({ forcedColors: 'active' });
    // A finding of each kind: an error arrow and a note badge.
    await connect(page, 'DS4', 'PS1');
    await page.waitForSelector('.badge.error');
    const [text, canvas, highlight] = [
      await system(page, 'CanvasText'),
      await system(page, 'Canvas'),
      await system(page, 'Highlight'),
    ];
    assert.notEqual(text, canvas);
    assert.equal(await paint(page, '[data-server="DS1"] .body', 'stroke'), text);
    assert.equal(await paint(page, '[data-server="DS1"] .body', 'fill'), canvas);
    assert.equal(await paint(page, '[data-server="DS1"] .name', 'fill'), text);
    assert.equal(await paint(page, '[data-server="PS1"] .body', 'stroke'), text);
    assert.equal(await paint(page, '.protection.error', 'stroke'), text);
    assert.equal(await paint(page, '.arrowhead', 'fill'), text);
    assert.equal(await paint(page, '.badge.error circle', 'fill'), text);
    assert.equal(await paint(page, '.badge.error text', 'fill'), canvas);
    await page.locator('[data-server="DS2"]').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await paint(page, '[data-server="DS2"] .focus-ring', 'stroke'), highlight);
    await screenshot(page, `forced-colors-${scheme}`);
    await done(app, server.url);
  });
}

test('reduced motion: nothing moves; copies and a played option show still arrows', async () => {
  const app = await open({ reducedMotion: 'reduce' });
  const { page } = app;
  assert.equal(await paint(page, '.handle-dot', 'transitionDuration'), '0s');
  await page.click('[data-action="copies"]');
  await page.waitForSelector('.flow-still');
  assert.equal(await page.locator('.flows-layer animateMotion, .flows-layer .flow-dot:not(.flow-still .flow-dot)').count(), 0);
  await page.click('[data-action="copies"]');
  await page.selectOption('[data-action="preset"]', 'moving');
  await page.waitForSelector('[data-server="DPM3"]');
  await page.click('[data-action="simulate"]');
  await page.click('[data-server="DPM1"] .body');
  await page.click('[data-option="switch-protection DPM3"] [data-action="play"]');
  await page.waitForSelector('.player');
  const at = await page.locator('[data-server="Server1"]').getAttribute('transform');
  await page.waitForTimeout(600);
  assert.equal(await page.locator('[data-server="Server1"]').getAttribute('transform'), at, 'servers jump, never glide');
  await screenshot(page, 'reduced-motion');
  await done(app, server.url);
});

for (const [width, height, name] of [
  [320, 640, 'narrow-320'],
  [640, 400, 'zoom-200'],
]) {
  test(`${width}x${height} (${name}): nothing off to the side; the drawing and its tools are reachable`, async () => {
    const app = await open({ viewport: { width, height } });
    const { page } = app;
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'the page does not scroll sideways',
    );
    const svg = await page.locator('svg.canvas').boundingBox();
    assert.ok(svg.width >= width - 2 && svg.height > 150, `the drawing has room (${svg.width}x${svg.height})`);
    await screenshot(page, name);
    // Every tool can be reached: what the toolbar cannot show is under More.
    await page.getByTestId('more').click();
    await page.click('#more-menu [data-action="keys"]');
    await page.waitForSelector('[role="dialog"]');
    const dialog = await page.locator('[role="dialog"]').boundingBox();
    assert.ok(dialog.x >= 0 && dialog.x + dialog.width <= width + 1, 'the dialog fits the width');
    await screenshot(page, `${name}-keys`);
    await done(app, server.url);
  });
}
