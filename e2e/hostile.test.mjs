// Hostile text through every panel (issue 21, item 5): server names, site
// names, a title and an exercise's title, task and hints that look like
// markup, like a CSS selector, or hold quotes and backslashes. Wherever the
// app shows them they stay text: no element the app did not make, no
// script run, the text shown as written, and the keyboard focus where it
// was when a panel is rewritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, servers, tool } from './harness.mjs';

const server = suite();

const IMG = '<img src=x onerror="window.__pwned=1">';
const SVG = '"><svg onload=window.__pwned=1>';
const SELECTOR = 'Z"], [data-k="apply-1-switch-protection B';
const QUOTE = 'O"Brien\\';
const ENTITY = '&lt;b&gt;';
const MUSTACHE = '{{x}}';

// A DPM server with a markup name at a hostile site, its database on a
// server whose name holds a quote and a backslash, protected by a DPM
// server named like a selector that would match another control's
// `data-k` (B's), protecting servers named like an entity and a template.
const SCENARIO = {
  format: 'dpm-sketch/2',
  title: `${IMG} ${SVG} ${MUSTACHE}`,
  servers: [
    { name: IMG, kind: 'dpm', site: SVG, database: QUOTE, x: 120, y: 120 },
    { name: SELECTOR, kind: 'dpm', site: MUSTACHE, x: 420, y: 120 },
    { name: 'B', kind: 'dpm', x: 720, y: 120 },
    { name: QUOTE, kind: 'protected', workloads: ['sql'], site: SVG, x: 120, y: 320 },
    { name: ENTITY, kind: 'protected', workloads: ['files'], replica_set: IMG, x: 420, y: 320 },
    { name: MUSTACHE, kind: 'protected', workloads: ['files'], x: 720, y: 320 },
  ],
  protections: [
    { protector: IMG, target: QUOTE },
    { protector: IMG, target: ENTITY },
    { protector: SELECTOR, target: IMG },
  ],
};
const NAMES = [IMG, SELECTOR, 'B', QUOTE, ENTITY, MUSTACHE];

const EXERCISE = {
  format: 'dpm-exercise/1',
  title: `${IMG} ${MUSTACHE}`,
  task: `${SVG} ${QUOTE} ${ENTITY}`,
  start: SCENARIO,
  goals: [{ check: 'no-single-point', text: SELECTOR, hints: [IMG, `${ENTITY} ${SVG}`] }],
};

/** `[attr="value"]` for any value: `"` and `\` escaped as CSS strings want. */
const by = (attr, value) => `[${attr}="${value.replace(/["\\]/g, '\\$&')}"]`;

/** Elements with an attribute `on…`, which the app never writes. */
const handlers = (page) =>
  page.evaluate(() => [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length);

/**
 * Nothing the hostile text could have made: no script run, no element with
 * an `on…` attribute, no more `img` than the app draws itself.
 */
async function clean(page, where, imgs) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: a script ran`);
  assert.equal(await page.locator('[onerror],[onload]').count(), 0, `${where}: an element with a handler`);
  assert.equal(await handlers(page), 0, `${where}: an element with an on… attribute`);
  assert.equal(await page.locator('img').count(), imgs, `${where}: an img the app did not make`);
}

/** Every string of `want` in the text of `locator`. */
async function shows(locator, want, where) {
  const text = await locator.innerText();
  for (const s of want) assert.ok(text.includes(s), `${where} does not show ${JSON.stringify(s)} as text:\n${text}`);
}

async function importText(page, text) {
  await page.click('[data-action="import"]');
  await page.getByTestId('import-text').fill(text);
  await page.click('[data-action="import-text"]');
}

test('hostile names, sites and title stay text in every panel, dialog and tip', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const imgs = await page.locator('img').count();
  await clean(page, 'before import', imgs);
  await importText(page, JSON.stringify(SCENARIO));
  await page.waitForSelector(by('data-server', SELECTOR));
  assert.deepEqual(await servers(page), [...NAMES].sort());
  await clean(page, 'the drawing', imgs);

  // Properties of a server: its name, site, database and protections.
  await page.click(`${by('data-server', IMG)} .body`);
  const props = page.locator('.properties-panel');
  assert.equal(await props.locator('[data-fact="name"]').inputValue(), IMG);
  assert.equal(await props.locator('[data-fact="site"]').inputValue(), SVG);
  assert.equal(await props.locator('[data-fact="database"] option:checked').innerText(), QUOTE);
  await shows(props.locator('.link-list'), [`protects ${QUOTE}`, `protects ${ENTITY}`, `protected by ${SELECTOR}`], 'the protections');
  assert.deepEqual(await props.locator('.link-list bdi').allTextContents(), [ENTITY, QUOTE, SELECTOR]);
  assert.equal(await props.locator(`[data-action="unlink"]${by('aria-label', `Delete: protects ${QUOTE}`)}`).count(), 1);
  await clean(page, 'properties of a server', imgs);
  await page.click(`${by('data-server', ENTITY)} .body`);
  assert.equal(await props.locator('[data-fact="replica_set"]').inputValue(), IMG);
  await clean(page, 'properties of a protected server', imgs);

  // Properties of a protection, selected from the server's list.
  await page.click(`${by('data-server', QUOTE)} .body`);
  await props.locator('[data-action="show-link"]').first().click();
  await props.locator('.link-title').waitFor();
  assert.deepEqual(await props.locator('.link-title bdi').allTextContents(), [IMG, QUOTE]);
  await clean(page, 'properties of a protection', imgs);

  // Problems and the seeds' table.
  const problems = page.locator('.findings-panel');
  await shows(problems, [IMG, SELECTOR, QUOTE, MUSTACHE], 'Problems');
  const named = await problems.locator('.finding-servers bdi').allTextContents();
  for (const n of [IMG, SELECTOR, QUOTE, MUSTACHE]) assert.ok(named.includes(n), `Problems names ${n}`);
  // The table has the servers in protections: all but the unprotected one.
  await shows(page.locator('.dpm-table'), [IMG, SELECTOR, 'B', QUOTE, ENTITY], 'the table');
  await clean(page, 'Problems and the table', imgs);

  // A tip: the findings of the server under the pointer.
  await page.hover(`${by('data-server', MUSTACHE)} .body`);
  const tip = page.locator('.finding-tip, [role="status"]:has(.tip-head)').first();
  await tip.waitFor();
  await shows(tip, [MUSTACHE], 'the tip');
  await clean(page, 'a tip', imgs);

  // The Servers list: headings, fields, links, estate facts, findings, and
  // the form's verdict.
  await page.click('[data-action="list"]');
  const list = page.getByTestId('servers-list');
  await list.locator('.twin-item').first().waitFor();
  assert.deepEqual(
    (await list.locator('.twin-item h3').evaluateAll((hs) => hs.map((h) => h.firstChild.textContent))).sort(),
    [...NAMES].sort(),
  );
  await shows(list, NAMES, 'the Servers list');
  const renames = await list.locator('[data-rename]').evaluateAll((is) => is.map((i) => i.value).sort());
  assert.deepEqual(renames, [...NAMES].sort());
  await shows(list, [`Site: ${SVG}.`, `Site: ${MUSTACHE}.`], 'the estate facts');
  await list.locator('[data-part="from"]').selectOption({ label: IMG });
  await list.locator('[data-part="to"]').selectOption({ label: QUOTE });
  await page.waitForFunction(() => document.querySelector('[data-part="verdict"]')?.textContent.includes('already protects'));
  assert.deepEqual(await list.locator('[data-part="verdict"] bdi').allTextContents(), [IMG, QUOTE]);
  await list.locator('[data-part="to"]').selectOption({ label: MUSTACHE });
  await page.waitForFunction(() => document.querySelector('[data-part="verdict"]')?.textContent.includes('DPM allows'));
  assert.deepEqual(await list.locator('[data-part="verdict"] bdi').allTextContents(), [IMG, MUSTACHE]);
  await clean(page, 'the Servers list', imgs);
  await page.click('[data-action="list"]');

  // The Risk view: each single point, what it takes, and its fixes.
  await page.click('[data-action="risk"]');
  const risk = page.locator('.risk-panel');
  await risk.locator('[data-single-point]').first().waitFor();
  const points = await risk.locator('[data-single-point]').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-single-point')));
  assert.deepEqual(points.sort(), ['B', QUOTE, SELECTOR, MUSTACHE].sort());
  // The server holding a DPM database takes that DPM server with it.
  await shows(risk.locator(by('data-single-point', QUOTE)), [QUOTE, `Takes with it: ${IMG} (stopped: its database is on ${QUOTE}).`], 'a single point');
  const isolated = await risk.locator(`${by('data-single-point', QUOTE)} p bdi`).allTextContents();
  assert.ok(isolated.includes(IMG), `names in the single point's sentences are isolated: ${isolated}`);
  await clean(page, 'the Risk view', imgs);
  // Each Accept makes its own fix, whatever the names: the second adds
  // the selector-like server's protection of B.
  const fixes = risk.locator('[data-action="accept-fix"]');
  assert.equal(await fixes.nth(1).getAttribute('data-fix'), `${SELECTOR}->B`);
  await fixes.nth(1).click();
  await page.waitForFunction((p) => [...document.querySelectorAll('[data-protection]')].some((e) => e.getAttribute('data-protection') === p), `${SELECTOR}->B`);
  await page.keyboard.press('Control+z');
  await page.waitForFunction((p) => ![...document.querySelectorAll('[data-protection]')].some((e) => e.getAttribute('data-protection') === p), `${SELECTOR}->B`);
  await clean(page, 'a fix accepted', imgs);
  await page.click('[data-action="risk"]');

  // The simulator: fail the hostile DPM server, list the options, keep
  // the focus on a control keyed by a selector-like name while the panel
  // is rewritten, play the option to its end.
  await page.click('[data-action="simulate"]');
  await page.click(`${by('data-server', IMG)} .body`);
  const sim = page.locator('.sim-panel');
  await sim.locator('[data-option]').first().waitFor();
  await shows(sim, [IMG, QUOTE], 'the simulator');
  await clean(page, 'a server failed', imgs);
  const keys = await sim.locator('[data-action="play"][data-k]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-k')));
  const key = keys.find((k) => k.includes(`switch-protection ${SELECTOR}`));
  assert.ok(key, `a Play button keyed by the selector-like name: ${keys}`);
  await page.evaluate((k) => [...document.querySelectorAll('[data-k]')].find((b) => b.getAttribute('data-k') === k).focus(), key);
  await page.keyboard.press('Enter');
  await page.getByTestId('caption').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-k')), key, 'the focus stays on the Play button');
  await shows(page.getByTestId('caption'), [IMG], 'the caption');
  for (let i = 0; i < 12; i++) {
    const fwd = page.locator('[data-action="step-forward"]');
    if (await fwd.isDisabled()) break;
    await fwd.click();
    await clean(page, `step ${i + 1}`, imgs);
  }
  await page.click('[data-action="simulate"]');
  await clean(page, 'the simulator', imgs);

  // The Export dialog's previews: the file holds the names as written, and
  // no text form lets them out as markup.
  await page.click('[data-action="export"]');
  const json = JSON.parse(await page.getByTestId('export-text').inputValue());
  assert.deepEqual(json.servers.map((s) => s.name).sort(), [...NAMES].sort());
  assert.equal(json.title, SCENARIO.title);
  for (const form of ['table', 'mermaid', 'dot', 'svg']) {
    await page.click(`[data-format="${form}"]`);
    const text = await page.getByTestId('export-text').inputValue();
    assert.ok(text.length > 0, form);
    if (form === 'svg') assert.doesNotMatch(text, /<img|<svg onload/, 'the SVG export');
    await clean(page, `export ${form}`, imgs);
  }
  await page.keyboard.press('Escape');
  await clean(page, 'export', imgs);
  await done(app, server.url);
});

test('a hostile exercise: title, task, goal and hints stay text', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const imgs = await page.locator('img').count();
  await importText(page, JSON.stringify(EXERCISE));
  const panel = page.getByTestId('task-panel');
  await panel.waitFor();
  assert.equal(await panel.locator('.task-title').innerText(), EXERCISE.title);
  await shows(panel, [EXERCISE.task, SELECTOR], 'the task panel');
  // The notice names the exercise.
  await shows(page.getByTestId('notice'), [EXERCISE.title], 'the notice');
  await clean(page, 'the exercise', imgs);
  await page.click('[data-action="hint"]');
  await page.click('[data-action="hint"]');
  assert.deepEqual(await panel.getByTestId('hint').allInnerTexts(), EXERCISE.goals[0].hints);
  await clean(page, 'the hints', imgs);
  // Its link opens the same exercise.
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /^#x=/);
  await done(app, server.url);
  const again = await openApp(server.browser, server.url, { path: hash, wait: '[data-goal]' });
  assert.equal(await again.page.locator('.task-title').innerText(), EXERCISE.title);
  await shows(again.page.getByTestId('task-panel'), [EXERCISE.task, SELECTOR], 'the task panel from the link');
  await clean(again.page, 'the exercise from its link', imgs);
  await done(again, server.url);
});

test('hostile names in the authoring, share and embed dialogs and the presenter; lookalike names refused', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const imgs = await page.locator('img').count();
  await importText(page, JSON.stringify(SCENARIO));
  await page.waitForSelector(by('data-server', SELECTOR));

  // The authoring dialog offers the servers by name, as text.
  await tool(page, 'author');
  const author = page.locator('[data-dialog="author-title"]');
  await author.waitFor();
  await page.fill('[data-testid="author-title"]', IMG);
  await page.fill('[data-testid="author-task"]', SVG);
  await clean(page, 'the authoring dialog', imgs);
  // A goal about one protection: its fields pick servers by name.
  await author.locator('[data-testid="goal-kind"]').selectOption('protection');
  await clean(page, 'the authoring dialog with server fields', imgs);
  const offered = await author.locator('[data-part="fields"] option').allTextContents();
  for (const n of [IMG, SELECTOR, QUOTE]) assert.ok(offered.some((o) => o.includes(n)), `the authoring dialog offers ${n}`);
  await page.keyboard.press('Escape');

  // Share and embed: links and code, nothing that runs.
  for (const action of ['share', 'embed']) {
    await tool(page, action);
    await page.locator('.dialog').waitFor();
    await clean(page, `the ${action} dialog`, imgs);
    await page.keyboard.press('Escape');
  }

  // The presenter shows the hostile title as text.
  await page.click('[data-action="present"]');
  const bar = page.getByTestId('presenter');
  await bar.waitFor();
  await shows(bar, [MUSTACHE], 'the presenter');
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('PageDown');
    await clean(page, `presenter scene ${i + 2}`, imgs);
  }
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="presenter"]', { state: 'detached' });

  // Names that would read as another's are refused: the same letters with
  // a combining accent, a zero-width space, or spaces at the ends.
  await page.dblclick(`${by('data-server', 'B')} .body`);
  const name = page.locator('.properties-panel [data-fact="name"]');
  for (const lookalike of [` ${MUSTACHE} `, `{{x}}\u200b`, ENTITY.toUpperCase()]) {
    await name.fill(lookalike);
    await name.press('Enter');
    assert.match(await page.locator('#name-error').innerText(), /already has that name/, JSON.stringify(lookalike));
  }
  await name.fill('\u202Eevil');
  await name.press('Enter');
  assert.match(await page.locator('#name-error').innerText(), /override characters/);
  assert.deepEqual(await servers(page), [...NAMES].sort());
  await clean(page, 'refused names', imgs);
  await done(app, server.url);
});
