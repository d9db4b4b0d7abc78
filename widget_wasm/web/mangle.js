// Shortens the local names of the Emscripten glue (chat-core.js), in place, after the
// link: Emscripten 3.1.6 only renames them through the closure compiler, which Debian
// doesn't ship (-2 KB gzipped of 8.5). It uses what Emscripten's own JS optimizer
// uses: acorn to parse (found through NODE_PATH, as emcc needs it) and the terser
// bundled with Emscripten to rename and print. Nothing reached from outside changes:
// properties (Module['mount'], the wasm's imports and exports) are keys or strings,
// and top-level names (createChatCore, the export) are left alone. It also makes two
// checked edits to Emscripten's minimal runtime (below).
//
//   node mangle.js <emscripten>/third_party/terser/terser.js chat-core.js
'use strict';
const fs = require('fs');
const path = require('path');
const acorn = require('acorn');

const [terserPath, file] = process.argv.slice(2);
const terser = require(terserPath);

// terser 3 can't read import.meta: a global name stands in for it meanwhile.
const META = 'import.meta.url';
const STAND_IN = '__restochat_import_meta_url__';
const source = fs.readFileSync(file, 'utf8');
if (source.includes(STAND_IN)) throw new Error(`${file} already holds ${STAND_IN}`);

// Emscripten's minimal runtime (-sMINIMAL_RUNTIME: 1.4 KB gzipped less glue than the
// full one) fetches the .wasm by a path relative to the page, and leaves the module's
// promise pending when that fails. Two exact edits, each checked: the path is taken
// relative to the glue itself (this folder, wherever the page is), and a failure
// rejects the promise (the shim then tries again at the next click).
function edit(text, from, to) {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`${file}: expected ${from} once, found it ${parts.length - 1} times`);
  return parts.join(to);
}
const wasmName = path.basename(file).replace(/\.js$/, '.wasm');
let glue = edit(source, `fetch("${wasmName}")`, `fetch(new URL("${wasmName}",${META}))`);
glue = edit(glue, 'initRuntime(asm);ready()})', 'initRuntime(asm);ready()},readyPromiseReject)');

const tree = acorn.parse(glue.split(META).join(STAND_IN), { ecmaVersion: 2020, sourceType: 'module' });
const ast = terser.AST_Node.from_mozilla_ast(tree);
ast.figure_out_scope({});
ast.compute_char_frequency({});  // picks the short names, most used letters first
ast.mangle_names({});
const out = ast.print_to_string({}).split(STAND_IN).join(META);

fs.writeFileSync(file + '.tmp', out);
fs.renameSync(file + '.tmp', file);
