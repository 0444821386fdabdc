// Trunk post_build hook: puts the SHA-256 of every inline script of the
// built index.html into its Content-Security-Policy, in place of the token
// 'sha256-INLINE-SCRIPTS'. Trunk writes one inline script (the loader that
// starts the wasm); the policy allows that script and nothing else inline.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp-hash: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)');
  process.exit(1);
}
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}
if (!html.includes("'sha256-INLINE-SCRIPTS'")) {
  console.error('csp-hash: index.html has no placeholder for the inline scripts');
  process.exit(1);
}
html = html.replace("'sha256-INLINE-SCRIPTS'", hashes.join(' ') || "'none'");
writeFileSync(file, html);
console.log(`csp-hash: ${hashes.length} inline script(s) allowed by hash`);
