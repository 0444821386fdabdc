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
// Each byte value gets its character by how often it occurs: the 122 most
// frequent an ASCII one (one byte in UTF-8), the next 128 one of U+0080-
// U+00FF (two bytes), the six rarest the escaped ones; the start script
// reads them back through the table. A constant shift of every byte, as
// before, left a third of the bytes two long: 2 KB more after gzip.
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

/** The characters of the wasm's string (see the header): for each byte
 * value, its character's code, and `decode`, each code's byte value as
 * hex (512 digits, for the start script). */
export function byteCodes(bytes) {
  const count = new Array(256).fill(0);
  for (const b of bytes) count[b]++;
  const byFrequency = [...Array(256).keys()].sort((a, b) => count[b] - count[a] || a - b);
  const escaped = [0x00, 0x0a, 0x0d, 0x22, 0x3c, 0x5c];
  const codes = [];
  for (let c = 1; c < 256; c++) if (!escaped.includes(c)) codes.push(c);
  codes.push(...escaped);
  const code = new Array(256);
  const decode = new Array(256);
  byFrequency.forEach((b, rank) => {
    code[b] = codes[rank];
    decode[codes[rank]] = b;
  });
  return { code, decode: decode.map((b) => b.toString(16).padStart(2, '0')).join('') };
}

/** The wasm as the body of a JS string literal, each byte written as
 * `code` gives it. */
export function wasmString(bytes, code) {
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    const c = code[bytes[i]];
    const next = code[bytes[i + 1]];
    if (c === 0) out.push(next >= 0x30 && next <= 0x39 ? '\\x00' : '\\0');
    else if (c === 0x5c) out.push('\\\\');
    else if (c === 0x22) out.push('\\"');
    else if (c === 0x0a) out.push('\\n');
    else if (c === 0x0d) out.push('\\r');
    else if (c === 0x3c) out.push('\\x3c');
    else out.push(String.fromCharCode(c));
  }
  return out.join('');
}

const glue = read(join(dir, 'dpm-viewer.js')).replace(/\r\n?/g, '\n');
const wasm = readFileSync(join(dir, 'dpm-viewer_bg.wasm'));
const { code, decode } = byteCodes(wasm);
const literal = wasmString(wasm, code);
const data = `var DPM_VIEWER_WASM="${literal}";`;
// Read back as the start script will: every byte as it was.
{
  const table = decode.match(/../g).map((h) => parseInt(h, 16));
  const back = new Function(`return "${literal}";`)();
  if (back.length !== wasm.length || wasm.some((b, i) => table[back.charCodeAt(i)] !== b)) {
    console.error('viewer-page: the wasm does not read back from its string');
    process.exit(1);
  }
}
// The start script, before the wasm: the palette (the page's data-theme,
// else the address's &theme=, else the reader's system, followed as it
// changes), a crash guard (an internal error ends in a WebAssembly trap:
// say so, do not leave a dead page), then the wasm from its string. The
// page is UTF-8 (its meta says so); a server that declares another charset
// garbles the wasm's string, so that is said, not attempted.
const start = `(function(){
var root=document.documentElement,body=document.body,shown=false;
function fail(m){if(shown)return;shown=true;var p=document.createElement("p");p.setAttribute("role","alert");p.className="vw-error";p.textContent=m;body.insertBefore(p,body.firstChild);}
var asked=body.getAttribute("data-theme")||(/[#&]theme=(light|dark)(&|$)/.exec(location.hash)||[])[1];
var mq=window.matchMedia&&matchMedia("(prefers-color-scheme: dark)");
function palette(){root.setAttribute("data-theme",asked||(mq&&mq.matches?"dark":"light"));}
palette();if(!asked&&mq&&mq.addEventListener)mq.addEventListener("change",palette);
function stopped(e){var err=e&&(e.error||e.reason);if(err instanceof WebAssembly.RuntimeError)fail("The viewer stopped on an internal error. Reload the page to start it again.");}
addEventListener("error",stopped);addEventListener("unhandledrejection",stopped);
if(document.characterSet!=="UTF-8"){fail("This page must be served as UTF-8; its server declared "+document.characterSet+", so the DPM scenario viewer cannot start.");return;}
if(typeof DPM_VIEWER_WASM!=="string"||DPM_VIEWER_WASM.length!==${wasm.length}||typeof wasm_bindgen!=="function"){fail("This page was altered or cut short: the DPM scenario viewer it holds is incomplete.");return;}
var t="${decode}",d=[],s=DPM_VIEWER_WASM,b=new Uint8Array(s.length),i;for(i=0;i<256;i++)d[i]=parseInt(t.substr(2*i,2),16);for(i=0;i<s.length;i++)b[i]=d[s.charCodeAt(i)];DPM_VIEWER_WASM=null;
wasm_bindgen({module_or_path:b}).catch(function(e){console.error(e);fail(e instanceof WebAssembly.CompileError?"This page's viewer is damaged: its WebAssembly does not compile.":(typeof WebAssembly!=="object"?"This browser cannot run the DPM scenario viewer: WebAssembly is needed.":"The DPM scenario viewer could not start: "+e));});
})();`;
/** Each rule of a flat stylesheet (one `selectors { … }` per rule, no
 * at-rules) with its selectors put under `scope`: no CSS nesting needed. */
export function scoped(css, scope) {
  return css.replace(/([^{}]+)\{([^{}]*)\}/g, (_, sel, body) => {
    const list = sel
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => `${scope} ${x}`);
    return `${list.join(', ')} {${body}}`;
  });
}
/** A stylesheet without its comments and the spaces around its braces and
 * semicolons: for the project's own stylesheets, whose strings hold none
 * of `{};`, a comment's start or a run of white space (refused if one
 * does). */
export function minified(css) {
  const strings = css.replace(/\/\*[\s\S]*?\*\//g, '').match(/"[^"]*"|'[^']*'/g) ?? [];
  if (strings.some((q) => /\/\*|[{};]|\s\s|[\n\r\t]/.test(q))) {
    console.error('viewer-page: a string in the stylesheet holds { } ; /* or runs of white space; it cannot be minified');
    process.exit(1);
  }
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};]) ?/g, '$1')
    .trim();
}
const style = minified(
  [
    read(join(root, 'viewer/view.css')),
    read(join(root, 'rules/src/svg-light.css')),
    scoped(read(join(root, 'rules/src/svg-dark.css')), ':root[data-theme="dark"]'),
  ].join('\n'),
);
if (!/\bwasm_bindgen\b/.test(glue) || /^\s*export\s/m.test(glue)) {
  console.error('viewer-page: the glue does not define the global wasm_bindgen (is the rust link still data-type="worker"?)');
  process.exit(1);
}
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
console.log(`viewer-page: view.html, ${Buffer.byteLength(page).toLocaleString('en-US')} bytes (wasm ${wasm.length.toLocaleString('en-US')})`);
