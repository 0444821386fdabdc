// The edits of a large estate (issue 24, item 1) as steps, shared by the
// edits probe (e2e/probes/edits.mjs, which times them) and the estate test
// (e2e/estate-edits.test.mjs, which checks each once). Each action is a list
// of steps: a step with a `row` is a timed input (its row in the probe's
// table), the others set up or restore what the timed ones need. A timed
// step may `aim` first: what it finds (where to click) is in `s.aim` for
// its input, found before the timing starts. Every step waits for what the
// user would see (`check`), so the probe only times an action that did
// what it says, and the test asserts exactly that.
//
// Servers are found on the page as drawn: `[data-server]` groups with a
// `.body` shape, DPM servers with the class `dpm`, a primary told by
// "DPM · primary" in its label; protections as `[data-protection="A->B"]`.
// Zoomed out on a large estate the drawing is painted on a canvas (the far
// view) and only the selection and a few others are nodes: the others are
// found in the saved drawing, placed by the drawing's transform
// (`window.__edits.servers()`), and clicked by their place.

/** Serialised in every page before the app starts: the input timer. */
export function installTimer() {
  // Wall time of one input: from the first input event after `arm()` (its
  // timeStamp, when the browser took it in) to the second animation frame
  // after the last input event of the gesture, by which time the frame
  // showing the result has been drawn. Capture listeners on the window see
  // every event before the app's own handlers.
  let armed = false;
  // Whether a pointer move counts as an input (a drag's moves, when the
  // step says so): not otherwise, as the move before a click is no edit.
  let moves = false;
  let start = null;
  let gen = 0;
  let end = null;
  let waiters = [];
  const onEvent = (e) => {
    if (!armed || (e.type === 'pointermove' && !moves)) return;
    if (start === null) start = e.timeStamp || performance.now();
    const g = ++gen;
    end = null;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (g !== gen) return;
        end = performance.now();
        for (const w of waiters.splice(0)) w();
      }),
    );
  };
  const types = ['pointermove', 'pointerdown', 'pointerup', 'mousedown', 'mouseup', 'click', 'dblclick', 'keydown', 'keyup', 'input', 'change', 'wheel'];
  for (const t of types) addEventListener(t, onEvent, true);
  // Trunk hands the started module's exports (and so its memory) out here.
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__wasmMemory = e.detail?.wasm?.memory ?? null;
  });
  window.__edits = {
    // The saved drawing and where its points are on the page, by the
    // canvas's transform: { d, c (the canvas's box), k (the zoom),
    // at(p) -> [x, y] }; null before there are both.
    drawing() {
      const svg = document.querySelector('svg.canvas');
      const m = /translate\(([-\d.e]+) ([-\d.e]+)\) scale\(([-\d.e]+)\)/.exec(svg?.querySelector(':scope > g[transform]')?.getAttribute('transform') ?? '');
      const text = localStorage.getItem('dpm-sketch/drawing');
      if (!m || !text) return null;
      const c = svg.getBoundingClientRect();
      const [tx, ty, k] = m.slice(1).map(Number);
      return { d: JSON.parse(text), c, k, at: (p) => [c.x + tx + k * p.x, c.y + ty + k * p.y] };
    },
    // Where server `n` is drawn, as a string that changes when it moves.
    place(n) {
      const g = document.querySelector(`[data-server="${CSS.escape(n)}"]`);
      const b = g?.querySelector('.body');
      if (!b) return null;
      // Its place in the drawing (a notice above the canvas moves it on
      // screen without moving it).
      return [g.getAttribute('transform'), b.getAttribute('x'), b.getAttribute('y')].join(' ');
    },
    // A point of protection `l`'s line, in the canvas, where a click
    // reaches it (not another arrow or a server over it); null if none.
    linkPoint(l) {
      const g = document.querySelector(`[data-protection="${CSS.escape(l)}"]`);
      const path = g?.querySelector('path.hit') ?? g?.querySelector('path');
      if (!path) return null;
      const m = path.getScreenCTM();
      const len = path.getTotalLength();
      const c = document.querySelector('svg.canvas').getBoundingClientRect();
      // From the middle outwards, to near either end.
      for (let k = 0; k <= 90; k++) {
        const s = len * (0.5 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.01);
        const p = path.getPointAtLength(Math.max(0, Math.min(len, s))).matrixTransform(m);
        if (p.x < c.x + 4 || p.x > c.right - 4 || p.y < c.y + 4 || p.y > c.bottom - 4) continue;
        if (document.elementFromPoint(p.x, p.y)?.closest('[data-protection]') === g) return { x: p.x, y: p.y };
      }
      return null;
    },
    // The servers drawn, each { name, dpm, primary, x, y, w, h, node }
    // with its centre and size on screen: those that are SVG nodes as
    // drawn; when the far view of a large estate is painted on the canvas
    // (`canvas.ground`, where only the selection and a few others are
    // nodes), every other server from the saved drawing, placed by the
    // drawing's transform.
    servers() {
      const svg = document.querySelector('svg.canvas');
      const out = new Map();
      const ground = document.querySelector('canvas.ground.servers');
      const drawn = ground && ground.width > 0 ? this.drawing() : null;
      if (drawn) {
        const { d, k, at } = drawn;
        const kind = new Map(d.servers.map((s) => [s.name, s.kind]));
        const primary = new Set((d.protections ?? []).filter((p) => kind.get(p.protector) === 'dpm' && kind.get(p.target) !== 'dpm').map((p) => p.protector));
        for (const s of d.servers) {
          if (typeof s.x !== 'number') continue;
          // The widest a box grows (224), so that a point off it is surely off.
          // Pointer events carry whole pixels: the pixel a click lands on,
          // and whether it is on the box (`sharp`; a box may be a pixel high).
          const [x, y] = at(s);
          const [px, py] = [Math.round(x), Math.round(y)];
          const sharp = Math.abs(px - x) < (136 * k) / 2 - 0.05 && Math.abs(py - y) < (54 * k) / 2 - 0.05;
          out.set(s.name, { name: s.name, dpm: s.kind === 'dpm', primary: primary.has(s.name), x: px, y: py, w: 224 * k, h: 54 * k, node: false, sharp });
        }
      }
      for (const g of svg.querySelectorAll('[data-server]')) {
        const b = g.querySelector('.body');
        if (!b) continue;
        const r = b.getBoundingClientRect();
        out.set(g.getAttribute('data-server'), {
          name: g.getAttribute('data-server'),
          dpm: g.classList.contains('dpm'),
          primary: /DPM · primary/.test(g.getAttribute('aria-label') || ''),
          x: r.x + r.width / 2,
          y: r.y + r.height / 2,
          w: r.width,
          h: r.height,
          node: true,
        });
      }
      return [...out.values()];
    },
    // The protections from `name` ("A->B"): nodes drawn, and in the
    // painted far view those of the saved drawing.
    linksFrom(name) {
      const out = new Set([...document.querySelectorAll('[data-protection]')].map((e) => e.getAttribute('data-protection')).filter((l) => l.startsWith(`${name}->`)));
      const text = document.querySelector('canvas.ground.servers')?.width > 0 ? localStorage.getItem('dpm-sketch/drawing') : null;
      for (const p of text ? JSON.parse(text).protections ?? [] : []) if (p.protector === name) out.add(`${p.protector}->${p.target}`);
      return [...out];
    },
    // Whether protection `l` is in the drawing: drawn as a node, or (the
    // painted far view) in the saved drawing; null while a save is pending.
    hasLink(l) {
      if (document.querySelector(`[data-protection="${CSS.escape(l)}"]`)) return true;
      if (!(document.querySelector('canvas.ground.servers')?.width > 0)) return false;
      if (document.querySelector('[data-save-pending]')) return null;
      const [from, to] = l.split('->');
      return (JSON.parse(localStorage.getItem('dpm-sketch/drawing') || '{}').protections ?? []).some((p) => p.protector === from && p.target === to);
    },
    arm() {
      armed = true;
      moves = false;
      start = null;
      end = null;
      gen++;
    },
    // The armed input is a drag's pointer move (called after `arm`).
    timeMoves() {
      moves = true;
    },
    wait() {
      return new Promise((ok) => {
        const finish = () => {
          armed = false;
          ok(start === null ? { error: 'no input event reached the page' } : { wall: end - start });
        };
        if (start === null || end !== null) finish();
        else waiters.push(finish);
      });
    },
  };
}

/** How long a check waits for what an input should show, in ms. */
export const CHECK_MS = Number(process.env.CHECK_MS || 120000);

const wait = (page, fn, arg, what) =>
  page.waitForFunction(fn, arg, { timeout: CHECK_MS, polling: 100 }).catch(() => {
    throw new Error(`not seen: ${what}`);
  });

/** Waits until the drawing rests saved (what `serversOnScreen` reads when painted). */
export const saved = (page) =>
  wait(page, () => !document.querySelector('[data-save-pending]') && !!localStorage.getItem('dpm-sketch/drawing'), null, 'the drawing saved');

/** Resolves to the canvas's box on screen: { x, y, width, height, cx, cy }. */
export const canvasBox = (page) =>
  page.evaluate(() => {
    const r = document.querySelector('svg.canvas').getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height, cx: r.x + r.width / 2, cy: r.y + r.height / 2 };
  });

/** The centre of server `name`'s shape on screen, or null when not drawn. */
export const centreOf = async (page, name) => {
  await saved(page);
  return page.evaluate((n) => {
    const s = window.__edits.servers().find((s) => s.name === n);
    return s ? { x: s.x, y: s.y } : null;
  }, name);
};

/** Where server `name` is drawn, as a string that changes when it moves. */
const placeOf = (page, name) => page.evaluate((n) => window.__edits.place(n), name);

/** Waits until server `name` is drawn at `place` (`same`) or elsewhere. */
const placed = (page, name, place, same, what) =>
  wait(page, ([n, p, y]) => (window.__edits.place(n) === p) === y && window.__edits.place(n) !== null, [name, place, same], `${name} ${what}`);

/**
 * The servers the actions work on, drawn wholly inside the canvas and
 * nearest its centre: two protected servers (`p1`, `p2`), a primary DPM
 * server (`dpm`), a protection a click reaches (`link`, "A->B": the DPM
 * server's, else the one on top nearest the centre, at `linkAt`) and a
 * protected server the DPM server does not protect (`target`). Throws when
 * the view has none.
 */
export async function pickTargets(page) {
  await saved(page);
  const t = await page.evaluate(() => {
    const c = document.querySelector('svg.canvas').getBoundingClientRect();
    const [mx, my] = [c.x + c.width / 2, c.y + c.height / 2];
    const all = [];
    for (const s of window.__edits.servers()) {
      const { x, y } = s;
      if (!s.node && !s.sharp) continue;
      if (x - s.w / 2 < c.x + 24 || y - s.h / 2 < c.y + 24 || x + s.w / 2 > c.right - 24 || y + s.h / 2 > c.bottom - 24) continue;
      // Not under an overlay (the minimap, a tip): a click there reaches
      // it (its node, or the painted canvas under the drawing).
      const under = document.elementFromPoint(x, y);
      const node = under?.closest('[data-server]');
      if (s.node ? node?.getAttribute('data-server') !== s.name : node || !under?.closest('svg.canvas')) continue;
      all.push({ ...s, d: (x - mx) ** 2 + (y - my) ** 2 });
    }
    all.sort((a, b) => a.d - b.d);
    const prot = all.filter((s) => !s.dpm);
    const dpm = all.find((s) => s.primary) ?? all.find((s) => s.dpm);
    if (!dpm || prot.length < 2) return { error: `${all.length} servers wholly in view, none fit` };
    // Its protections, those to a server wholly in view first.
    const seen = new Set(all.map((s) => s.name));
    const links = window.__edits
      .linksFrom(dpm.name)
      .sort((a, b) => seen.has(b.slice(dpm.name.length + 2)) - seen.has(a.slice(dpm.name.length + 2)));
    const protectsIt = new Set(links.map((l) => l.slice(dpm.name.length + 2)));
    // The target first (an estate laid out in bands may have one server in
    // view that the DPM server does not protect), then the two nearest.
    const target = prot.find((s) => !protectsIt.has(s.name) && s !== prot[0]) ?? prot.find((s) => !protectsIt.has(s.name));
    const rest = prot.filter((s) => s !== target);
    if (rest.length < 2) return { error: `${all.length} servers wholly in view, two besides the target needed` };
    // The protection to remove: the DPM server's, else any, with a point a
    // click reaches (in a dense estate, arrows lie over arrows).
    let link = links.slice(0, 50).find((l) => window.__edits.linkPoint(l)) ?? null;
    let linkAt = null;
    // Else the arrow on top nearest the centre.
    for (let d = 0; !link && d < Math.min(c.width, c.height) / 2; d += 6) {
      for (const [x, y] of [[mx + d, my], [mx - d, my], [mx, my + d], [mx, my - d]]) {
        const g = document.elementFromPoint(x, y)?.closest('[data-protection]');
        if (g && x > c.x + 4 && x < c.right - 4 && y > c.y + 4 && y < c.bottom - 4) {
          link = g.getAttribute('data-protection');
          linkAt = { x, y };
          break;
        }
      }
    }
    return { p1: rest[0].name, p2: rest[1].name, dpm: dpm.name, link, linkAt, target: target?.name ?? null };
  });
  if (t.error) throw new Error(t.error);
  return t;
}

/**
 * Pans the view (by dragging the bare canvas) so that DPM server `dpm`,
 * centred in it, shares it with the nearest protected server it does not
 * protect: close in, an estate laid out in bands shows a DPM server with
 * its own servers only, and a protection needs a server to go to. Leaves
 * the view as it is when that server is already in view, or too far away
 * for both to show. Resolves to that server's name, or null.
 */
export async function frameWithTarget(page, dpm) {
  const plan = await page.evaluate((dpm) => {
    const drawn = window.__edits.drawing();
    if (!drawn) return null;
    const { d, c, k, at } = drawn;
    const from = d.servers.find((s) => s.name === dpm);
    const own = new Set(d.protections.filter((p) => p.protector === dpm).map((p) => p.target));
    let best = null;
    for (const s of d.servers) {
      if (s.kind === 'dpm' || own.has(s.name) || typeof s.x !== 'number') continue;
      const dist = Math.hypot(s.x - from.x, s.y - from.y);
      if (!best || dist < best.dist) best = { s, dist };
    }
    if (!best) return null;
    const [a, b] = [at(from), at(best.s)];
    // Room for both boxes and the margins pickTargets keeps.
    const [hw, hh] = [(224 * k) / 2 + 24, (56 * k) / 2 + 24];
    const inside = ([x, y]) => x - hw > c.x && x + hw < c.right && y - hh > c.y && y + hh < c.bottom;
    if (inside(b)) return { name: best.s.name };
    if (Math.abs(a[0] - b[0]) > c.width - 2 * hw || Math.abs(a[1] - b[1]) > c.height - 2 * hh) return null;
    return { name: best.s.name, dx: c.x + c.width / 2 - (a[0] + b[0]) / 2, dy: c.y + c.height / 2 - (a[1] + b[1]) / 2 };
  }, dpm);
  if (!plan) return null;
  if (plan.dx !== undefined) await panBy(page, plan.dx, plan.dy);
  return plan.name;
}

/**
 * Pans the view by (dx, dy) pixels, dragging the bare canvas (in steps of
 * at most half the canvas, each from a spot of it that stays on it).
 */
export async function panBy(page, dx, dy) {
  const box = await canvasBox(page);
  const most = [box.width / 2 - 24, box.height / 2 - 24];
  const steps = Math.max(1, Math.ceil(Math.abs(dx) / most[0]), Math.ceil(Math.abs(dy) / most[1]));
  for (let i = 0; i < steps; i++) {
    const [sx, sy] = [dx / steps, dy / steps];
    const from = await page.evaluate(([dx, dy]) => {
      const c = document.querySelector('svg.canvas').getBoundingClientRect();
      for (let y = c.y + 12; y < c.bottom - 12; y += 9) {
        for (let x = c.x + 12; x < c.right - 12; x += 9) {
          const [ex, ey] = [x + dx, y + dy];
          if (ex < c.x + 4 || ex > c.right - 4 || ey < c.y + 4 || ey > c.bottom - 4) continue;
          const e = document.elementFromPoint(x, y);
          if (e && e.closest('svg.canvas') && !e.closest('[data-server], .protection-group')) return { x, y };
        }
      }
      return null;
    }, [sx, sy]);
    if (!from) throw new Error('no bare spot of the canvas to pan from');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + sx, from.y + sy, { steps: 8 });
    await page.mouse.up();
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  }
}

/**
 * Brings the view back to the DPM server and its target when a step moved
 * it (Tab gives the keys to the next server in the page's order, and the
 * view follows the keys, in an estate laid out in bands often out of the
 * view): Find centres the DPM server, then `frameWithTarget`.
 */
async function backInView(s) {
  const away = await s.page.evaluate((names) => {
    const c = document.querySelector('svg.canvas').getBoundingClientRect();
    return names.some((n) => {
      const b = document.querySelector(`[data-server="${CSS.escape(n)}"] .body`)?.getBoundingClientRect();
      return !b || b.x < c.x || b.y < c.y || b.right > c.right || b.bottom > c.bottom;
    });
  }, [s.t.dpm, s.t.target].filter(Boolean));
  if (!away || s.far) return;
  await s.page.keyboard.press('Escape');
  await s.page.keyboard.press('/');
  await s.page.getByTestId('find').locator('input').waitFor();
  await s.page.keyboard.type(s.t.dpm);
  await s.page.keyboard.press('Enter');
  await wait(s.page, (n) => document.querySelector(`[data-server="${CSS.escape(n)}"].selected`), s.t.dpm, 'found again');
  await s.page.keyboard.press('Escape');
  await s.page.keyboard.press('Escape');
  await frameWithTarget(s.page, s.t.dpm);
}

/** The centre of server `name`'s shape on screen (throws when not drawn). */
async function drawnAt(page, name) {
  const at = await centreOf(page, name);
  if (!at) throw new Error(`${name} is not drawn`);
  return at;
}

/** Clicks the centre of server `name`'s shape (throws when not drawn). */
async function clickServer(page, name) {
  const at = await drawnAt(page, name);
  await page.mouse.click(at.x, at.y);
}

/**
 * A timed step's `aim`: the centre of the server the session calls `key`
 * (throws when not drawn), found before the input is timed. Finding it
 * reads the saved drawing in the page (some 14 ms at 10,000 servers),
 * which the main-thread figure would otherwise count as the edit's.
 */
const aimAt = (key) => (s) => drawnAt(s.page, s.t[key]);

/**
 * A timed step's `aim`: the centre of the button `action` (made reachable
 * first), found before the input is timed. Finding it is Playwright's
 * query over the whole page (some 14 ms with 1,000 servers as nodes),
 * which the main-thread figure would otherwise count as the click's.
 */
const aimButton = (action) => (s) => button(s.page, action);

/** A timed step's input: a click where its `aim` found the server or button. */
const clickAim = (s) => s.page.mouse.click(s.aim.x, s.aim.y);

const isSelected = (page, name) =>
  wait(page, (n) => document.querySelector(`[data-server="${CSS.escape(n)}"]`)?.classList.contains('selected'), name, `${name} selected`);
const allSelected = (page, n) =>
  wait(page, (n) => Number(/([\d,]+) servers selected/.exec(document.body.innerText)?.[1]?.replace(/,/g, '')) === n, n, `all ${n} servers selected`);
/** A drag's move, `dx` px right of where it was pressed (and half that down), timed as the input. */
async function dragMove(s, dx) {
  await s.page.evaluate(() => window.__edits.timeMoves());
  await s.page.mouse.move(s.at.x + dx, s.at.y + dx / 2);
}
/** Waits until server p1, dragged, is drawn about `dx` px right of where it was pressed. */
const draggedTo = (s, dx) =>
  wait(
    s.page,
    ([n, x]) => {
      const g = document.querySelector(`svg.drag-layer [data-server="${CSS.escape(n)}"]`);
      const r = (g?.querySelector('.body') ?? g)?.getBoundingClientRect();
      return !!r && Math.abs(r.x + r.width / 2 - x) < 12;
    },
    [s.t.p1, s.at.x + dx],
    `${s.t.p1} dragged ${dx} px`,
  );
/**
 * Waits until server p1 is drawn about `dx` px right of where it was
 * pressed, with nothing waiting to be saved: the drop made an edit.
 */
const landed = (s, dx) =>
  wait(
    s.page,
    ([n, x]) => {
      if (document.querySelector('[data-save-pending]')) return false;
      const at = window.__edits.servers().find((v) => v.name === n);
      return !!at && Math.abs(at.x - x) < 12;
    },
    [s.t.p1, s.at.x + dx],
    `${s.t.p1} saved ${dx} px from where it was`,
  );
const noSelection = (page) => wait(page, () => !document.querySelector('[data-server].selected'), null, 'nothing selected');
const drawn = (page, name) => wait(page, (n) => !!document.querySelector(`[data-server="${CSS.escape(n)}"]`), name, `${name} drawn`);
const gone = (page, name) => wait(page, (n) => !document.querySelector(`[data-server="${CSS.escape(n)}"]`), name, `${name} gone`);
const linkThere = (page, link, there = true) =>
  wait(page, ([l, t]) => window.__edits.hasLink(l) === t, [link, there], `${link} ${there ? 'drawn' : 'gone'}`);
const pressed = (page, action, on) =>
  wait(page, ([a, o]) => document.querySelector(`[data-action="${a}"]`)?.getAttribute('aria-pressed') === String(o), [action, on], `${action} ${on ? 'on' : 'off'}`);

/** Clears the selection (Escape, focus on the canvas) until none is shown. */
async function deselect(page) {
  await page.keyboard.press('Escape');
  await noSelection(page);
}

/** Selects only `name`: a click on it, nothing else selected. */
async function selectOnly(page, name) {
  await deselect(page);
  await clickServer(page, name);
  await isSelected(page, name);
}

/**
 * A box that holds server `name` whole and starts on the empty canvas (a
 * press on a server or an arrow is theirs, not a box's): its start is the
 * empty point nearest the server beyond its shape on both axes, its end
 * just past the shape's far corner. { x, y, x2, y2 }, or null when the
 * canvas has no empty point.
 */
const emptyNear = (page, name) =>
  page.evaluate((n) => {
    const c = document.querySelector('svg.canvas').getBoundingClientRect();
    const all = window.__edits.servers();
    const s = all.find((s) => s.name === n);
    const [cx, cy] = [s.x, s.y];
    const [hw, hh] = [s.w / 2 + 4, s.h / 2 + 4];
    // A painted server takes a press within a few pixels of its box.
    const painted = all.filter((o) => !o.node);
    const onPainted = (x, y) => painted.some((o) => Math.abs(x - o.x) < o.w / 2 + 8 && Math.abs(y - o.y) < o.h / 2 + 8);
    const pts = [];
    for (let y = c.y + 6; y < c.bottom - 6; y += 7) {
      for (let x = c.x + 6; x < c.right - 6; x += 7) {
        if (Math.abs(x - cx) > hw && Math.abs(y - cy) > hh) pts.push([x, y, (x - cx) ** 2 + (y - cy) ** 2]);
      }
    }
    pts.sort((a, b) => a[2] - b[2]);
    for (const [x, y] of pts) {
      const e = document.elementFromPoint(x, y);
      if (!e || !e.closest('svg.canvas') || e.closest('[data-server], [data-protection], .handle') || onPainted(x, y)) continue;
      const [x2, y2] = [cx + Math.sign(cx - x) * hw, cy + Math.sign(cy - y) * hh];
      return { x, y, x2, y2 };
    }
    return null;
  }, name);

/** A point on protection `link`'s line where a click reaches it; null if none. */
const pointOnLink = (page, link) => page.evaluate((l) => window.__edits.linkPoint(l), link);

/**
 * A toolbar or view-control button by its data-action, made reachable
 * (opening "More" when the toolbar moved it there); resolves to its centre.
 */
async function button(page, action) {
  const item = page.locator(`[data-action="${action}"]`).first();
  const inMore = await item.evaluate((e) => !!e.closest('#more-menu'));
  if (inMore && !(await page.locator('#more-menu').isVisible())) await page.getByTestId('more').click();
  const b = await item.boundingBox();
  if (!b) throw new Error(`the ${action} button is not on screen`);
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

const clickAt = async (page, at) => page.mouse.click(at.x, at.y);

/** Undoes the step just checked; `check` says it is back. */
async function undo(page, check) {
  await page.keyboard.press('Control+z');
  await check();
}

/**
 * The actions, in the order the probe runs them. `s` is the session:
 * { page, t (from pickTargets), far (zoomed out: no handles) }.
 */
export const actions = [
  {
    id: 'select',
    steps: [
      { do: (s) => deselect(s.page) },
      { row: 'select one server', input: 'click', aim: aimAt('p1'), do: clickAim, check: (s) => isSelected(s.page, s.t.p1) },
    ],
  },
  {
    id: 'shift-select',
    steps: [
      {
        do: async (s) => {
          await selectOnly(s.page, s.t.p1);
          await s.page.keyboard.down('Shift');
        },
      },
      {
        row: 'shift-select a second',
        input: 'Shift+click',
        aim: aimAt('p2'),
        do: clickAim,
        check: async (s) => {
          await isSelected(s.page, s.t.p2);
          await isSelected(s.page, s.t.p1);
        },
        always: (s) => s.page.keyboard.up('Shift'),
      },
    ],
  },
  {
    id: 'box-select',
    steps: [
      {
        do: async (s) => {
          await deselect(s.page);
          s.box = await emptyNear(s.page, s.t.p1);
          if (!s.box) throw new Error('no empty canvas in view to start a box on (arrows cover it)');
          await s.page.keyboard.down('Shift');
          await s.page.mouse.move(s.box.x, s.box.y);
          await s.page.mouse.down();
          await s.page.mouse.move(s.box.x2, s.box.y2, { steps: 6 });
        },
      },
      {
        row: 'box-select (Shift+drag)',
        input: 'release',
        do: (s) => s.page.mouse.up(),
        check: (s) => isSelected(s.page, s.t.p1),
        always: (s) => s.page.keyboard.up('Shift'),
      },
    ],
  },
  {
    id: 'move',
    steps: [
      {
        do: async (s) => {
          await selectOnly(s.page, s.t.p1);
          s.place = await placeOf(s.page, s.t.p1);
        },
      },
      {
        row: 'move by an arrow key',
        input: 'ArrowRight',
        do: (s) => s.page.keyboard.press('ArrowRight'),
        check: (s) => placed(s.page, s.t.p1, s.place, false, 'moved'),
      },
      { do: (s) => undo(s.page, () => placed(s.page, s.t.p1, s.place, true, 'back')) },
    ],
  },
  {
    id: 'drag-all',
    steps: [
      {
        do: async (s) => {
          await deselect(s.page);
          s.total = await s.page.evaluate(() => JSON.parse(localStorage.getItem('dpm-sketch/drawing')).servers.length);
        },
      },
      {
        row: 'select all (Ctrl+A)',
        input: 'Ctrl+A',
        do: (s) => s.page.keyboard.press('Control+a'),
        check: (s) => allSelected(s.page, s.total),
      },
      {
        do: async (s) => {
          s.at = await drawnAt(s.page, s.t.p1);
          await s.page.mouse.move(s.at.x, s.at.y);
          await s.page.mouse.down();
        },
      },
      {
        row: 'drag all (Ctrl+A): first move',
        input: 'pointer move',
        do: (s) => dragMove(s, 24),
        check: (s) => draggedTo(s, 24),
      },
      {
        row: 'drag all (Ctrl+A): next move',
        input: 'pointer move',
        do: (s) => dragMove(s, 48),
        check: (s) => draggedTo(s, 48),
      },
      {
        row: 'drag all (Ctrl+A): drop',
        input: 'release',
        do: (s) => s.page.mouse.up(),
        // Drawn 48 px right (within the grid's snap) once the drop is
        // saved, as one edit: the undo below takes it back whole.
        check: (s) => landed(s, 48),
        always: (s) => s.page.mouse.up().catch(() => {}),
      },
      { do: (s) => undo(s.page, () => landed(s, 0)) },
    ],
  },
  {
    id: 'delete',
    steps: [
      { do: (s) => selectOnly(s.page, s.t.p1) },
      { row: 'delete a server', input: 'Delete', do: (s) => s.page.keyboard.press('Delete'), check: (s) => gone(s.page, s.t.p1) },
      { do: (s) => undo(s.page, () => drawn(s.page, s.t.p1)) },
    ],
  },
  {
    id: 'undo',
    steps: [
      {
        do: async (s) => {
          await selectOnly(s.page, s.t.p1);
          s.place = await placeOf(s.page, s.t.p1);
          await s.page.keyboard.press('ArrowDown');
          await placed(s.page, s.t.p1, s.place, false, 'moved');
          s.moved = await placeOf(s.page, s.t.p1);
        },
      },
      {
        row: 'undo',
        input: 'Ctrl+Z',
        do: (s) => s.page.keyboard.press('Control+z'),
        check: (s) => placed(s.page, s.t.p1, s.place, true, 'back'),
      },
      {
        row: 'redo',
        input: 'Ctrl+Shift+Z',
        do: (s) => s.page.keyboard.press('Control+Shift+z'),
        check: (s) => placed(s.page, s.t.p1, s.moved, true, 'moved again'),
      },
      { do: (s) => undo(s.page, () => placed(s.page, s.t.p1, s.place, true, 'back')) },
    ],
  },
  {
    id: 'rename',
    steps: [
      {
        do: async (s) => {
          await deselect(s.page);
          const at = await drawnAt(s.page, s.t.p1);
          await s.page.mouse.dblclick(at.x, at.y);
          await wait(s.page, () => document.activeElement?.getAttribute('data-fact') === 'name', null, 'the name field');
          await s.page.keyboard.type(`${s.t.p1}-R`);
        },
      },
      {
        row: 'rename',
        input: 'Enter (name typed)',
        do: (s) => s.page.keyboard.press('Enter'),
        // Renamed, and the keys back on the server (until then Ctrl+Z
        // would go to the name field).
        check: async (s) => {
          await drawn(s.page, `${s.t.p1}-R`);
          await wait(s.page, (n) => document.activeElement?.getAttribute('data-server') === n, `${s.t.p1}-R`, 'focus back on the server');
        },
      },
      { do: (s) => undo(s.page, () => drawn(s.page, s.t.p1)) },
    ],
  },
  {
    id: 'connect-canvas',
    steps: [
      {
        do: async (s) => {
          if (s.far) throw new Error('no handle drawn when zoomed out');
          if (!s.t.target) throw new Error('no server in view that the DPM server does not protect');
          await deselect(s.page);
          const from = await centreOf(s.page, s.t.dpm);
          await s.page.mouse.move(from.x, from.y);
          const dot = await s.page.locator(`[data-server="${s.t.dpm}"] .handle-dot`).boundingBox();
          if (!dot) throw new Error('no handle on the DPM server');
          const to = await centreOf(s.page, s.t.target);
          await s.page.mouse.move(dot.x + dot.width / 2, dot.y + dot.height / 2);
          await s.page.mouse.down();
          await s.page.mouse.move(to.x, to.y, { steps: 8 });
        },
      },
      {
        row: 'add a protection: canvas drag',
        input: 'release on the target',
        do: (s) => s.page.mouse.up(),
        check: (s) => linkThere(s.page, `${s.t.dpm}->${s.t.target}`),
      },
      { do: (s) => undo(s.page, () => linkThere(s.page, `${s.t.dpm}->${s.t.target}`, false)) },
    ],
  },
  {
    id: 'connect-keys',
    steps: [
      {
        do: async (s) => {
          await deselect(s.page);
          // A click gives the server the keys (a node, or in the painted
          // far view the server under the pointer).
          await selectOnly(s.page, s.t.dpm);
          await wait(s.page, (n) => document.activeElement?.getAttribute('data-server') === n, s.t.dpm, 'focus on the DPM server');
        },
      },
      {
        row: 'add a protection: keys, C',
        input: 'C on the DPM server',
        do: (s) => s.page.keyboard.press('c'),
        check: (s) => wait(s.page, () => document.querySelector('svg.canvas')?.classList.contains('connecting'), null, 'connecting'),
      },
      {
        row: 'add a protection: keys, Tab',
        input: 'Tab to a target',
        do: (s) => s.page.keyboard.press('Tab'),
        check: async (s) => {
          await wait(s.page, (d) => {
            const n = document.activeElement?.getAttribute('data-server');
            return !!n && n !== d;
          }, s.t.dpm, 'focus on another server');
          s.to = await s.page.evaluate(() => document.activeElement.getAttribute('data-server'));
        },
      },
      {
        row: 'add a protection: keys, Enter',
        input: 'Enter',
        do: (s) => s.page.keyboard.press('Enter'),
        check: (s) => linkThere(s.page, `${s.t.dpm}->${s.to}`),
        always: async (s) => {
          if (await s.page.evaluate(() => document.querySelector('svg.canvas')?.classList.contains('connecting'))) {
            await s.page.keyboard.press('Escape');
          }
        },
      },
      {
        do: async (s) => {
          await undo(s.page, () => linkThere(s.page, `${s.t.dpm}->${s.to}`, false));
          await backInView(s);
        },
      },
    ],
  },
  {
    id: 'connect-list',
    steps: [
      {
        do: async (s) => {
          if (!s.t.target) throw new Error('no server in view that the DPM server does not protect');
          await deselect(s.page);
          await clickAt(s.page, await button(s.page, 'list'));
          const list = s.page.getByTestId('servers-list');
          await list.waitFor({ timeout: CHECK_MS });
          await list.locator('[data-part="from"]').selectOption({ label: s.t.dpm }, { timeout: CHECK_MS });
          await list.locator('[data-part="to"]').selectOption({ label: s.t.target }, { timeout: CHECK_MS });
          s.listButton = await list.locator('[data-action="list-protect"]').boundingBox();
          if (!s.listButton) throw new Error('no Protect button in the list');
        },
      },
      {
        row: 'add a protection: Servers list',
        input: 'click Protect',
        do: (s) => s.page.mouse.click(s.listButton.x + s.listButton.width / 2, s.listButton.y + s.listButton.height / 2),
        check: (s) => linkThere(s.page, `${s.t.dpm}->${s.t.target}`),
      },
      {
        do: async (s) => {
          await undo(s.page, () => linkThere(s.page, `${s.t.dpm}->${s.t.target}`, false));
          await clickAt(s.page, await button(s.page, 'list'));
          await pressed(s.page, 'list', false);
        },
      },
    ],
  },
  {
    id: 'remove-protection',
    steps: [
      {
        do: async (s) => {
          if (!s.t.link) throw new Error('no protection of the DPM server drawn');
          await deselect(s.page);
          const at = (await pointOnLink(s.page, s.t.link)) ?? s.t.linkAt;
          if (!at) throw new Error(`no point of ${s.t.link} to click`);
          await clickAt(s.page, at);
          await wait(s.page, (l) => !!document.querySelector(`.selected[data-protection="${CSS.escape(l)}"], [data-protection="${CSS.escape(l)}"] .selected`), s.t.link, `${s.t.link} selected`);
        },
      },
      { row: 'remove a protection', input: 'Delete (protection selected)', do: (s) => s.page.keyboard.press('Delete'), check: (s) => linkThere(s.page, s.t.link, false) },
      {
        do: async (s) => {
          await undo(s.page, () => linkThere(s.page, s.t.link));
          await s.page.keyboard.press('Escape');
        },
      },
    ],
  },
  {
    id: 'simulator',
    steps: [
      { do: (s) => deselect(s.page) },
      {
        row: 'enter the simulator',
        input: 'click Simulate',
        aim: aimButton('simulate'),
        do: clickAim,
        check: (s) => pressed(s.page, 'simulate', true),
      },
      { row: 'fail a server', input: 'click the DPM server', aim: aimAt('dpm'), do: clickAim, check: (s) => failed(s.page, s.t.dpm, true) },
      { row: 'restore it', input: 'click it again', aim: aimAt('dpm'), do: clickAim, check: (s) => failed(s.page, s.t.dpm, false) },
      {
        do: async (s) => {
          await clickServer(s.page, s.t.dpm);
          await failed(s.page, s.t.dpm, true);
          const play = s.page.locator('[data-option] [data-action="play"]:not([disabled])').first();
          await play.waitFor({ timeout: CHECK_MS });
          await play.scrollIntoViewIfNeeded();
          s.play = await play.boundingBox();
        },
      },
      {
        row: 'play an option',
        input: 'click Play',
        do: (s) => s.page.mouse.click(s.play.x + s.play.width / 2, s.play.y + s.play.height / 2),
        check: (s) => s.page.getByTestId('caption').waitFor({ timeout: CHECK_MS }),
      },
      {
        do: async (s) => {
          await s.page.locator('[data-action="stop"]').click({ timeout: CHECK_MS });
          await s.page.getByTestId('caption').waitFor({ state: 'detached', timeout: CHECK_MS });
          // The failed server's "bring back" in the panel (Reset would
          // leave the simulator).
          await s.page.locator('[data-action="bring-back"]').first().click({ timeout: CHECK_MS });
          await failed(s.page, s.t.dpm, false);
        },
      },
      {
        row: 'leave the simulator',
        input: 'click Simulate',
        aim: aimButton('simulate'),
        do: clickAim,
        check: (s) => pressed(s.page, 'simulate', false),
      },
    ],
  },
  {
    id: 'risk',
    steps: [
      { do: (s) => deselect(s.page) },
      {
        row: 'open Risk',
        input: 'click Risk',
        aim: aimButton('risk'),
        do: clickAim,
        check: async (s) => {
          await pressed(s.page, 'risk', true);
          await s.page.locator('.risk-panel').waitFor({ timeout: CHECK_MS });
        },
      },
      {
        do: async (s) => {
          await clickAt(s.page, await button(s.page, 'risk'));
          await pressed(s.page, 'risk', false);
        },
      },
    ],
  },
  {
    id: 'copies',
    steps: [
      { do: (s) => deselect(s.page) },
      {
        row: 'open Copies',
        input: 'click Copies',
        aim: aimButton('copies'),
        do: clickAim,
        check: (s) => pressed(s.page, 'copies', true),
      },
      {
        do: async (s) => {
          await clickAt(s.page, await button(s.page, 'copies'));
          await pressed(s.page, 'copies', false);
        },
      },
    ],
  },
];

const failed = (page, name, on) =>
  wait(page, ([n, o]) => !!document.querySelector(`[data-server="${CSS.escape(n)}"]`)?.classList.contains('failed') === o, [name, on], `${name} ${on ? 'failed' : 'restored'}`);

/** Every row the actions time, in order: [action id, row, input]. */
export const rows = actions.flatMap((a) => a.steps.filter((st) => st.row).map((st) => [a.id, st.row, st.input]));

/**
 * Runs `action`'s steps on session `s` in order. A timed step's input goes
 * through `time(input, aim)` (which calls `aim`, then times `input`, and
 * resolves to its figures; by default none).
 * Resolves to { rows: [{ row, ...figures } or { row, error }], error }: the
 * first step that failed stops the action, its rows after say so.
 */
export async function runAction(s, action, time = async (input, aim) => (await aim(), await input(), {})) {
  const rows = [];
  let error = null;
  for (const st of action.steps) {
    if (error) {
      if (st.row) rows.push({ row: st.row, error: `not reached (${error})` });
      continue;
    }
    try {
      // What a step aims at is found before its input is timed, once the
      // page has settled (`time` calls it last before the input).
      const aim = async () => {
        s.aim = st.aim ? await st.aim(s) : undefined;
      };
      const figures = st.row ? await time(() => st.do(s), aim) : (await aim(), await st.do(s), null);
      if (figures?.error) throw new Error(figures.error);
      if (st.check) await st.check(s);
      if (st.row) rows.push({ row: st.row, ...figures });
    } catch (e) {
      error = String(e?.message ?? e).split('\n')[0];
      if (st.row) rows.push({ row: st.row, error });
    } finally {
      if (st.always) await st.always(s).catch(() => {});
    }
  }
  return { rows, error };
}

/**
 * After a failed action: lets go of the mouse and Shift, stops a player,
 * leaves the simulator, closes the list and the Risk and Copies views, and
 * clears the selection. Never undoes (an undo too many would take back the
 * drawing itself).
 */
export async function recover(s) {
  const { page } = s;
  const quiet = (p) => p.catch(() => {});
  await quiet(page.mouse.up());
  await quiet(page.keyboard.up('Shift'));
  if (await page.locator('[data-action="stop"]').count()) await quiet(page.locator('[data-action="stop"]').click({ timeout: CHECK_MS }));
  for (const action of ['simulate', 'list', 'risk', 'copies']) {
    const on = await page.locator(`[data-action="${action}"][aria-pressed="true"]`).count();
    if (on) await quiet((async () => clickAt(page, await button(page, action)))());
    await quiet(pressed(page, action, false));
  }
  await quiet(page.keyboard.press('Escape'));
  await quiet(page.keyboard.press('Escape'));
}
