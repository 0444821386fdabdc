// Prints the raw and gzip sizes of what a first visit loads, per artifact,
// and checks each against bundle-budget.json:
//   editor  index.html and every file of dist/ it names (js, wasm, css, icon)
//   viewer  view.html, which must name no other file (it holds the viewer)
// and prints the self-contained page `dpm-check export --to html` makes of
// Scenario 1 (the viewer's page with the scenario in it).
// Reports as a TAP stream, so the test runner counts the checks.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..');
const dist = process.env.DIST ? resolve(process.env.DIST) : join(root, 'dist');
const budget = JSON.parse(readFileSync(join(root, 'bundle-budget.json'), 'utf8'));
const gz = (b) => gzipSync(b, { level: 9 }).length;
const fmt = (n) => n.toLocaleString('en-US').padStart(10);

/** The page and the files of dist/ it names, with their sizes. */
function artifact(page) {
  const html = readFileSync(join(dist, page), 'utf8');
  // Another page it links to (the editor links to view.html) is not loaded with it.
  const files = [page, ...readdirSync(dist).filter((f) => f !== page && !f.endsWith('.html') && !f.startsWith('.') && html.includes(f))];
  return files.map((f) => {
    const body = readFileSync(join(dist, f));
    return { f, raw: body.length, gz: gz(body) };
  });
}

const checks = [];
const sizes = {};
for (const [name, page, max] of [
  ['editor', 'index.html', budget.editor_gzip_max],
  ['viewer', 'view.html', budget.viewer_gzip_max],
]) {
  const rows = artifact(page);
  console.log(`${name} (${page}): first load`);
  console.log('  file                                        raw bytes  gzip bytes');
  for (const r of rows) console.log(`  ${r.f.padEnd(40)} ${fmt(r.raw)} ${fmt(r.gz)}`);
  const raw = rows.reduce((a, r) => a + r.raw, 0);
  const total = rows.reduce((a, r) => a + r.gz, 0);
  sizes[name] = total;
  console.log(`  ${'total'.padEnd(40)} ${fmt(raw)} ${fmt(total)}`);
  console.log(`  budget                                         gzip ${fmt(max)} (${((100 * total) / max).toFixed(1)}% used)\n`);
  checks.push([total <= max && raw > 0, `${name} first load gzip ${total} <= budget ${max}`]);
  if (name === 'viewer') checks.push([rows.length === 1, `the viewer's page loads no other file (${rows.map((r) => r.f).join(', ')})`]);
}

// The self-contained page, as the command line makes it.
let page = null;
try {
  page = execFileSync(
    'cargo',
    ['run', '-q', '-p', 'dpm-check', '--', 'export', join(root, 'scenarios/scenario-1.dpm.json'), '--to', 'html'],
    { cwd: root, env: { ...process.env, DPM_VIEWER_PAGE: join(dist, 'view.html') }, maxBuffer: 64 << 20 },
  );
  console.log(`self-contained page (dpm-check export scenario-1.dpm.json --to html): ${fmt(page.length).trim()} bytes, ${fmt(gz(page)).trim()} gzip\n`);
} catch (e) {
  console.log(`self-contained page: dpm-check could not make it: ${e.stderr || e.message}`);
}
checks.push([page !== null && gz(page) <= budget.viewer_gzip_max + 1000, `the self-contained page is made, at most 1,000 gzip bytes over the viewer's budget`]);

console.log('TAP version 13');
checks.forEach(([ok, what], i) => console.log(`${ok ? 'ok' : 'not ok'} ${i + 1} - ${what}`));
console.log(`1..${checks.length}`);
const pass = checks.filter(([ok]) => ok).length;
console.log(`# pass ${pass}`);
console.log(`# fail ${checks.length - pass}`);
process.exit(pass === checks.length ? 0 : 1);
