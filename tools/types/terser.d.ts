// The part of the terser 3 bundled with Emscripten (third_party/terser/terser.js, loaded
// by path) that link.js and minify.js use: from an ESTree tree, names mangled, printed.
interface EmscriptenTerserAst {
  figure_out_scope(options: object): void;
  compute_char_frequency(options: object): void;
  mangle_names(options: object): void;
  print_to_string(options: object): string;
}

interface EmscriptenTerser {
  AST_Node: { from_mozilla_ast(tree: import('acorn').Node): EmscriptenTerserAst };
}
