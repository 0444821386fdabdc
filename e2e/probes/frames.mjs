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

/**
 * Drags from `target` in circles for `seconds` (the peers folder's method),
 * recording frames; resolves to { moves (per second), p50, p95, count }.
 */
export async function dragInCircles(page, target, seconds) {
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
  await page.mouse.up();
  return { moves: i / elapsed, ...(await stopFrames(page)) };
}
