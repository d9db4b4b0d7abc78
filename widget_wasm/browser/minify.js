// Minifies the shim (chat.js) and the panel's styles (chat.css) when they are staged
// (script/stage): they are written for reading, comments and all, and served as they
// are staged. JS goes through the terser Emscripten bundles, as link.js does for the
// core's loader (no new dependency); CSS through the small minifier below.
//
//   node minify.js <emscripten>/third_party/terser/terser.js <in.js|in.css> <out>
//
// Types: JSDoc checked by tsc (script/typecheck; acorn's and terser's in tools/types/).
'use strict';
const fs = require('fs');
/** @typedef {import('acorn').Node} AstNode */

const [terserPath, input, output] = process.argv.slice(2);
const source = fs.readFileSync(input, 'utf8');

// The terser Emscripten bundles has no compressor, only the mangler and printer that
// link.js uses: names shortened, comments and blanks out. terser 3 can't read
// `import(...)`: a global name stands in for it meanwhile.
/** @param {string} code @returns {string} */
function minifyJs(code) {
  const acorn = require('acorn');
  /** @type {EmscriptenTerser} */
  const terser = require(terserPath);
  const IMPORT = 'import(';
  const STAND_IN = '__restochat_import__(';
  if (code.includes(STAND_IN)) throw new Error(`${input} already holds ${STAND_IN}`);
  const tree = fold(acorn.parse(code.split(IMPORT).join(STAND_IN), { ecmaVersion: 2020 }));
  const ast = terser.AST_Node.from_mozilla_ast(tree);
  ast.figure_out_scope({});
  ast.compute_char_frequency({});
  ast.mangle_names({});
  const out = ast.print_to_string({}).split(STAND_IN).join(IMPORT);
  /** @param {string} s */
  const count = (s) => s.split(IMPORT).length;
  if (count(out) !== count(code)) throw new Error(`${input}: import() calls lost or added`);
  return out;
}

// 'a' + 'b' -> 'ab' and (x + 'a') + 'b' -> x + 'ab' (strings split over lines for
// reading), bottom up.
/** @param {AstNode} node @returns {AstNode} */
function fold(node) {
  if (!node || typeof node.type !== 'string') return node;
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) node[key] = v.map(fold);
    else if (v && typeof v.type === 'string') node[key] = fold(v);
  }
  /** @param {AstNode} n */
  const str = (n) => n.type === 'Literal' && typeof n.value === 'string';
  /** @param {string} value @param {AstNode} n @returns {AstNode} */
  const literal = (value, n) => ({ type: 'Literal', value, raw: JSON.stringify(value), start: n.start, end: n.end });
  if (node.type === 'BinaryExpression' && node.operator === '+' && str(node.right)) {
    if (str(node.left)) return literal(node.left.value + node.right.value, node);
    const l = node.left;
    if (l.type === 'BinaryExpression' && l.operator === '+' && str(l.right)) {
      l.right = literal(l.right.value + node.right.value, l.right);
      return l;
    }
  }
  return node;
}

// Comments out, whitespace cut to what the grammar needs. Strings are copied as they
// are. Spaces stay where they can mean something: before `:` (`.a :focus` is not
// `.a:focus`), around `+`, `-`, `*`, `/` (calc()), and between words.
/** @param {string} css @returns {string} */
function minifyCss(css) {
  let out = '';
  let i = 0;
  let space = false;  // whitespace seen since the last character written
  const tight = '{};,>';  // no space needed on either side (nor before `!`)
  while (i < css.length) {
    const c = css[i];
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`${input}: unclosed comment`);
      i = end + 2;
      space = true;
      continue;
    }
    if (/\s/.test(c)) {
      space = true;
      i++;
      continue;
    }
    if (space && out && !tight.includes(c) && c !== '!' && !tight.includes(out[out.length - 1]) &&
        out[out.length - 1] !== ':' && out[out.length - 1] !== '(' && c !== ')') {
      out += ' ';
    }
    space = false;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c) j += css[j] === '\\' ? 2 : 1;
      if (j >= css.length) throw new Error(`${input}: unclosed string`);
      out += css.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    // `;}` -> `}`: the last declaration needs no separator.
    if (c === '}' && out[out.length - 1] === ';') out = out.slice(0, -1);
    out += c;
    i++;
  }
  return out;
}

const out = input.endsWith('.css') ? minifyCss(source) : minifyJs(source);
fs.writeFileSync(output + '.tmp', out);
fs.renameSync(output + '.tmp', output);
