// Real estates (the version 2 facts): a virtual machine's host, sites, a
// DPM database elsewhere, set through the properties panel; a whole site
// failed in the simulator; the facts kept by export, import and reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, openApp, done, screenshot, servers, center, drag } from './harness.mjs';

const server = suite();
const estate = await readFile(join(import.meta.dirname, 'fixtures', 'estate.dpm.json'), 'utf8');

const cls = (page, name) => page.locator(`[data-server="${name}"]`).getAttribute('class');

/** Types into a properties field and leaves it (a change, as a user makes it). */
async function type(page, fact, text) {
  const field = page.locator(`.properties-panel [data-fact="${fact}"]`);
  await field.fill(text);
  await field.press('Enter');
  await field.blur();
}

async function importText(page, text) {
  await page.click('[data-action="import"]');
  await page.getByTestId('import-text').fill(text);
  await page.click('[data-action="import-text"]');
}

/** Find (`/`) goes to server `name`, selected and zoomed in on; the box closes. */
async function findServer(page, name) {
  await page.keyboard.press('/');
  await page.getByTestId('find').locator('input').waitFor();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-server="${name}"].selected`);
  await page.keyboard.press('Escape');
}

/** The label of the option a select of the properties panel shows. */
const picked = (page, fact) =>
  page.locator(`.properties-panel select[data-fact="${fact}"]`).evaluate((s) => s.selectedOptions[0]?.textContent ?? '');

test('set a host and a site in the panel, fail the site: its guests go down and the options follow', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'moving');
  await page.waitForSelector('[data-server="DPM1"]');
  // A new protected server, named HV1, in the site London.
  await page.click('[data-action="add-protected"]');
  await page.mouse.click(820, 700);
  await page.waitForSelector('[data-server="PS1"]');
  await type(page, 'name', 'HV1');
  await page.waitForSelector('[data-server="HV1"]');
  await type(page, 'site', 'London');
  await page.waitForSelector('.site-region[data-site="London"]');
  // DPM1 runs on HV1: one undoable step, drawn as a tag and a dotted line.
  await page.click('[data-server="DPM1"] .body');
  await page.selectOption('.properties-panel [data-fact="host"]', { label: 'HV1' });
  await page.waitForSelector('[data-server="DPM1"] .tag.vm');
  assert.equal((await page.locator('[data-server="DPM1"] .tag.vm text').textContent()).trim(), 'on HV1');
  assert.equal(await page.locator('.estate-link.host').count(), 1);
  await page.keyboard.press('Control+z');
  await page.waitForSelector('[data-server="DPM1"] .tag.vm', { state: 'detached' });
  await page.keyboard.press('Control+Shift+z');
  await page.waitForSelector('[data-server="DPM1"] .tag.vm');
  // A cycle is refused, with the reason beside the field.
  await page.click('[data-server="HV1"] .body');
  await page.selectOption('.properties-panel [data-fact="host"]', { label: 'DPM1' });
  assert.match(await page.locator('#host-error').innerText(), /DPM1 runs on HV1 already/);
  assert.equal(await picked(page, 'host'), 'Not a virtual machine');
  assert.equal(await page.locator('[data-server="HV1"] .tag.vm').count(), 0);

  await page.click('[data-action="simulate"]');
  assert.equal(await page.locator('[data-option]').count(), 0);
  await page.selectOption('[data-testid="fail-site-pick"]', 'London');
  await page.click('[data-action="fail-site"]');
  await page.waitForSelector('[data-server="DPM1"].failed');
  assert.match(await cls(page, 'HV1'), /failed/);
  assert.doesNotMatch(await cls(page, 'Server1'), /failed/);
  assert.doesNotMatch(await cls(page, 'DPM3'), /failed/);
  assert.match(await page.locator('.chips [data-also="DPM1"]').innerText(), /DPM1 — down with HV1/);
  assert.match(await page.getByTestId('also-down').innerText(), /DPM1 — down with HV1/);
  // DPM1 went down with its host: Server1, which it protected, may switch to DPM3.
  await page.waitForSelector('[data-affected="Server1"] [data-option="switch-protection DPM3"]');
  await screenshot(page, 'estate-fail-site');
  // Bringing the site back brings its guests back, and the options go.
  await page.click('[data-action="bring-back"][data-site="London"]');
  await page.waitForFunction(() => document.querySelectorAll('.server.failed').length === 0);
  assert.equal(await page.locator('[data-option]').count(), 0);
  // Fail it again; Reset clears it, and the drawing is as it was.
  await page.selectOption('[data-testid="fail-site-pick"]', 'London');
  await page.click('[data-action="fail-site"]');
  await page.waitForSelector('[data-server="DPM1"].failed');
  await page.click('[data-action="reset"]');
  assert.equal(await page.locator('.server.failed').count(), 0);
  assert.equal(await page.getAttribute('[data-action="simulate"]', 'aria-pressed'), 'false');
  await page.click('[data-action="simulate"]');
  assert.equal(await page.locator('.server.failed').count(), 0);
  assert.equal(await page.locator('.chips').count(), 0);
  await done(app, server.url);
});

test('a drawing with the new facts keeps host, site and database through reload, export and import', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await importText(page, estate);
  await page.waitForSelector('[data-server="DPM3"]');
  const check = async () => {
    await page.click('[data-server="DPM1"] .body');
    assert.equal(await picked(page, 'host'), 'HV1');
    assert.equal(await picked(page, 'database'), 'SQLDB1');
    assert.equal(await page.locator('.properties-panel [data-fact="site"]').inputValue(), 'London');
    assert.equal(await page.locator('.properties-panel [data-fact="build"]').inputValue(), '10.19.379.0');
    assert.equal(await page.getByTestId('build-meaning').innerText(), '= DPM 2019 UR2');
    assert.ok(await page.locator('.properties-panel [data-fact="database_backup"][data-m="tape"]').isChecked());
    assert.deepEqual(
      await page.$$eval('.site-region', (els) => els.map((e) => e.getAttribute('data-site'))),
      ['Azure West Europe', 'DR site', 'London'],
    );
    assert.equal(await page.locator('.estate-link.database').count(), 1);
    assert.match(await page.locator('.estate-link.database').textContent(), /DPM database/);
    assert.equal(await page.locator('[data-server="DPM3"] .tag.azure').count(), 1);
    assert.equal(await page.locator('[data-server="DC1"] .tag.dc').count(), 1);
  };
  await check();
  // Autosave: a reload opens the same drawing.
  await page.reload();
  await page.waitForSelector('[data-server="DPM3"]');
  await check();
  // Export, a new drawing, import: the same facts.
  await page.click('[data-action="export"]');
  const json = await page.getByTestId('export-text').inputValue();
  assert.match(json, /"format": "dpm-sketch\/2"/);
  assert.match(json, /"host": "HV1"/);
  assert.match(json, /"database": "SQLDB1"/);
  await page.keyboard.press('Escape');
  await page.click('[data-action="new"]');
  await page.click('[data-action="confirm-new"]');
  assert.deepEqual(await servers(page), []);
  await importText(page, json);
  await page.waitForSelector('[data-server="DPM3"]');
  await check();
  await done(app, server.url);
});

test('build numbers, copies of the database, hostile site names, copy and paste', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await importText(page, estate);
  await page.waitForSelector('[data-server="DPM2"]');
  await page.click('[data-server="DPM2"] .body');
  // A bad build number is refused with a message; the version stays.
  await type(page, 'build', '10.nineteen');
  assert.match(await page.locator('#build-error').innerText(), /Not a build number/);
  assert.equal(await picked(page, 'version'), 'Build 10.19.379.0');
  await type(page, 'build', '10.22.189.0');
  await page.waitForFunction(() => document.querySelector('[data-testid="build-meaning"]')?.textContent.includes('DPM 2022'));
  assert.equal(await page.locator('#build-error').innerText(), '');
  await page.selectOption('.properties-panel [data-fact="version"]', '2016');
  await page.waitForFunction(() => document.querySelector('.properties-panel [data-fact="build"]')?.value === '');
  // The database's copies and the domain controller, each a checkbox.
  await page.check('.properties-panel [data-fact="database_backup"][data-m="azure"]');
  await page.check('.properties-panel [data-fact="domain_controller"]');
  // Attached: zoomed out under zoom 1 the tag's 11 px text is hidden
  // (drawn under 11 CSS px), and the name tip says it.
  await page.waitForSelector('[data-server="DPM2"] .tag.dc', { state: 'attached' });
  // Hostile text in a site stays text, on the drawing and in the panel.
  const hostile = '<img src=x onerror="window.__pwned=1">"\u202Eetis';
  await type(page, 'site', hostile);
  await page.waitForFunction(() => [...document.querySelectorAll('.site-region')].some((g) => g.getAttribute('data-site').startsWith('<img')));
  assert.equal(await page.locator('.canvas img, .properties-panel img, .sim-panel img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('.properties-panel [data-fact="site"]').inputValue(), hostile);
  // A protected server: scale-out and a replica set.
  await page.click('[data-server="EX1"] .body');
  await page.check('.properties-panel [data-fact="scale_out"]');
  assert.match(await page.locator('#scale-out-hint').innerText(), /VMs spread over several DPM servers/);
  await type(page, 'replica_set', 'DAG1');
  assert.equal(await page.locator('#set-list option[value="DAG1"]').count(), 1);
  // Copy DPM1 and FS1 (FS1 runs on HV1, left behind): the copies run on HV1 too.
  await page.click('[data-server="DPM1"] .body');
  await page.click('[data-server="FS1"] .body', { modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await page.waitForSelector('[data-server="DPM4"]');
  await page.click('[data-server="DC1"] .body');
  await page.click('[data-server="DPM4"] .body');
  assert.equal(await picked(page, 'host'), 'HV1');
  assert.equal(await picked(page, 'database'), 'SQLDB1');
  await screenshot(page, 'estate-props');
  await done(app, server.url);
});

test('a 2,000-server estate: the host is typed by name, a site is drawn and fails', async () => {
  const app = await openApp(server.browser, server.url, { path: '#generate=2000' });
  const { page } = app;
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length > 0);
  await findServer(page, 'PS1');
  // Too many servers for a select: the host field takes a name.
  const host = page.locator('.properties-panel input[data-fact="host"]');
  await host.fill('no such server');
  await host.press('Enter');
  assert.match(await page.locator('#host-error').innerText(), /No server is called/);
  await host.fill('ds1');
  await host.press('Enter');
  // Attached: zoomed out under zoom 1 the tag's 11 px text is hidden
  // (drawn under 11 CSS px), and the name tip says it.
  await page.waitForSelector('[data-server="PS1"] .tag.vm', { state: 'attached' });
  assert.equal(await page.locator('#host-error').innerText(), '');
  await type(page, 'site', 'Rack 7');
  await page.waitForSelector('.site-region[data-site="Rack 7"]');
  await page.click('[data-action="simulate"]');
  await page.selectOption('[data-testid="fail-site-pick"]', 'Rack 7');
  await page.click('[data-action="fail-site"]');
  await page.waitForSelector('[data-server="PS1"].failed');
  assert.match(await page.locator('.site-region.failed .site-label').textContent(), /failed/);
  await done(app, server.url);
});

test('a site region follows its servers while they are dragged', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await importText(page, estate);
  await page.waitForSelector('.site-region[data-site="London"]');
  const width = () => page.locator('.site-region[data-site="London"] rect').evaluate((r) => r.getBBox().width);
  const before = await width();
  const from = await center(page, '[data-server="FS1"] .body');
  await drag(page, from, { x: from.x + 120, y: from.y }, {
    whileHeld: async () => {
      await page.waitForFunction((w) => document.querySelector('.site-region[data-site="London"] rect').getBBox().width > w + 60, before);
    },
  });
  assert.ok((await width()) > before + 60);
  await done(app, server.url);
});

test('close in on a large drawing, a host and a database far off on both sides still draw their lines across the view', async () => {
  // 320 servers (past the 300 drawn whole): a DPM server and a virtual
  // machine at the left end, the server with its database and the host at
  // the right end, 20,000 units apart, the rest far below; Find zooms in
  // on MID, halfway between, where neither end is drawn.
  const far = [
    { name: 'DPMA', kind: 'dpm', database: 'SQLFAR', x: 0, y: 300 },
    { name: 'SQLFAR', kind: 'protected', workloads: ['sql'], x: 20000, y: 300 },
    { name: 'VMA', kind: 'protected', host: 'HVFAR', x: 0, y: 500 },
    { name: 'HVFAR', kind: 'protected', workloads: ['hyperv'], x: 20000, y: 500 },
    { name: 'MID', kind: 'protected', x: 10000, y: 400 },
  ];
  for (let i = 0; i < 315; i++) far.push({ name: `FILL${i}`, kind: 'protected', x: (i % 30) * 700, y: 6000 + Math.floor(i / 30) * 200 });
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await importText(page, JSON.stringify({ format: 'dpm-sketch/2', servers: far, protections: [] }));
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length > 0);
  await findServer(page, 'MID');
  // Neither end is drawn; both lines are, each with its title.
  for (const name of ['DPMA', 'SQLFAR', 'VMA', 'HVFAR']) assert.equal(await page.locator(`[data-server="${name}"]`).count(), 0, name);
  await page.waitForSelector('.estate-link.database');
  assert.equal(await page.locator('.estate-link.database title').textContent(), "DPMA's DPM database is on SQLFAR");
  assert.equal(await page.locator('.estate-link.host title').textContent(), 'VMA runs on HVFAR');
  // The line passes through the view, not beside it.
  const box = await page.locator('.estate-link.host path').boundingBox();
  const canvas = await page.locator('svg.canvas').boundingBox();
  assert.ok(box.x < canvas.x && box.x + box.width > canvas.x + canvas.width, JSON.stringify({ box, canvas }));
  assert.ok(box.y > canvas.y && box.y + box.height < canvas.y + canvas.height, JSON.stringify({ box, canvas }));
  await screenshot(page, 'estate-far-lines');
  await done(app, server.url);
});

test('an Exchange DAG member whose DPM server fails: the impact says where its databases are', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const dag = JSON.stringify({
    format: 'dpm-sketch/1',
    servers: [
      { name: 'DPM1', kind: 'dpm' },
      { name: 'DPM2', kind: 'dpm' },
      { name: 'EX1', kind: 'protected', replica_set: 'DAG1' },
      { name: 'EX2', kind: 'protected', replica_set: 'DAG1' },
    ],
    protections: [
      { protector: 'DPM1', target: 'EX1' },
      { protector: 'DPM2', target: 'EX2' },
    ],
  });
  await importText(page, dag);
  await page.waitForSelector('[data-server="EX2"]');
  await page.click('[data-action="simulate"]');
  await page.click('[data-server="EX1"] .body');
  await page.click('[data-server="DPM1"] .body');
  const impact = page.locator('.impact');
  await page.waitForFunction(() => /Copies lost \(/.test(document.querySelector('.impact')?.textContent ?? ''));
  // The note says EX2 holds the same databases: the impact agrees.
  assert.match(await impact.innerText(), /EX1: no copy left on a DPM server; its databases are on EX2/);
  assert.doesNotMatch(await impact.innerText(), /EX1: no copy left\s*$/m);
  // EX2 fails too: DPM2's copy of EX2 holds them.
  await page.click('[data-server="EX2"] .body');
  await page.waitForFunction(() => /DPM2's copy of EX2/.test(document.querySelector('.impact')?.textContent ?? ''));
  assert.match(await impact.innerText(), /EX1: no copy left on a DPM server; its databases are in DPM2's copy of EX2/);
  await done(app, server.url);
});

test('a DPM server stopped by its database server: drawn stopped while its database is restored, running again at the last step', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const remote = await readFile(join(import.meta.dirname, '..', 'rules', 'tests', 'cases', 'estate-remote-db.dpm.json'), 'utf8');
  await importText(page, remote);
  await page.waitForSelector('[data-server="SQLDB1"]');
  await page.click('[data-action="simulate"]');
  await page.click('[data-server="SQLDB1"] .body');
  const stopped = async () => /\bstopped\b/.test(await cls(page, 'DPM1'));
  await page.waitForFunction(() => document.querySelector('[data-server="DPM1"]')?.classList.contains('stopped'));
  await page.locator('[data-affected="DPM1"] [data-option^="restore-database"] [data-action="play"]').first().click();
  await page.click('[data-action="play-pause"]');
  assert.ok(await stopped(), 'stopped at the first step');
  const caption = page.getByTestId('caption');
  const fwd = page.locator('[data-action="step-forward"]');
  while (!(await fwd.isDisabled())) {
    await fwd.click();
    const last = await fwd.isDisabled();
    assert.equal(await stopped(), !last, `${await caption.innerText()}: ${last ? 'running again' : 'still stopped'}`);
  }
  assert.match(await caption.innerText(), /DPM1 protects and restores again/);
  assert.equal(await page.locator('[data-server="DPM1"] .stopped-label').count(), 0, 'no "Stopped" label at the end');
  // Back a step: stopped again.
  await page.click('[data-action="step-back"]');
  assert.ok(await stopped());
  await done(app, server.url);
});
