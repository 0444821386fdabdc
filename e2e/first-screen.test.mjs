import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, screenshot, done, connect, protections } from './harness.mjs';

const server = suite();

test('first screen draws Scenario 1: eight servers, seven protections', async () => {
  const { page, context, requests, errors } = await openApp(server.browser, server.url);
  const servers = await page.$$eval('[data-server]', (els) => els.map((e) => e.getAttribute('data-server')).sort());
  assert.deepEqual(servers, ['DS1', 'DS2', 'DS3', 'DS4', 'PS1', 'PS2', 'PS3', 'PS4']);
  const protections = await page.$$eval('[data-protection]', (els) =>
    els.map((e) => e.getAttribute('data-protection')).sort(),
  );
  assert.deepEqual(protections, [
    'DS1->PS1',
    'DS1->PS2',
    'DS2->PS3',
    'DS2->PS4',
    'DS3->DS1',
    'DS3->DS2',
    'DS4->DS3',
  ]);
  // Arrows point from protector to target: DS4 sits above DS3, DS3 above DS1.
  const y = async (name) => (await page.locator(`[data-server="${name}"]`).boundingBox()).y;
  assert.ok((await y('DS4')) < (await y('DS3')));
  assert.ok((await y('DS3')) < (await y('DS1')));
  assert.ok((await y('DS1')) < (await y('PS1')));
  // The header names the product and the scenario; Scenario 1 is valid.
  assert.match(await page.locator('.product').innerText(), /DPM Sketch/);
  assert.equal(await page.getByTestId('status').innerText(), 'Valid');
  // Roles come from the rule crate.
  assert.match(await page.locator('[data-server="DS3"]').textContent(), /secondary/);
  await screenshot(page, 'first-screen');
  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => u.startsWith(server.url)), requests.join('\n'));
  await context.close();
});

test('the first visit\'s hint is about editing: the simulator, which says what a click does there, hides it, and leaving shows it again', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const hint = page.locator('.first-hint');
  await hint.waitFor();
  assert.match(await hint.innerText(), /Drag a server from the palette/);
  await page.click('[data-action="simulate"]');
  await page.locator('.sim-panel').waitFor();
  assert.equal(await hint.count(), 0);
  await page.click('[data-action="simulate"]');
  await hint.waitFor();
  await done(app, server.url);
});

test('on a narrow canvas the first visit\'s hint stands above the zoom buttons, as wide as the canvas, not a column of words', async () => {
  for (const viewport of [{ width: 800, height: 700 }, { width: 1024, height: 768 }, { width: 1280, height: 800 }]) {
    const app = await openApp(server.browser, server.url, { viewport });
    const { page } = app;
    const hint = await page.locator('.first-hint').boundingBox();
    const zoom = await page.locator('.view-controls').boundingBox();
    const where = `${viewport.width}x${viewport.height}`;
    assert.ok(hint.width >= 300, `${where}: the hint ${hint.width} px wide`);
    assert.ok(hint.height <= 100, `${where}: the hint ${hint.height} px tall`);
    const apart = (a, b) => a.x + a.width <= b.x || a.y + a.height <= b.y;
    assert.ok(apart(hint, zoom), `${where}: the hint over the zoom buttons`);
    // Nor over the minimap, when it is shown (M).
    await page.locator('svg.canvas').focus();
    await page.keyboard.press('m');
    const map = page.getByTestId('minimap');
    await map.waitFor();
    assert.ok(apart(await page.locator('.first-hint').boundingBox(), await map.boundingBox()), `${where}: the hint over the minimap`);
    await done(app, server.url);
  }
});

test('the first visit\'s hint goes once the first protection is drawn', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const hint = page.locator('.first-hint');
  await hint.waitFor();
  // Drawing one of the hint's steps: a protection from DS2 to PS1.
  await connect(page, 'DS2', 'PS1');
  assert.deepEqual((await protections(page)).filter((p) => p === 'DS2->PS1'), ['DS2->PS1']);
  assert.equal(await hint.count(), 0, 'the hint has done its work');
  await done(app, server.url);
});

test('the first visit\'s hint goes too once a protection is made from the Servers list', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const hint = page.locator('.first-hint');
  await hint.waitFor();
  await page.keyboard.press('l');
  const list = page.getByTestId('servers-list');
  await list.locator('[data-part="from"]').selectOption({ label: 'DS2' });
  await list.locator('[data-part="to"]').selectOption({ label: 'DS1' });
  await list.locator('[data-action="list-protect"]').click();
  await page.waitForSelector('[data-protection="DS2->DS1"]');
  assert.equal(await hint.count(), 0);
  await done(app, server.url);
});
