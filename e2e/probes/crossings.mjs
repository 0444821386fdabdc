// Which drawings draw an arrow over a server it does not connect: every
// preset as loaded, then after applying each supported recovery option of
// each failed server. Printed, for finding cases by hand:
//   DIST=dist node e2e/probes/crossings.mjs
import { serve, launch, arrowsOverServers } from '../harness.mjs';

const server = await serve(process.env.DIST || undefined);
const chrome = await launch();
const page = await chrome.browser.newPage({ viewport: { width: 1280, height: 800 } });
const presets = await (async () => {
  await page.goto(server.url);
  await page.waitForSelector('[data-server]');
  return page.$$eval('[data-action="preset"] option', (os) => os.map((o) => o.value).filter(Boolean));
})();
let total = 0;
for (const preset of presets) {
  await page.goto(server.url);
  await page.waitForSelector('[data-server]');
  await page.selectOption('[data-action="preset"]', preset);
  await page.waitForTimeout(700);
  const loaded = await arrowsOverServers(page);
  console.log(`${preset}: ${loaded.length ? loaded.join('; ') : 'none'}`);
  total += loaded.length;
  const names = await page.$$eval('.canvas [data-server]', (e) => e.map((g) => g.getAttribute('data-server')));
  for (const name of names) {
    // Each server from the preset as loaded (an applied move may rename).
    await page.selectOption('[data-action="preset"]', preset);
    await page.waitForTimeout(300);
    if (!(await page.locator(`.canvas [data-server="${name}"]`).count())) continue;
    await page.click('[data-action="simulate"]');
    await page.click(`[data-server="${name}"] .body`);
    const opts = await page.$$eval('[data-option]', (els) =>
      els.filter((e) => !e.querySelector('[data-action="apply"]')?.disabled).map((e) => e.getAttribute('data-option')));
    for (const opt of opts) {
      const b = page.locator(`[data-option="${opt}"] [data-action="apply"]`).first();
      if (!(await b.count())) continue;
      await b.click();
      await page.waitForTimeout(700);
      const after = await arrowsOverServers(page);
      if (after.length) console.log(`  ${preset}, ${name} fails, apply ${opt}: ${after.join('; ')}`);
      total += after.length;
      // Back to the preset, failed again, for the next option.
      await page.selectOption('[data-action="preset"]', preset);
      await page.waitForTimeout(300);
      await page.click('[data-action="simulate"]');
      await page.click(`[data-server="${name}"] .body`);
    }
    await page.click('[data-action="simulate"]');
  }
}
console.log(`total arrows over servers: ${total}`);
await chrome.close();
await server.close();
