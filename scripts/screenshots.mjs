// Takes the README's screenshots from the release build (dist/): the editor
// on Scenario 2 with a selection, and the simulator playing an option of
// "Moving protected servers". Run after `trunk build --release`:
//   node scripts/screenshots.mjs [OUT_DIR]   (default docs/)
// Extra arguments NAME=HASH take one more screenshot of /#HASH each.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serve, launch, shooter } from '../e2e/harness.mjs';

const out = resolve(process.argv[2] && !process.argv[2].includes('=') ? process.argv[2] : 'docs');
await mkdir(out, { recursive: true });
const server = await serve();
const chrome = await launch();
const shot = shooter(chrome, server, out);
try {
  await shot('screenshot', async (page) => {
    await page.selectOption('[data-action="preset"]', 'scenario-2');
    await page.waitForTimeout(300);
    await page.click('[data-server="DS2"] .body');
  });
  await shot('simulator', async (page) => {
    await page.selectOption('[data-action="preset"]', 'moving');
    await page.click('[data-action="simulate"]');
    await page.click('[data-server="DPM1"] .body');
    await page.click('[data-option="switch-protection DPM3"] [data-action="play"]');
    await page.waitForTimeout(2600 * 2);
    await page.click('[data-action="play-pause"]');
  });
  for (const arg of process.argv.slice(2).filter((a) => a.includes('='))) {
    const [name, hash] = arg.split('=', 2);
    const dark = name.endsWith('-dark');
    const phone = name.includes('phone');
    await shot(name, async (page) => {
      if (hash) {
        await page.goto(server.url + '#' + hash.replace(/^#/, ''));
        await page.reload();
        await page.waitForSelector('[data-server]');
      }
    }, { scheme: dark ? 'dark' : 'light', width: phone ? 390 : 1280, height: phone ? 844 : 800 });
  }
} finally {
  await chrome.close();
  await server.close();
}
