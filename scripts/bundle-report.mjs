// Prints the release bundle's raw and gzip sizes and checks the gzip total
// against bundle-budget.json. Reports as a one-test TAP stream, so the test
// runner counts the budget check.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const dist = process.env.DIST ? resolve(process.env.DIST) : join(root, 'dist');
const budget = JSON.parse(readFileSync(join(root, 'bundle-budget.json'), 'utf8')).gzip_total_max;

const rows = [];
for (const ext of ['.wasm', '.js', '.css']) {
  let raw = 0;
  let gz = 0;
  for (const f of readdirSync(dist)) {
    if (extname(f) !== ext) continue;
    const body = readFileSync(join(dist, f));
    raw += statSync(join(dist, f)).size;
    gz += gzipSync(body, { level: 9 }).length;
  }
  rows.push([ext, raw, gz]);
}
const total = rows.reduce((a, r) => [a[0] + r[1], a[1] + r[2]], [0, 0]);
const fmt = (n) => n.toLocaleString('en-US').padStart(10);
console.log('file      raw bytes  gzip bytes');
for (const [ext, raw, gz] of rows) console.log(`${ext.padEnd(6)} ${fmt(raw)} ${fmt(gz)}`);
console.log(`${'total'.padEnd(6)} ${fmt(total[0])} ${fmt(total[1])}`);
console.log(`budget        gzip ${fmt(budget)} (${((100 * total[1]) / budget).toFixed(1)}% used)`);
const ok = total[1] <= budget && total[0] > 0;
console.log('TAP version 13');
console.log(`${ok ? 'ok' : 'not ok'} 1 - bundle gzip total ${total[1]} <= budget ${budget}`);
console.log('1..1');
console.log(`# pass ${ok ? 1 : 0}`);
console.log(`# fail ${ok ? 0 : 1}`);
process.exit(ok ? 0 : 1);
