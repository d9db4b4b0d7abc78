// The globals Emscripten gives a --js-library file (widget_wasm/browser/js.js) while it
// links: the library it merges the file's functions into (src/modules.js, src/utility.js
// of Emscripten 3.1.6).
declare var LibraryManager: { library: Record<string, unknown> };
declare function mergeInto(target: Record<string, unknown>, source: Record<string, Function>): void;
