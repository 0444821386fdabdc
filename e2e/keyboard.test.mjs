// Keyboard alone (issue 13): from an empty canvas, draw Scenario 2 of the
// seeds, lay it out, then fail a server, play a recovery option, apply it
// and undo it, without the mouse. Every step is a key press; focus moves
// with Tab as a keyboard user's would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, protections, servers, screenshot } from './harness.mjs';

const server = suite();

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
