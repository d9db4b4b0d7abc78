// The part of acorn that link.js and minify.js use (Debian's /usr/share/nodejs/acorn,
// found through NODE_PATH as emcc finds it; not an npm dependency): a parse to an
// ESTree tree, which they walk without knowing each node's type.
declare module 'acorn' {
  /** An ESTree node: the walks read and replace its fields by name. */
  interface Node {
    type: string;
    start: number;
    end: number;
    [field: string]: any;
  }
  function parse(input: string, options: { ecmaVersion: number; sourceType?: 'script' | 'module' }): Node;
}
