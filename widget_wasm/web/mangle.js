// Shortens the local names of the Emscripten glue (chat-core.js), in place, after the
// link: Emscripten 3.1.6 only renames them through the closure compiler, which Debian
// doesn't ship (-2 KB gzipped of 8.5). It uses what Emscripten's own JS optimizer
// uses: acorn to parse (found through NODE_PATH, as emcc needs it) and the terser
// bundled with Emscripten to rename and print. Nothing reached from outside changes:
// properties (Module['mount'], the wasm's imports and exports) are keys or strings,
// and top-level names (createChatCore, the export) are left alone.
//
//   node mangle.js <emscripten>/third_party/terser/terser.js chat-core.js
'use strict';
const fs = require('fs');
const acorn = require('acorn');

const [terserPath, file] = process.argv.slice(2);
const terser = require(terserPath);

// terser 3 can't read import.meta: a global name stands in for it meanwhile.
const META = 'import.meta.url';
const STAND_IN = '__restochat_import_meta_url__';
const source = fs.readFileSync(file, 'utf8');
if (source.includes(STAND_IN)) throw new Error(`${file} already holds ${STAND_IN}`);

const tree = acorn.parse(source.split(META).join(STAND_IN), { ecmaVersion: 2020, sourceType: 'module' });
const ast = terser.AST_Node.from_mozilla_ast(tree);
ast.figure_out_scope({});
ast.compute_char_frequency({});  // picks the short names, most used letters first
ast.mangle_names({});
const out = ast.print_to_string({}).split(STAND_IN).join(META);

fs.writeFileSync(file + '.tmp', out);
fs.renameSync(file + '.tmp', file);
