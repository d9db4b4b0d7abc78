// Appended to the Emscripten glue (--post-js): the browser side of the core. It
// owns fetch, EventSource, timers and localStorage for one widget, forwards the
// shadow root's events to the C++ Widget (bindings.cpp), and is the only API the
// shim uses:  createChatCore({locateFile}).then(M => M.mount(root, {apiBase, lang, token}))
// returns {open(), close(), toggle(), isOpen()}. With `token` (data-public-token,
// direct mode) every call carries it and the stream opens with the session's
// streamTicket instead of the visitor id (docs/protocol.md, Direct mode).

Module['mount'] = function (root, config) {
  var prefix = 'restochat:' + config.apiBase + ':';
  var stream = null;
  var handle;
  var token = config.token, ticket;

  // Calls into the widget; strings and objects go through Module.arg / Module.arg2.
  function call(command, a, b, arg, arg2) {
    Module['arg'] = arg;
    Module['arg2'] = arg2;
    var r = _widget_call(handle, command, a || 0, b || 0);
    Module['arg'] = Module['arg2'] = null;
    return r;
  }
  var OPEN = 0, CLOSE = 1, TOGGLE = 2, IS_OPEN = 3, RESPONSE = 4, STREAM_OPEN = 5,
      STREAM_EVENT = 6, STREAM_ERROR = 7, TIMER = 8, WAKE = 9, EVENT = 10;

  function load(key) {
    try { return localStorage.getItem(prefix + key) || ''; } catch (e) { return ''; }
  }

  var host = {
    fetch: function (id, method, url, body, visitor) {
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
    setTimer: function (id, ms) {
      setTimeout(function () { call(TIMER, id); }, ms);
    },
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

  Module['arg'] = {
    root: root, host: host,
    config: { apiBase: config.apiBase, lang: config.lang,
              visitorId: load('visitor'), sessionId: load('session') }
  };
  handle = _widget_create();
  Module['arg'] = null;

  ['click', 'keydown', 'submit', 'input'].forEach(function (type) {
    root.addEventListener(type, function (e) {
      var part = e.target.closest && e.target.closest('[data-part]');
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
};
