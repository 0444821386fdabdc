// Trunk post_build hook: makes the documentation viewer's page, view.html,
// one file that loads nothing else. Trunk builds the viewer (viewer/, a
// `data-type="worker"` rust link in index.html: classic-script glue, file
// names without hashes); this puts into viewer/view.html
//   - the viewer's stylesheet with the drawing's own (rules/src/svg-*.css,
//     the dark one scoped to :root[data-theme="dark"]),
//   - the wasm-bindgen glue, the wasm as a JS string, and the start script,
// and writes the page's Content-Security-Policy with the hash of each.
// Nothing is fetched at run time, so the page works in a frame sandboxed to
// `allow-scripts` (an opaque origin) on a host that sends no CORS header,
// from file://, and as the self-contained page `dpm-check export --to html`
// fills with a scenario (dpm_rules::viewer_page).
//
// The wasm is written one character per byte (U+0000-U+00FF, the few that
// a string or an inline script cannot hold escaped): gzip then finds the
// same repeats as in the binary, where base64 would cost about a third more.
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('viewer-page: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)');
  process.exit(1);
}
const read = (p) => readFileSync(p, 'utf8');

/** The wasm as the body of a JS string literal (see the header). */
export function wasmString(bytes) {
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const next = bytes[i + 1];
    if (b === 0) out.push(next >= 0x30 && next <= 0x39 ? '\\x00' : '\\0');
    else if (b === 0x5c) out.push('\\\\');
    else if (b === 0x22) out.push('\\"');
    else if (b === 0x0a) out.push('\\n');
    else if (b === 0x0d) out.push('\\r');
    else if (b === 0x3c) out.push('\\x3c');
    else out.push(String.fromCharCode(b));
  }
  return out.join('');
}

const glue = read(join(dir, 'dpm-viewer.js'));
const wasm = readFileSync(join(dir, 'dpm-viewer_bg.wasm'));
const data = `var DPM_VIEWER_WASM="${wasmString(wasm)}";`;
const start =
  '(function(){var s=DPM_VIEWER_WASM,b=new Uint8Array(s.length);for(var i=0;i<s.length;i++)b[i]=s.charCodeAt(i);' +
  'DPM_VIEWER_WASM=null;wasm_bindgen({module_or_path:b}).catch(function(e){console.error(e);' +
  'var p=document.createElement("p");p.setAttribute("role","alert");' +
  'p.textContent="This browser could not start the DPM scenario viewer (WebAssembly is needed).";document.body.appendChild(p);});})();';
const style = [
  read(join(root, 'viewer/view.css')),
  read(join(root, 'rules/src/svg-light.css')),
  `:root[data-theme="dark"] {\n${read(join(root, 'rules/src/svg-dark.css'))}}\n`,
].join('\n');
for (const [what, text] of [['glue', glue], ['start', start]]) {
  if (/<\/script|<!--/i.test(text)) {
    console.error(`viewer-page: the ${what} script holds "</script" or "<!--"; it cannot be inlined`);
    process.exit(1);
  }
}
const hash = (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
let page = read(join(root, 'viewer/view.html'));
const put = (token, text) => {
  if (!page.includes(token)) {
    console.error(`viewer-page: viewer/view.html has no ${token}`);
    process.exit(1);
  }
  page = page.replace(token, () => text);
};
put('SCRIPT-HASHES', [glue, data, start].map(hash).join(' '));
put('STYLE-HASHES', hash(style));
put('<style>STYLE</style>', `<style>${style}</style>`);
put('<script>GLUE</script>', `<script>${glue}</script>`);
put('<script>WASM</script>', `<script>${data}</script>`);
put('<script>START</script>', `<script>${start}</script>`);
writeFileSync(join(dir, 'view.html'), page);
// The page holds them: nothing else may load them.
rmSync(join(dir, 'dpm-viewer.js'));
rmSync(join(dir, 'dpm-viewer_bg.wasm'));
console.log(`viewer-page: view.html, ${page.length.toLocaleString('en-US')} bytes (wasm ${wasm.length.toLocaleString('en-US')})`);
