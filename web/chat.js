/**
 * chat.js: the restaurant chat widget's loader (issue 6, docs/widget.md).
 *
 *   <script src="https://site/widget/chat.js" data-api-base="/api/chat/<id>"
 *           data-lang="fr|en|it" data-position="bottom-right|bottom-left" defer></script>
 *
 * Direct mode (no site proxy): data-api-base="https://agents.example/api" and
 * data-public-token="pk_..." (the agent's chat-scoped token, sent with every call).
 *
 * Draws the launcher at once, in a shadow root the page's CSS can't reach; loads
 * chat.css and the WebAssembly core (chat-core.js + chat-core-<lang>.wasm, from
 * this script's own folder) only when the visitor reaches for the launcher, or at idle time when a
 * conversation is to be resumed. Its one global, window.RestoChat, lists the
 * widgets of the page: {widgets: [{open(), close(), toggle(), element}]}.
 *
 * Types: JSDoc checked by tsc (script/typecheck); the page's API in restochat.d.ts.
 */
/** @typedef {HTMLScriptElement & {restochat?: number}} ShimScript a tag, once claimed */
(function () {
  var doc = document;
  var script = /** @type {ShimScript | null} */ (doc.currentScript);
  if (!script) {
    // Run as a module or by a tag manager: take the last tag not yet claimed.
    var tags = /** @type {NodeListOf<ShimScript>} */ (doc.querySelectorAll('script[src*="chat.js"]'));
    for (var i = 0; i < tags.length; i++) if (!tags[i].restochat) script = tags[i];
  }
  if (!script || script.restochat) return;
  script.restochat = 1;

  var src = new URL(script.src, location.href);
  var dir = src.href.slice(0, src.href.lastIndexOf('/') + 1);
  var data = script.dataset;
  var apiBase = (data.apiBase || src.origin + '/api').replace(/\/+$/, '');
  // The launcher's label in each of the widget's languages (chat::kLangCodes, French
  // first and the default), as its tables have it: tests/widget_wasm/texts_test.cpp.
  /** @type {Record<string, string>} */
  var LABELS = { fr: 'Ouvrir le chat', en: 'Open chat', it: 'Apri la chat' };
  var tag = (/^([a-z]{2})\b/i.exec(data.lang || doc.documentElement.lang || navigator.language) || ['', 'fr'])[1];
  var lang = LABELS.hasOwnProperty(tag.toLowerCase()) ? tag.toLowerCase() : 'fr';
  var side = data.position === 'bottom-left' ? 'left' : 'right';
  var api = window.RestoChat = window.RestoChat || { widgets: [] };

  // Only what the launcher needs; the rest is in chat.css. A constructed sheet is
  // allowed by a strict CSP (no inline <style>), and px only: rem would follow the page.
  var CSS = ':host{all:initial!important}' +
    '.launcher{position:fixed;z-index:2147483000;bottom:calc(20px + var(--stack,0px));' + side + ':20px;' +
    'width:60px;height:60px;padding:0;border:0;border-radius:50%;cursor:pointer;color:#fff;' +
    'background:#a23b14;box-shadow:0 6px 20px rgba(0,0,0,.25);display:grid;place-items:center;' +
    'transition:transform .15s}' +
    '.launcher:hover{transform:scale(1.06)}.launcher:focus-visible{outline:3px solid #1d4ed8;outline-offset:3px}' +
    '.launcher svg{width:28px;height:28px;fill:currentColor}' +
    '.launcher[aria-expanded=true] .chat,.launcher:not([aria-expanded=true]) .x{display:none}' +
    '.launcher[aria-busy=true]{opacity:.8;cursor:progress}' +
    '.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;' +
    'border-radius:10px;background:#c81e1e;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center}' +
    '[hidden]{display:none!important}' +
    '@media (prefers-color-scheme:dark){.launcher{background:#f08a5d;color:#1a0f0a}}' +
    '@media (prefers-reduced-motion:reduce){.launcher{transition:none}}';
  var ICONS = '<svg class="chat" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2Z"/></svg>' +
    '<svg class="x" viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 19 5 17.6l5.6-5.6L5 6.4 6.4 5l5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6Z"/></svg>' +
    '<span class="badge" data-part="badge" hidden></span>';

  function mount() {
    var element = doc.createElement('restochat-widget');
    element.setAttribute('data-side', side);
    var root = element.attachShadow({ mode: 'open' });
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    // A second widget on the same side sits above the first.
    var stacked = 0;
    api.widgets.forEach(function (w) { if (w.side === side) stacked++; });
    element.style.setProperty('--stack', stacked * 76 + 'px');

    var launcher = doc.createElement('button');
    launcher.type = 'button';
    launcher.className = 'launcher';
    launcher.setAttribute('data-part', 'launcher');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', LABELS[lang]);
    launcher.innerHTML = ICONS;
    root.appendChild(launcher);
    doc.body.appendChild(element);

    /** @type {Promise<ChatCoreWidget> | null} */
    var core = null;
    function load() {
      if (!core) {
        var link = doc.createElement('link');
        link.rel = 'stylesheet';
        link.href = dir + 'chat.css';
        var styled = new Promise(function (done) { link.onload = link.onerror = done; });
        root.appendChild(link);
        core = Promise.all([/** @type {Promise<ChatCoreModule>} */ (import(dir + 'chat-core.js')), styled])
          .then(function (r) { return r[0].default(lang); })  // the module of that language
          .then(function (M) { return M.mount(root, { apiBase: apiBase, lang: lang, token: data.publicToken }); })
          .catch(function (e) { core = null; throw e; });  // next click tries again
      }
      return core;
    }
    /** @param {'open' | 'close' | 'toggle'} method */
    function act(method) {
      launcher.setAttribute('aria-busy', 'true');
      function done() { launcher.removeAttribute('aria-busy'); }
      return load().then(function (w) { done(); w[method](); }, done);
    }
    launcher.addEventListener('click', function () { act('toggle'); });
    // Reaching for the launcher is enough of a hint to start loading.
    function hint() { load().catch(function () {}); }
    launcher.addEventListener('pointerenter', hint, { once: true });
    launcher.addEventListener('focus', hint, { once: true });
    // At idle time after the page's load, so the first open is instant; a
    // conversation to resume (a reload) then also shows new replies on the badge.
    function idle() { (window.requestIdleCallback || setTimeout)(hint, { timeout: 5000 }); }
    if (doc.readyState === 'complete') idle();
    else addEventListener('load', idle);

    api.widgets.push({
      side: side, element: element,
      open: function () { return act('open'); },
      close: function () { return act('close'); },
      toggle: function () { return act('toggle'); }
    });
  }

  if (doc.body) mount();
  else doc.addEventListener('DOMContentLoaded', mount);
})();
