// Writes the widget's chat-core.js after the links of its modules (one per
// language): core.js (the hand-written loader and browser side) with the wasm's
// import and export names, in place of the glue Emscripten wrote with each module,
// then its local names shortened.
//
// Emscripten names the imports and exports of an optimised link with a letter or
// two ("a", "b"...), and only its glue knows which is which. Those glues are read
// here for those names and nothing else (they must agree: one loader serves every
// module): core.js spells the names as the C++ does (`restochat_js_call`,
// `widget_call`) and each is renamed to its letter, checked both ways (every import
// of the link is in core.js's `imports`, every name core.js reads from `exports` is
// an export of the link).
//
// Names are shortened with what Emscripten's own JS optimizer uses, as Debian has no
// closure compiler: acorn to parse (found through NODE_PATH, as emcc needs it) and
// the terser bundled with Emscripten to rename and print. Properties are left alone.
//
//   node link.js <emscripten>/third_party/terser/terser.js core.js chat-core.js <glue.js>...
//
// Types: JSDoc checked by tsc (script/typecheck; acorn's and terser's in tools/types/).
'use strict';
const fs = require('fs');
const acorn = require('acorn');

const [terserPath, corePath, file, ...gluePaths] = process.argv.slice(2);
/** @type {EmscriptenTerser} */
const terser = require(terserPath);
/** @param {string} why @returns {never} */
const fail = (why) => { throw new Error(`${file}: ${why}`); };

// The names in Emscripten's glue (-sMINIMAL_RUNTIME, -O2 and above):
//   var asmLibraryArg={"e":_abort,"k":chat_crypto_fill,...};
//   var imports={"a":asmLibraryArg};
//   function initRuntime(asm){asm["v"]()}
//   _widget_create=asm["w"];...;wasmMemory=asm["u"];
/** @param {string} gluePath @returns {{imports: Map<string, string>, exports: Map<string, string>}} */
function namesOf(gluePath) {
  const glue = fs.readFileSync(gluePath, 'utf8');
  const library = /var asmLibraryArg=\{([^}]*)\}/.exec(glue) || fail(`no asmLibraryArg in ${gluePath}`);
  const imports = new Map();  // restochat_js_call -> "a"
  for (const [, short, name] of library[1].matchAll(/"(\w+)":(\w+)/g)) imports.set(name.replace(/^_/, ''), short);
  if (!/var imports=\{"a":asmLibraryArg\}/.test(glue)) fail(`the imports of ${gluePath} are not in module "a"`);
  const exports = new Map();  // widget_call -> "x"
  for (const [, name, short] of glue.matchAll(/(\w+)=asm\["(\w+)"\]/g)) {
    exports.set(name === 'wasmMemory' ? 'memory' : name.replace(/^_/, ''), short);
  }
  const ctors = /function initRuntime\(asm\)\{asm\["(\w+)"\]\(\)\}/.exec(glue) || fail(`no constructors in ${gluePath}`);
  exports.set('__wasm_call_ctors', ctors[1]);
  return { imports, exports };
}
if (!gluePaths.length) fail('no glue to read');
const names = gluePaths.map(namesOf);
/** @param {Map<string, string>} a @param {Map<string, string>} b */
const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
for (let i = 1; i < names.length; i++) {
  if (!same(names[i].imports, names[0].imports) || !same(names[i].exports, names[0].exports)) {
    fail(`${gluePaths[i]} names its imports or exports otherwise than ${gluePaths[0]}`);
  }
}
const importNames = names[0].imports;
const exportNames = names[0].exports;

// terser 3 can't read import.meta: a global name stands in for it meanwhile.
const META = 'import.meta.url';
const STAND_IN = '__restochat_import_meta_url__';
const source = fs.readFileSync(corePath, 'utf8');
if (source.includes(STAND_IN)) fail(`${corePath} already holds ${STAND_IN}`);
const tree = acorn.parse(source.split(META).join(STAND_IN), { ecmaVersion: 2020, sourceType: 'module' });

/** @param {acorn.Node} p a property of an object literal @returns {string} */
const keyName = (p) => (p.key.type === 'Identifier' ? p.key.name : p.key.value);
const renamedImports = new Set();
(/** @param {acorn.Node} node */ function walk(node) {
  if (!node || typeof node.type !== 'string') return;
  if (node.type === 'VariableDeclarator' && node.id.name === 'imports' && node.init.type === 'ObjectExpression') {
    for (const p of node.init.properties) {
      const name = keyName(p);
      if (!importNames.has(name)) fail(`core.js imports ${name}, which the link does not`);
      p.key = { type: 'Identifier', name: importNames.get(name) };
      renamedImports.add(name);
    }
  }
  if (node.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' &&
      node.object.name === 'exports') {
    const name = node.property.name;
    if (!exportNames.has(name)) fail(`core.js reads ${name}, which the link does not export`);
    node.property = { type: 'Identifier', name: exportNames.get(name) };
  }
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') walk(v);
  }
})(tree);
for (const name of importNames.keys()) {
  if (!renamedImports.has(name)) fail(`the link imports ${name}, which core.js does not give`);
}

const ast = terser.AST_Node.from_mozilla_ast(tree);
ast.figure_out_scope({});
ast.compute_char_frequency({});  // picks the short names, most used letters first
ast.mangle_names({});
const out = ast.print_to_string({}).split(STAND_IN).join(META);

fs.writeFileSync(file + '.tmp', out);
fs.renameSync(file + '.tmp', file);
