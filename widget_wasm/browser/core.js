// chat-core.js: loads the widget's WebAssembly core (chat-core-<lang>.wasm, next to
// this file: one module per language, with that language's texts) and is its
// browser side. Written by hand instead of Emscripten's runtime glue (-0.7 KB
// gzipped): the core needs no more than its memory, its constructors and the
// imports below. link.js gives the wasm's imports and exports the short
// names the link gave them (read from Emscripten's glue, which is then dropped),
// and shortens the local names.
//
// The only API, the shim's:
//   createChatCore(lang).then(M => M.mount(root, {apiBase, lang, token}))
// gives {open(), close(), toggle(), isOpen()}. The core's host (fetch, EventSource,
// timers, localStorage) is one per widget, in mount; the C++ side is bindings.cpp.
// With `token` (data-public-token, direct mode) every call carries it and the
// stream opens with the session's streamTicket instead of the visitor id
// (docs/protocol.md, Direct mode).
//
// Types: JSDoc checked by tsc (script/typecheck).

/**
 * What the shim gets.
 * @typedef {{open(): void, close(): void, toggle(): void, isOpen(): boolean}} ChatCoreWidget
 * @typedef {{apiBase: string, lang: string, token?: string}} MountConfig
 * @typedef {{mount(root: ShadowRoot, config: MountConfig): ChatCoreWidget}} ChatCore
 */
/**
 * The wasm's exports, by the names of the C++ (link.js renames them).
 * @typedef {object} CoreExports
 * @property {WebAssembly.Memory} memory
 * @property {() => void} __wasm_call_ctors
 * @property {() => number} widget_create
 * @property {(widget: number, command: number, a: number, b: number) => number} widget_call
 */

/**
 * @param {string} lang the module's language: chat-core-<lang>.wasm
 * @returns {Promise<ChatCore>}
 */
export default function createChatCore(lang) {
  var /** @type {CoreExports} */ exports, /** @type {WebAssembly.Memory} */ memory;
  // Objects and strings for the core to read (`Module.arg`, `Module.arg2` in
  // bindings.cpp; val::module_property in js.hpp).
  /** @type {{[name: string]: unknown, mount?: ChatCore['mount']}} */
  var Module = {};

  // The JS values the core holds handles on (js.hpp). Slot 0 is null and undefined;
  // freed slots are reused. Arguments of a call wait on `args`. Any value at all: the
  // core reads their properties and calls their methods by name.
  var /** @type {any[]} */ values = [null], /** @type {number[]} */ free = [], /** @type {any[]} */ args = [];
  /** @param {unknown} value @returns {number} the handle, 0 for null and undefined */
  function handle(value) {
    if (value == null) return 0;
    var h = free.length ? /** @type {number} */ (free.pop()) : values.length;
    values[h] = value;
    return h;
  }
  // A fresh view each time: a grown memory has a new buffer.
  /** @param {number} [p] @param {number} [n] */
  function bytes(p, n) { return new Uint8Array(memory.buffer, p, n); }
  var decoder = new TextDecoder();
  /** @param {number} p @param {number} n */
  function string(p, n) { return decoder.decode(bytes(p, n)); }
  // A NUL-terminated name (a key, a method).
  /** @param {number} p */
  function cstring(p) {
    var end = p, heap = bytes();
    while (heap[end]) end++;
    return string(p, end - p);
  }

  // Keyed by the names in the C++ (js.hpp, chat::random_bytes) and the C library's;
  // link.js renames the keys to the import names of the link. Wasm passes numbers (i32)
  // and takes a number back (a boolean is 0 or 1) or nothing.
  /** @type {{[name: string]: (...args: number[]) => number | boolean | void}} */
  var imports = {
    restochat_js_global: function (n) { return handle(/** @type {any} */ (globalThis)[cstring(n)]); },
    restochat_js_module: function (n) { return handle(Module[cstring(n)]); },
    // Decoded whole: a NUL inside stays.
    restochat_js_string: function (p, n) { return handle(string(p, n)); },
    restochat_js_get: function (h, key) { return handle(values[h][cstring(key)]); },
    restochat_js_index: function (h, i) { return handle(values[h][i]); },
    restochat_js_set: function (h, key, v) { values[h][cstring(key)] = values[v]; },
    restochat_js_arg: function (v) { args.push(values[v]); },
    restochat_js_arg_number: function (n) { args.push(n); },
    restochat_js_arg_bool: function (b) { args.push(!!b); },
    restochat_js_call: function (h, method, argc) {
      var o = values[h];
      return handle(o[cstring(method)].apply(o, args.splice(args.length - argc, argc)));
    },
    restochat_js_dup: function (h) { return handle(values[h]); },
    restochat_js_free: function (h) { values[h] = null; free.push(h); },
    restochat_js_same: function (a, b) { return values[a] === values[b]; },
    restochat_js_number: function (h) { return +values[h]; },
    restochat_js_truthy: function (h) { return !!values[h]; },
    // The UTF-8 waits on the argument stack between the two calls; the core gives
    // room for it and a NUL.
    restochat_js_utf8_size: function (h) {
      var utf8 = new TextEncoder().encode(String(values[h]));
      args.push(utf8);
      return utf8.length;
    },
    restochat_js_take_utf8: function (p, n) {
      var heap = bytes();
      heap.set(args.pop(), p);
      heap[p + n - 1] = 0;
    },
    // Web Crypto fills at most 65536 bytes a call.
    chat_crypto_fill: function (p, n) {
      for (var off = 0; off < n; off += 65536) crypto.getRandomValues(bytes(p + off, Math.min(65536, n - off)));
    },
    // malloc's: at least what is asked, 1 MB at a time.
    emscripten_resize_heap: function (size) {
      try {
        memory.grow(Math.max(16, (size - memory.buffer.byteLength + 65535) >>> 16));
        return 1;
      } catch (e) {
        return 0;
      }
    },
    abort: function () { throw Error('abort'); }
  };

  // A failed fetch rejects: the shim tries again at the next click.
  return WebAssembly.instantiateStreaming(fetch(new URL('chat-core-' + lang + '.wasm', import.meta.url)), { a: imports })
    .then(function (result) {
      exports = /** @type {CoreExports} */ (/** @type {unknown} */ (result.instance.exports));
      memory = exports.memory;
      exports.__wasm_call_ctors();
      Module.mount = mount;
      return /** @type {ChatCore} */ (Module);
    });

  /** @param {ShadowRoot} root @param {MountConfig} config @returns {ChatCoreWidget} */
  function mount(root, config) {
    var prefix = 'restochat:' + config.apiBase + ':';
    /** @type {EventSource | null} */
    var stream = null;
    /** @type {number} */
    var widget;
    var token = config.token, /** @type {string | undefined} */ ticket;

    // Calls into the widget; strings and objects go through Module.arg / Module.arg2.
    /**
     * @param {number} command @param {number} [a] @param {number} [b]
     * @param {unknown} [arg] @param {unknown} [arg2]
     */
    function call(command, a, b, arg, arg2) {
      Module.arg = arg;
      Module.arg2 = arg2;
      var r = exports.widget_call(widget, command, a || 0, b || 0);
      Module.arg = Module.arg2 = null;
      return r;
    }
    var OPEN = 0, CLOSE = 1, TOGGLE = 2, IS_OPEN = 3, RESPONSE = 4, STREAM_OPEN = 5,
        STREAM_EVENT = 6, STREAM_ERROR = 7, TIMER = 8, WAKE = 9, EVENT = 10;

    /** @param {string} key @returns {string} */
    function load(key) {
      try { return localStorage.getItem(prefix + key) || ''; } catch (e) { return ''; }
    }

    // Called by the core (bindings.cpp) with these arguments.
    var host = {
      /**
       * @param {number} id @param {string} method @param {string} url
       * @param {string} body '' for none @param {string} visitor '' for none
       */
      fetch: function (id, method, url, body, visitor) {
        /** @type {Record<string, string>} */
        var headers = { 'Accept': 'application/json' };
        if (body) headers['Content-Type'] = 'application/json';
        if (visitor) headers['X-Chat-Visitor'] = visitor;
        if (token) headers['Authorization'] = 'Bearer ' + token;
        fetch(url, { method: method, headers: headers, body: body || undefined,
                     credentials: 'same-origin', cache: 'no-store' })
          .then(function (r) {
            return r.text().then(function (text) {
              var t = token && /"streamTicket":"([^"]+)"/.exec(text);
              if (t) ticket = t[1];
              call(RESPONSE, id, r.status, text);
            });
          })
          .catch(function () {
            // Direct mode: a refused preflight (this site is not allowed) looks like no
            // network. The server failing a preflighted request but answering one
            // without CORS tells them apart.
            function offline() { call(RESPONSE, id, 0, ''); }
            if (!token) return offline();
            fetch(url, { headers: { 'X-Chat-Visitor': '-' } }).then(offline, function () {
              fetch(url, { mode: 'no-cors' }).then(function () {
                call(RESPONSE, id, 403, '{"error":{"code":"origin_not_allowed"}}');
              }, offline);
            });
          });
      },
      /** @param {string} url */
      openStream: function (url) {
        host.closeStream();
        if (ticket) url = url.replace(/visitor=[^&]*/, 'ticket=' + ticket);
        var es = stream = new EventSource(url);
        es.onopen = function () { if (es === stream) call(STREAM_OPEN); };
        ['message', 'delta', 'done', 'error'].forEach(function (name) {
          es.addEventListener(name, function (e) {
            if (es !== stream) return;
            // `error` is both an event of ours (with data) and the connection failing.
            if (typeof e.data === 'string') call(STREAM_EVENT, 0, 0, name, e.data);
            else if (name === 'error') call(STREAM_ERROR, es.readyState === 2 ? 1 : 0);
          });
        });
      },
      closeStream: function () {
        if (stream) stream.close();
        stream = null;
      },
      /** @param {number} id @param {number} ms */
      setTimer: function (id, ms) {
        setTimeout(function () { call(TIMER, id); }, ms);
      },
      /** @param {string} key @param {string} value '' to remove */
      store: function (key, value) {
        // Only changes are written: resuming an earlier visit in the background
        // rewrites nothing (nothing is stored before the visitor opens the chat).
        if (value === load(key)) return;
        try {
          if (value) localStorage.setItem(prefix + key, value);
          else localStorage.removeItem(prefix + key);
        } catch (e) { /* storage off (private mode): the chat works, a reload starts over */ }
      }
    };

    Module.arg = {
      root: root, host: host,
      config: { apiBase: config.apiBase, lang: config.lang,
                visitorId: load('visitor'), sessionId: load('session') }
    };
    widget = exports.widget_create();
    Module.arg = null;

    ['click', 'keydown', 'submit', 'input'].forEach(function (type) {
      root.addEventListener(type, function (e) {
        // The target: an element of the panel (or the root, which has no closest).
        var part = /** @type {HTMLElement | null | undefined} */ (
          /** @type {Partial<Element>} */ (e.target).closest && /** @type {Element} */ (e.target).closest('[data-part]'));
        if (type === 'click' && part && part.dataset.part === 'launcher') return;  // the shim's
        call(EVENT, 0, 0, e);
      });
    });

    // A laptop that slept or a network that came back: retry now and reopen the
    // stream, which may be dead without knowing it. Sleep shows as a jump of the clock.
    addEventListener('online', function () { call(WAKE); });
    var last = Date.now();
    setInterval(function () {
      var now = Date.now();
      if (now - last > 30000) call(WAKE);
      last = now;
    }, 10000);

    return {
      open: function () { call(OPEN); },
      close: function () { call(CLOSE); },
      toggle: function () { call(TOGGLE); },
      isOpen: function () { return call(IS_OPEN) === 1; }
    };
  }
}
