// Architecture invariants that a compiler does not check, as rust-analyzer's
// tidy tests do, reported as a TAP stream so the test runner counts them:
//
// 1. No function is longer than LIMIT lines unless a comment right above it
//    (among its doc comments and attributes) says "Long because ...".
// 2. The app crate's modules import one way: no import circle, and no module
//    imports from a layer above its own (see the code map in src/lib.rs).
// 3. Every path Trunk's watcher ignores exists in a clone (else `./dev
//    serve` stops before it starts).
//
//   node scripts/tidy.mjs           check, print the longest functions
//   node scripts/tidy.mjs --report  also list every function over 60 lines
//                                   and the app crate's import edges
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const LIMIT = 100;
const report = process.argv.includes('--report');

function rustFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...rustFiles(p));
    else if (name.endsWith('.rs')) out.push(p);
  }
  return out.sort();
}

// ---- 1. Function lengths -------------------------------------------------
// The code is rustfmt-formatted, so a function ends at the first line that
// is its own indentation followed by `}`.
const FN = /^(\s*)(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)/;
function functions(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const fns = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FN.exec(lines[i]);
    if (!m) continue;
    const indent = m[1];
    // A declaration without a body (trait item) ends with `;` before any `{`.
    let j = i;
    while (j < lines.length && !lines[j].includes('{') && !lines[j].trimEnd().endsWith(';')) j++;
    if (j >= lines.length || !lines[j].includes('{')) continue;
    if (lines[j].trimEnd().endsWith('}') && j === i) continue; // one-liner
    let end = j + 1;
    while (end < lines.length && lines[end] !== `${indent}}`) end++;
    if (end >= lines.length) continue;
    // The comments and attributes right above: where a reason is written.
    let k = i - 1;
    let above = '';
    while (k >= 0 && /^\s*(\/\/|#\[|#!\[)/.test(lines[k])) above = lines[k--] + '\n' + above;
    fns.push({
      file: relative(root, file),
      line: i + 1,
      name: m[2],
      lines: end - i + 1,
      reason: /Long because/.test(above),
    });
  }
  return fns;
}

const crates = { app: 'src', 'dpm-rules': 'rules/src', 'dpm-check': 'cli/src', 'dpm-viewer': 'viewer/src' };
const all = [];
for (const [crate, dir] of Object.entries(crates)) {
  for (const f of rustFiles(join(root, dir))) for (const fn of functions(f)) all.push({ crate, ...fn });
}
all.sort((a, b) => b.lines - a.lines);

const results = [];
const long = all.filter((f) => f.lines > LIMIT && !f.reason);
results.push([
  long.length === 0,
  `no function over ${LIMIT} lines without a "Long because" comment`,
  long.map((f) => `${f.file}:${f.line} ${f.name}: ${f.lines} lines`),
]);
console.log('# longest function in each crate:');
for (const crate of Object.keys(crates)) {
  const f = all.find((x) => x.crate === crate);
  if (f) console.log(`#   ${crate}: ${f.name}: ${f.lines} (${f.file}:${f.line})${f.reason ? ', reason written' : ''}`);
}
if (report) {
  console.log(`# functions over 60 lines:`);
  for (const f of all.filter((x) => x.lines > 60)) {
    console.log(`#   ${f.lines.toString().padStart(4)} ${f.crate} ${f.name} ${f.file}:${f.line}${f.reason ? ' (reason written)' : ''}`);
  }
}

// ---- 2. The app crate's imports ------------------------------------------
// A module is a file: src/a/b.rs is `a::b`, src/a/mod.rs and src/a.rs are `a`.
const src = join(root, 'src');
// The crate root (src/lib.rs) is the module `crate`; main.rs only starts it.
const files = rustFiles(src).filter((f) => relative(src, f) !== 'main.rs');
const modOf = (f) =>
  relative(src, f) === 'lib.rs'
    ? 'crate'
    : relative(src, f)
    .replace(/\.rs$/, '')
    .replace(new RegExp(`\\${sep}mod$`), '')
    .split(sep)
    .join('::');
const mods = new Set(files.map(modOf));

// The layer of each module, bottom (0) to top; a module may import only from
// its own layer or below. Kept in step with the code map in src/lib.rs.
function layer(m) {
  if (m === 'crate') return 7; // lib.rs: the code map and `mod` lines
  if (m === 'browser' || m.startsWith('browser::')) return 0;
  if (m === 'state' || m.startsWith('state::')) return 1;
  if (m.endsWith('::state')) return 2;
  if (m === 'ctx') return 3;
  if (m === 'commands') return 4;
  if (m === 'shell' || m.startsWith('shell::')) return 6;
  return 5;
}

// Resolves a path written in `from` (crate::a::b::Item, super::x) to a module.
function target(from, path) {
  let parts = path.split('::');
  if (parts[0] === 'crate') parts = parts.slice(1);
  else {
    let base = from.split('::');
    // In a mod.rs (or a file with children) `super` is the parent's parent.
    while (parts[0] === 'super' || parts[0] === 'self') {
      if (parts[0] === 'super') base = base.slice(0, -1);
      parts = parts.slice(1);
    }
    parts = [...base, ...parts];
  }
  for (let n = parts.length; n > 0; n--) {
    const m = parts.slice(0, n).join('::');
    if (mods.has(m)) return m;
  }
  return 'crate';
}

const edges = new Map([...mods].map((m) => [m, new Set()]));
for (const f of files) {
  const from = modOf(f);
  const text = readFileSync(f, 'utf8')
    .replace(/\/\/.*$/gm, '') // comments name modules without importing them
    .replace(/#\[cfg\(test\)\][\s\S]*$/m, ''); // a file's own tests may reach anywhere
  // `use crate::{a::X, b::{Y, Z}}` and plain paths `crate::a::f(…)`.
  const paths = new Set();
  for (const m of text.matchAll(/\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)/g)) paths.add(m[1] + m[2]);
  for (const m of text.matchAll(/use\s+(crate|super)::\{([^;]*)\};/g)) {
    // Top-level items of a grouped use: split on commas outside braces.
    let depth = 0;
    let cur = '';
    const items = [];
    for (const ch of m[2]) {
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      if (ch === ',' && depth === 0) {
        items.push(cur);
        cur = '';
      } else cur += ch;
    }
    items.push(cur);
    for (const it of items) {
      const head = it.trim().split(/[:{\s]/)[0];
      const rest = it.trim().replace(/\{[\s\S]*$/, '').replace(/::$/, '');
      if (head) paths.add(`${m[1]}::${rest || head}`);
    }
  }
  for (const p of paths) {
    const t = target(from, p);
    if (t && t !== from) edges.get(from).add(t);
  }
}

// Tarjan's strongly connected components: each one of more than one module
// is an import circle.
const index = new Map();
const low = new Map();
const onStack = new Set();
const stack = [];
const circles = [];
let next = 0;
function visit(v) {
  index.set(v, next);
  low.set(v, next++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v)) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) circles.push(c.sort());
  }
}
for (const m of [...mods].sort()) if (!index.has(m)) visit(m);
console.log(`# app crate: ${mods.size} modules, ${circles.length} import circles`);
results.push([circles.length === 0, 'no import circle in the app crate', circles.map((c) => c.join(' <-> '))]);

const upward = [];
for (const [from, tos] of edges) {
  for (const to of tos) if (layer(to) > layer(from)) upward.push(`${from} (layer ${layer(from)}) imports ${to} (layer ${layer(to)})`);
}
results.push([upward.length === 0, 'no app module imports from a layer above its own', upward]);
if (report) {
  console.log('# imports:');
  for (const [from, tos] of [...edges].sort()) console.log(`#   ${from} [${layer(from)}] -> ${[...tos].sort().join(', ')}`);
}

// ---- 3. `./dev serve` on a fresh clone ------------------------------------
// Trunk refuses to serve when a path its watcher ignores does not exist;
// `target` is made by `./dev serve` itself.
const trunk = readFileSync(join(root, 'Trunk.toml'), 'utf8');
const ignored = JSON.parse((/^ignore\s*=\s*(\[[^\]]*\])/m.exec(trunk) || [, '[]'])[1]);
const missing = ignored.filter((p) => p !== 'target' && !existsSync(join(root, p)));
results.push([missing.length === 0, "every path Trunk.toml's watcher ignores exists in a clone", missing]);

console.log('TAP version 13');
results.forEach(([ok, name, detail], i) => {
  console.log(`${ok ? 'ok' : 'not ok'} ${i + 1} - ${name}`);
  if (!ok) for (const d of detail) console.log(`  # ${d}`);
});
console.log(`1..${results.length}`);
const failed = results.filter((r) => !r[0]).length;
console.log(`# pass ${results.length - failed}`);
console.log(`# fail ${failed}`);
process.exit(failed ? 1 : 0);
