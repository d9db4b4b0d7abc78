// The JS side of js.hpp (linked with --js-library): a table of the values C++ holds
// handles on. Slot 0 is null and undefined; freed slots are reused.
mergeInto(LibraryManager.library, {
  $jsValues: [null],
  $jsFree: [],
  $jsArgs: [],
  $jsHandle__deps: ['$jsValues', '$jsFree'],
  $jsHandle: function (value) {
    if (value == null) return 0;
    var h = jsFree.length ? jsFree.pop() : jsValues.length;
    jsValues[h] = value;
    return h;
  },

  restochat_js_global__deps: ['$jsHandle'],
  restochat_js_global: function (name) { return jsHandle(globalThis[UTF8ToString(name)]); },
  restochat_js_module__deps: ['$jsHandle'],
  restochat_js_module: function (name) { return jsHandle(Module[UTF8ToString(name)]); },
  restochat_js_string__deps: ['$jsHandle'],
  // Decoded whole: a NUL inside stays (UTF8ToString would stop there).
  restochat_js_string: function (p, n) { return jsHandle(UTF8Decoder.decode(HEAPU8.subarray(p, p + n))); },
  restochat_js_get__deps: ['$jsHandle'],
  restochat_js_get: function (h, key) { return jsHandle(jsValues[h][UTF8ToString(key)]); },
  restochat_js_index__deps: ['$jsHandle'],
  restochat_js_index: function (h, i) { return jsHandle(jsValues[h][i]); },
  restochat_js_set__deps: ['$jsValues'],
  restochat_js_set: function (h, key, v) { jsValues[h][UTF8ToString(key)] = jsValues[v]; },
  restochat_js_arg__deps: ['$jsArgs', '$jsValues'],
  restochat_js_arg: function (v) { jsArgs.push(jsValues[v]); },
  restochat_js_arg_number__deps: ['$jsArgs'],
  restochat_js_arg_number: function (n) { jsArgs.push(n); },
  restochat_js_arg_bool__deps: ['$jsArgs'],
  restochat_js_arg_bool: function (b) { jsArgs.push(!!b); },
  restochat_js_call__deps: ['$jsHandle', '$jsArgs'],
  restochat_js_call: function (h, method, argc) {
    var args = jsArgs.splice(jsArgs.length - argc, argc);
    var o = jsValues[h];
    return jsHandle(o[UTF8ToString(method)].apply(o, args));
  },
  restochat_js_dup__deps: ['$jsHandle'],
  restochat_js_dup: function (h) { return jsHandle(jsValues[h]); },
  restochat_js_free__deps: ['$jsValues', '$jsFree'],
  restochat_js_free: function (h) { jsValues[h] = null; jsFree.push(h); },
  restochat_js_same__deps: ['$jsValues'],
  restochat_js_same: function (a, b) { return jsValues[a] === jsValues[b]; },
  restochat_js_number__deps: ['$jsValues'],
  restochat_js_number: function (h) { return +jsValues[h]; },
  restochat_js_truthy__deps: ['$jsValues'],
  restochat_js_truthy: function (h) { return !!jsValues[h]; },
  // The string waits on the argument stack between the two calls.
  restochat_js_utf8_size__deps: ['$jsValues', '$jsArgs'],
  restochat_js_utf8_size: function (h) {
    var s = String(jsValues[h]);
    jsArgs.push(s);
    return lengthBytesUTF8(s);
  },
  restochat_js_take_utf8__deps: ['$jsArgs'],
  restochat_js_take_utf8: function (p, n) { stringToUTF8(jsArgs.pop(), p, n); }
});
