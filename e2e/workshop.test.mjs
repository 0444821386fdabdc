// Exercises (issue 12): open by link, solve by editing with goals ticking
// live, hints that cite the documentation, reload keeps progress, refused
// edits say why, leave and reset, and authoring an exercise a participant
// opens from its link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, done, screenshot, protections, servers, connect, tool } from './harness.mjs';

const server = suite();

const goals = (page) =>
  page.$$eval('[data-goal]', (els) => els.map((e) => `${e.getAttribute('data-goal')} ${e.getAttribute('data-state')}`));

/** The cells of the table in `root`, row by row (the header first). */
const cellsOf = (page, root) =>
  page.$$eval(`${root} table tr`, (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));

async function openBuiltIn(page, id) {
  await page.selectOption('[data-action="exercises"]', id);
  await page.waitForSelector('[data-testid="task-panel"]');
}

test('a built-in exercise opens from its link, is solved by editing, and says so', async () => {
  // The link, as a trainer would hand it out: taken from the address.
  const first = await openApp(server.browser, server.url);
  await openBuiltIn(first.page, '3-cyclic-office');
  const hash = await first.page.evaluate(() => location.hash);
  assert.match(hash, /^#x=[A-Za-z0-9_-]+$/);
  await done(first, server.url);

  const app = await openApp(server.browser, server.url, { path: hash, wait: '[data-goal]' });
  const { page } = app;
  assert.deepEqual(await goals(page), ['no-single-copy fail', 'copies fail', 'no-errors pass']);
  assert.equal(await page.getByTestId('exercise-done').count(), 0);
  await connect(page, 'DS1', 'DS2');
  await page.waitForSelector('[data-goal="copies"][data-state="fail"]');
  await connect(page, 'DS2', 'DS1');
  await page.waitForSelector('[data-goal="no-single-copy"][data-state="pass"]');
  assert.deepEqual(await goals(page), ['no-single-copy pass', 'copies pass', 'no-errors pass']);
  const banner = await page.getByTestId('exercise-done').innerText();
  assert.match(banner, /Every goal met\. Solved in \d+ s\./);
  await screenshot(page, 'exercise-done');
  await done(app, server.url);
});

test('exercise 7 opens with only "no errors" met; solved in the simulator, its banner is scrolled into view', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await openBuiltIn(page, '7-dpm1-fails');
  assert.deepEqual(await goals(page), ['recovered fail', 'dpm1-gone fail', 'no-errors pass']);
  await page.click('[data-action="simulate"]');
  await page.click('[data-server="DPM1"] .body');
  await page.click('[data-affected="Server1"] [data-option="switch-protection DPM3"] [data-action="apply"]');
  const banner = page.getByTestId('exercise-done');
  await banner.waitFor();
  assert.deepEqual(await goals(page), ['recovered pass', 'dpm1-gone pass', 'no-errors pass']);
  // In the side column's view, not scrolled out above it.
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-testid="exercise-done"]').getBoundingClientRect();
    const side = document.querySelector('.side').getBoundingClientRect();
    return b.top >= side.top && b.bottom <= side.bottom;
  });
  await done(app, server.url);
});

test('a wrong edit shows the failing goal, and Hint gives the hints in order with the documentation sentence', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await openBuiltIn(page, '1-scenario-1');
  await connect(page, 'DS4', 'DS1');
  const table = page.locator('[data-goal="table"]');
  await page.waitForSelector('[data-goal="table"] .goal-why');
  assert.match(await table.locator('.goal-why').innerText(), /The table has|In the table/);
  assert.equal(await page.getByTestId('hint').count(), 0);
  await page.click('[data-action="hint"]');
  assert.deepEqual(await table.getByTestId('hint').allInnerTexts(), [
    'Read the table row by row: the Protecting column lists what that server protects.',
  ]);
  await page.click('[data-action="hint"]');
  assert.equal(await table.getByTestId('hint').count(), 2);
  // Out of hints: says so, and shows nothing new.
  await page.click('[data-action="hint"]');
  assert.match(await page.getByTestId('notice').innerText(), /No more hints/);
  // A goal about a rule cites the rule's documentation sentence.
  await page.click('[data-action="reset-exercise"]');
  await page.click('[data-action="confirm-reset"]');
  await page.waitForSelector('[data-goal="table"] .goal-why');
  assert.equal(await page.getByTestId('hint').count(), 0, 'reset clears the hints');
  assert.deepEqual(await protections(page), []);
  // A goal about a rule cites its documentation sentence under the hints.
  await openBuiltIn(page, '4-chain-shortcut');
  await page.click('[data-action="hint"]');
  const goal = page.locator('[data-goal="no-shortcut"]');
  assert.deepEqual(await goal.getByTestId('hint').allInnerTexts(), ['DS4 already holds DS1\'s data through DS3.']);
  assert.match(await goal.locator('.finding-source').innerText(), /Primary and secondary servers are established by the chain/);
  await screenshot(page, 'exercise-hint');
  await done(app, server.url);
});

test('progress survives a reload; an edit the exercise does not allow is refused with why; leaving brings the drawing back', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-2');
  await page.waitForSelector('[data-server="PS4"]');
  const mine = await servers(page);
  await openBuiltIn(page, '3-cyclic-office');
  assert.equal(await page.getByTestId('palette-closed').count(), 1, 'this exercise adds no servers');
  await connect(page, 'DS1', 'DS2');
  await page.waitForSelector('[data-protection="DS1->DS2"]');
  await page.reload();
  await page.waitForSelector('[data-goal]');
  assert.ok((await protections(page)).includes('DS1->DS2'), 'the protection made before the reload is there');
  // Deleting a server the exercise starts with is refused.
  await page.click('[data-server="DS1"] .body');
  await page.keyboard.press('Delete');
  assert.match(await page.getByTestId('notice').innerText(), /keeps the servers it starts with: DS1 cannot be deleted/);
  assert.ok((await servers(page)).includes('DS1'));
  // A preset picked during the exercise is refused too: the refusal stays
  // the notice, not "Opened the preset … one Undo away" (its Undo would
  // take back the learner's last step).
  const before = await servers(page);
  await page.selectOption('[data-action="preset"]', 'moving');
  const notice = await page.getByTestId('notice').innerText();
  assert.doesNotMatch(notice, /Opened the preset/);
  assert.match(notice, /cannot|keeps/);
  assert.deepEqual(await servers(page), before);
  await page.click('[data-action="leave-exercise"]');
  await page.waitForSelector('[data-server="PS4"]');
  assert.deepEqual(await servers(page), mine);
  assert.equal(await page.locator('[data-testid="task-panel"]').count(), 0);
  assert.equal(await page.evaluate(() => location.hash), '');
  await done(app, server.url);
});

test('a task quoting the documentation\'s table shows a table, in the task panel and the presenter\'s caption', async () => {
  const app = await openApp(server.browser, server.url, { viewport: { width: 1280, height: 800 } });
  const { page } = app;
  await openBuiltIn(page, '2-scenario-2');
  // Its start has no title: the header says the exercise's.
  assert.equal(await page.getByTestId('scenario-title').innerText(), 'Scenario 2: dual roles');
  const table = [
    ['Server', 'Protecting', 'Protected by'],
    ['DS1 (primary)', 'PS1, PS2', 'DS2'],
    ['DS2 (primary)', 'PS3', 'DS3'],
    ['DS2 (secondary)', 'DS1', 'DS3'],
    ['DS3 (primary)', 'PS4', 'DS4'],
    ['DS3 (secondary)', 'DS2', 'DS4'],
    ['DS4', 'DS3', '-'],
  ];
  assert.deepEqual(await cellsOf(page, '.task-text'), table);
  assert.equal(await page.locator('.task-text p').innerText(), 'In Scenario 2 some DPM servers are primary and secondary at once. Draw it from the table.');
  assert.doesNotMatch(await page.locator('.task-text').innerText(), /\||\\/);
  // Its palette is closed (no server to add): the first visit's hint does
  // not send the participant there.
  await page.getByTestId('palette-closed').waitFor();
  assert.match(await page.locator('.first-hint').innerText(), /^To protect, drag from the dot/);
  await page.click('[data-action="leave-exercise"]');
  assert.match(await page.locator('.first-hint').innerText(), /^Drag a server from the palette/);
  await page.click('[data-action="present"]');
  for (let i = 0; i < 40 && !/dual roles$/.test(await page.getByTestId('scene-title').innerText()); i++) {
    await page.keyboard.press('PageDown');
  }
  assert.equal(await page.getByTestId('scene-title').innerText(), 'Exercise: Scenario 2: dual roles');
  assert.deepEqual(await cellsOf(page, '.scene-caption'), table);
  assert.doesNotMatch(await page.locator('.scene-caption').innerText(), /\||\\/);
  // The caption stands beside the drawing: along the bottom, it left the
  // drawing too little height for its names (hidden under 11 px).
  await page.waitForTimeout(400);
  const bar = await page.getByTestId('presenter').boundingBox();
  const bodies = await page.$$eval('svg.canvas [data-server] .body', (bs) => bs.map((b) => b.getBoundingClientRect().right));
  assert.equal(bodies.length, 8);
  for (const right of bodies) assert.ok(right <= bar.x, `a server under the caption (${right} > ${bar.x})`);
  const names = await page.$$eval('svg.canvas .name', (ts) =>
    ts.map((t) => (getComputedStyle(t).display === 'none' ? 0 : parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)),
  );
  for (const px of names) assert.ok(px >= 17, `a name at ${px} px (0: hidden)`);
  await screenshot(page, 'presenter-exercise-table');
  await done(app, server.url);
});

test('a trainer makes an exercise of the drawing; a participant opens its link', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-1');
  await page.waitForSelector('[data-server="DS4"]');
  await tool(page, 'author');
  await page.fill('[data-testid="author-title"]', 'Remove the single point');
  // A table in the task, one cell of it markup: shown as text.
  await page.fill(
    '[data-testid="author-task"]',
    'Make sure no one server can fail and take data with it.\n\n|Server|Protected by|\n|---|---|\n|DS4|<img src=x onerror="window.__pwned=1">|',
  );
  await page.selectOption('[data-testid="goal-kind"]', 'no-single-point');
  await page.fill('[data-testid="goal-hints"]', 'Open Risk.\nLet DS1 protect DS4.');
  await page.click('[data-action="add-goal"]');
  await page.selectOption('[data-testid="goal-kind"]', 'protection');
  await page.click('[data-action="add-goal"]');
  assert.equal(await page.locator('[data-authored-goal]').count(), 2);
  // Only protections may change.
  for (const id of ['add-dpm', 'add-protected', 'delete-given', 'rename-given', 'edit-facts', 'remove-protections']) {
    await page.uncheck(`[data-allow="${id}"]`);
  }
  await screenshot(page, 'exercise-author');
  await page.click('[data-action="copy-exercise-link"]');
  const link = await page.getByTestId('exercise-link').inputValue();
  assert.match(link, /#x=/);
  await done(app, server.url);

  const p = await openApp(server.browser, server.url, { path: link.slice(link.indexOf('#')), wait: '[data-goal]' });
  assert.equal(await p.page.locator('.task-title').innerText(), 'Remove the single point');
  assert.deepEqual(await cellsOf(p.page, '.task-text'), [['Server', 'Protected by'], ['DS4', '<img src=x onerror="window.__pwned=1">']]);
  assert.equal(await p.page.locator('.task-text img').count(), 0);
  assert.equal(await p.page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(await goals(p.page), ['goal-1 fail', 'goal-2 pass']);
  assert.equal(await p.page.locator('[data-action="add-dpm"]:visible').count(), 0);
  await connect(p.page, 'DS1', 'DS4');
  await p.page.waitForSelector('[data-goal="goal-1"][data-state="pass"]');
  await p.page.waitForSelector('[data-testid="exercise-done"]');
  await done(p, server.url);
});

test('a trainer is told when a recovery goal is one no drawing can meet', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-1');
  await page.waitForSelector('[data-server="DS4"]');
  await tool(page, 'author');
  const add = async (fail, name) => {
    await page.selectOption('[data-testid="goal-kind"]', 'recovered-after');
    await page.fill('[data-key="fail"]', fail);
    await page.selectOption('[data-key="server"]', { label: name });
    await page.click('[data-action="add-goal"]');
  };
  // PS1 after DS1 fails: Switch Protection to DS3, which a drawing shows.
  await add('DS1', 'PS1');
  // DS1 itself: only a rebuild brings it back, and a drawing cannot show
  // that.
  await add('DS1', 'DS1');
  const never = page.locator('[data-authored-goal] [data-part="never"]');
  assert.equal(await never.count(), 1);
  assert.equal(await page.locator('[data-authored-goal="goal-2"] [data-part="never"]').count(), 1);
  assert.match(await never.innerText(), /DPM's ways for DS1 \(“Rebuild the failed DPM server”\) are rebuilds and restores.*no drawing meets it/);
  // Removed, the warning goes with it.
  await page.click('[aria-label="Remove goal 2"]');
  assert.equal(await never.count(), 0);
  await done(app, server.url);
});

test('a damaged exercise link changes nothing and says why', async () => {
  const app = await openApp(server.browser, server.url, { path: '#x=AAAAbroken', wait: '[data-testid="notice"]' });
  assert.match(await app.page.getByTestId('notice').innerText(), /exercise link cannot be opened: .*damaged/);
  assert.equal(await app.page.locator('[data-testid="task-panel"]').count(), 0);
  await done(app, server.url);
});

for (const [width, height] of [[1920, 1080], [1280, 720]]) {
  test(`presenter mode at ${width}x${height}: PageDown walks a failover's steps, spotlight, Escape leaves`, async () => {
    const app = await openApp(server.browser, server.url, { viewport: { width, height } });
    const { page } = app;
    const before = await protections(page);
    // Zoomed in: the view the presenter gives back.
    await page.click('[data-action="zoom-in"]');
    await page.click('[data-action="zoom-in"]');
    await page.waitForTimeout(300);
    const view = async () => [
      await page.locator('.zoom-level').innerText(),
      await page.locator('svg.canvas > g[transform]').getAttribute('transform'),
    ];
    const viewBefore = await view();
    await page.click('[data-action="present"]');
    await page.waitForSelector('[data-testid="presenter"]');
    assert.equal(await page.locator('.toolbar').isVisible(), false, 'panels and toolbar are hidden');
    assert.equal(await page.locator('.side').isVisible(), false);
    // Walk to the "Moving protected servers" failover with the keyboard.
    const title = () => page.getByTestId('scene-title').innerText();
    for (let i = 0; i < 30 && !/Switch Protection, step 1/.test(await title()); i++) {
      await page.keyboard.press('PageDown');
    }
    assert.match(await title(), /DPM1 fails: Switch Protection, step 1 of (\d+)/);
    assert.match(await page.locator('[data-server="DPM1"]').getAttribute('class'), /failed/);
    const steps = Number((await title()).match(/of (\d+)/)[1]);
    assert.ok(steps >= 2);
    await screenshot(page, `present-${width}x${height}-step-1`);
    for (let k = 2; k <= steps; k++) {
      await page.keyboard.press('PageDown');
      assert.match(await title(), new RegExp(`step ${k} of ${steps}`));
    }
    assert.ok((await protections(page)).includes('DPM3->Server1'), 'the last step shows Switch Protection done');
    await page.keyboard.press('PageUp');
    assert.match(await title(), new RegExp(`step ${steps - 1} of ${steps}`));
    // Spotlight the server under discussion.
    await page.click('[data-server="DPM3"] .body');
    assert.match(await page.locator('[data-server="DPM3"]').getAttribute('class'), /spot/);
    assert.match(await page.locator('svg.canvas').getAttribute('class'), /spotlight/);
    await page.waitForTimeout(300); // the others fade out (0.2 s)
    await screenshot(page, `present-${width}x${height}-spotlight`);
    // The scene list jumps anywhere.
    await page.click('[data-action="scenes"]');
    const total = await page.locator('[data-scene]').count();
    assert.ok(total > steps, 'the list holds every scene');
    await page.click('[data-scene="0"]');
    assert.equal(await page.getByTestId('scene-count').innerText(), `1 / ${total}`);
    assert.doesNotMatch(await title(), /Switch Protection/);
    // Escape closes the open Scenes list first, then the presentation.
    await page.click('[data-action="scenes"]');
    await page.locator('[data-scene]').first().waitFor();
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-scene]').count(), 0, 'Escape closed the Scenes list');
    assert.equal(await page.getByTestId('presenter').count(), 1, 'and is still presenting');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.toolbar', { state: 'visible' });
    assert.equal(await page.locator('[data-testid="presenter"]').count(), 0);
    assert.deepEqual(await protections(page), before, 'presenting never changed the drawing');
    await page.waitForTimeout(400);
    assert.deepEqual(await view(), viewBefore, 'leaving gives back the view it was entered from, not a fit');
    await done(app, server.url);
  });
}

test('presenting hides the editor\'s notice, whose button would change the drawing unseen', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await page.selectOption('[data-action="preset"]', 'scenario-2');
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /Opened the preset/);
  await page.click('[data-action="present"]');
  await page.waitForSelector('[data-testid="presenter"]');
  assert.equal(await notice.isVisible(), false, 'no notice over the presentation');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.toolbar', { state: 'visible' });
  assert.equal(await notice.isVisible(), true, 'the notice is back after');
  await done(app, server.url);
});

test('presenter: a server of another drawing\'s scene in the spotlight gives up the focus on leaving, a server of the drawing keeps it', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  const focused = () => page.evaluate(() => document.activeElement?.closest('[data-server]')?.getAttribute('data-server') ?? null);
  await page.click('[data-action="present"]');
  await page.waitForSelector('[data-testid="presenter"]');
  // The drawing's own scene: DS1 stays DS1 after leaving, focus and all.
  await page.click('[data-server="DS1"] .body');
  assert.equal(await focused(), 'DS1');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.toolbar', { state: 'visible' });
  assert.equal(await focused(), 'DS1', 'the same server keeps the focus');
  // A scene of "Moving protected servers": its DPM1 is drawn by the node
  // that draws the drawing's server of the same id, another server.
  await page.click('[data-action="present"]');
  await page.waitForSelector('[data-testid="presenter"]');
  for (let i = 0; i < 30 && !/^Moving protected servers/.test(await page.getByTestId('scene-title').innerText()); i++) {
    await page.keyboard.press('PageDown');
  }
  assert.match(await page.getByTestId('scene-title').innerText(), /^Moving protected servers/);
  await page.click('[data-server="DPM1"] .body');
  assert.equal(await focused(), 'DPM1');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.toolbar', { state: 'visible' });
  await page.waitForSelector('[data-server="DS1"]');
  assert.equal(await focused(), null, 'no server of the drawing took over the scene server\'s focus');
  await done(app, server.url);
});

test('the notice that a goal has no more hints goes once that goal is met', async () => {
  const app = await openApp(server.browser, server.url);
  const { page } = app;
  await openBuiltIn(page, '3-cyclic-office');
  // Out of hints for the first goal not met.
  for (let i = 0; i < 6; i++) {
    await page.click('[data-action="hint"]');
    if (/No more hints/.test(await page.getByTestId('notice').innerText().catch(() => ''))) break;
  }
  const notice = page.getByTestId('notice');
  assert.match(await notice.innerText(), /No more hints for this goal/);
  // Solve it: the notice no longer stands.
  await connect(page, 'DS1', 'DS2');
  await connect(page, 'DS2', 'DS1');
  await page.waitForSelector('[data-goal="no-single-copy"][data-state="pass"]');
  await notice.waitFor({ state: 'detached', timeout: 2000 });
  await done(app, server.url);
});

test('presenter at 1280x720: no scene twice, and the spotlight keeps its server\'s arrows bright', async () => {
  const app = await openApp(server.browser, server.url, { viewport: { width: 1280, height: 720 } });
  const { page } = app;
  const titles = async () => {
    await page.click('[data-action="scenes"]');
    const all = await page.locator('[data-scene]').allInnerTexts();
    await page.click('[data-action="scenes"]');
    return all;
  };
  const present = async () => {
    await page.click('[data-action="present"]');
    await page.waitForSelector('[data-testid="presenter"]');
  };
  // The first visit's drawing is Scenario 1 as the preset has it: shown
  // once, as that preset, and the presentation starts there.
  await present();
  let all = await titles();
  assert.deepEqual([...new Set(all)], all, `no title twice: ${all.join(' | ')}`);
  const scenario1 = all.find((t) => t.startsWith('Scenario 1'));
  assert.equal(all.filter((t) => t.startsWith('Scenario 1')).length, 1, all.join(' | '));
  assert.equal(await page.getByTestId('scene-title').innerText(), scenario1);
  await page.keyboard.press('Escape');
  await page.waitForSelector('.toolbar', { state: 'visible' });
  // Changed, it is the user's own drawing: its own scene, told apart.
  await page.click('[data-server="PS4"] .body');
  await page.keyboard.press('Delete');
  await present();
  all = await titles();
  assert.deepEqual([...new Set(all)], all, `no title twice: ${all.join(' | ')}`);
  assert.equal(all[0], `${scenario1} (your drawing)`);
  assert.equal(await page.getByTestId('scene-title').innerText(), all[0]);

  // Spotlight DS1: its own arrows stay bright, the rest dims.
  await page.click('[data-server="DS1"] .body');
  await page.waitForTimeout(1200); // the fades (0.2 s) and the arrows' entrance
  const opacity = (sel) => page.$$eval(sel, (els) => els.map((e) => [
    e.getAttribute('data-protection') ?? e.getAttribute('data-server'), Number(getComputedStyle(e).opacity)]));
  const arrows = await opacity('[data-protection]');
  const own = arrows.filter(([p]) => p.split('->').includes('DS1'));
  const others = arrows.filter(([p]) => !p.split('->').includes('DS1'));
  assert.ok(own.length >= 2 && others.length >= 2, JSON.stringify(arrows));
  for (const [p, o] of own) assert.equal(o, 1, `${p} stays bright`);
  for (const [p, o] of others) assert.ok(o < 0.5, `${p} dims (${o})`);
  const nodes = Object.fromEntries(await opacity('[data-server]'));
  assert.equal(nodes.DS1, 1);
  assert.ok(nodes.PS1 > 0.5, 'a server DS1 protects stays legible');
  assert.ok(nodes.DS4 < 0.5, 'a server it has no arrow to dims');
  await screenshot(page, 'present-1280x720-spotlight-arrows');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.toolbar', { state: 'visible' });
  await done(app, server.url);
});
