// Screenshots of the real-estate facts, for looking at them: the drawing of
// e2e/fixtures/estate.dpm.json (two sites, a VM on its host, a remote
// database, Azure and a domain controller) in both themes, a DPM server's
// properties, and the simulator after a site failed. After
// `trunk build --release`:  node e2e/probes/estate-shots.mjs [OUT_DIR]
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serve, launch, shooter } from '../harness.mjs';

const out = resolve(process.argv[2] ?? '/tmp/app-shots');
await mkdir(out, { recursive: true });
const estate = await readFile(join(import.meta.dirname, '..', 'fixtures', 'estate.dpm.json'), 'utf8');
const server = await serve();
const chrome = await launch();
const shot = shooter(chrome, server, out, async (page) => {
  await page.click('[data-action="import"]');
  await page.getByTestId('import-text').fill(estate);
  await page.click('[data-action="import-text"]');
  await page.waitForSelector('[data-server="DPM3"]');
});
try {
  await shot('estate-light', async () => {});
  await shot('estate-dark', async () => {}, { scheme: 'dark' });
  await shot('estate-far', async (page) => {
    for (let i = 0; i < 4; i++) await page.click('[data-action="zoom-out"]').catch(() => {});
  });
  await shot('props-dpm1', async (page) => {
    await page.click('[data-server="DPM1"] .body');
    await page.waitForSelector('[data-fact="build"]');
  });
  await shot('props-dpm1-dark', async (page) => {
    await page.click('[data-server="DPM1"] .body');
    await page.waitForSelector('[data-fact="build"]');
  }, { scheme: 'dark' });
  await shot('props-dpm1-database', async (page) => {
    await page.click('[data-server="DPM1"] .body');
    await page.locator('.properties-panel fieldset.estate').last().scrollIntoViewIfNeeded();
  });
  await shot('props-refusals', async (page) => {
    await page.click('[data-server="HV1"] .body');
    await page.selectOption('.properties-panel [data-fact="host"]', { label: 'DPM1' });
    await page.locator('.properties-panel fieldset.estate').first().scrollIntoViewIfNeeded();
  });
  await shot('props-ex1', async (page) => {
    await page.click('[data-server="EX1"] .body');
    await page.locator('.properties-panel fieldset.estate').last().scrollIntoViewIfNeeded();
  });
  await shot('sim-site-london', async (page) => {
    await page.click('[data-action="simulate"]');
    await page.selectOption('[data-testid="fail-site-pick"]', 'London');
    await page.click('[data-action="fail-site"]');
  });
  await shot('sim-host-hv1-dark', async (page) => {
    await page.click('[data-action="simulate"]');
    await page.click('[data-server="HV1"] .body');
  }, { scheme: 'dark' });
  await shot('sim-database-down', async (page) => {
    await page.click('[data-action="simulate"]');
    await page.click('[data-server="SQLDB1"] .body');
  });
  await shot('list', async (page) => {
    await page.click('[data-action="list"]');
    await page.getByTestId('servers-list').waitFor();
  });
} finally {
  await chrome.close();
  await server.close();
}
