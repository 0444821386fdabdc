// Frame times from requestAnimationFrame, shared by the probes.

/** Starts recording the time between animation frames on `page`. */
export const startFrames = (page) =>
  page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__run) requestAnimationFrame(tick);
    };
    window.__run = true;
    requestAnimationFrame(tick);
  });

/** Stops recording; resolves to { count, p50, p95 } in ms (NaN if none). */
export async function stopFrames(page) {
  const f = await page.evaluate(() => {
    window.__run = false;
    return window.__frames.slice(2);
  });
  f.sort((a, b) => a - b);
  const q = (p) => (f.length ? f[Math.min(f.length - 1, Math.floor(p * f.length))] : NaN);
  return { count: f.length, p50: q(0.5), p95: q(0.95) };
}

/** The renderer's main-thread busy time so far, in ms (CDP TaskDuration). */
async function taskMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN);
}

/**
 * Drags from `target` in circles for `seconds` (the peers folder's method),
 * recording frames; resolves to { moves (per second), work (main-thread ms
 * per move, from CDP's TaskDuration), drop (main-thread ms of the drop),
 * p50, p95, count }.
 */
export async function dragInCircles(page, target, seconds) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy0 = await taskMs(cdp);
  await startFrames(page);
  await page.mouse.move(target.x, target.y);
  await page.mouse.down();
  const start = Date.now();
  let i = 0;
  while (Date.now() - start < seconds * 1000) {
    const a = i / 20;
    await page.mouse.move(target.x + 120 * Math.cos(a) - 120, target.y + 80 * Math.sin(a), { steps: 1 });
    i++;
  }
  const elapsed = (Date.now() - start) / 1000;
  // The moves' work, then the drop's on its own (the drop commits the
  // move to the drawing: one edit).
  const busy1 = await taskMs(cdp);
  await page.mouse.up();
  const drop = (await taskMs(cdp)) - busy1;
  await cdp.detach();
  return { moves: i / elapsed, work: (busy1 - busy0) / Math.max(1, i), drop, ...(await stopFrames(page)) };
}
