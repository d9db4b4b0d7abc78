// The widget's budgets (issue 6): gzipped sizes, launcher visible after
// DOMContentLoaded, first open to an interactive input, in Debian's headless
// Chromium on loopback against a real agent server. node bench.mjs [runs]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { startStack, chromiumOptions, widgetDir } from './stack.mjs';

const runs = Number(process.argv[2] ?? 9);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- Sizes -----------------------------------------------------------------------
// A page loads the shim, the styles, the loader and the module of its language.
const files = ['chat.js', 'chat.css', 'chat-core.js', 'chat-core-fr.wasm', 'chat-core-en.wasm', 'chat-core-it.wasm'];
const sizes = {};
console.log('file               bytes    gzip -9    brotli');
for (const f of files) {
  const body = await readFile(path.join(widgetDir, f));
  sizes[f] = { gz: zlib.gzipSync(body, { level: 9 }).length, br: zlib.brotliCompressSync(body).length };
  console.log(`${f.padEnd(17)} ${String(body.length).padStart(7)} ${String(sizes[f].gz).padStart(9)} ${String(sizes[f].br).padStart(9)}`);
}
for (const lang of ['fr', 'en', 'it']) {
  const opened = ['chat.js', 'chat.css', 'chat-core.js', `chat-core-${lang}.wasm`];
  const sum = (k) => opened.reduce((n, f) => n + sizes[f][k], 0);
  console.log(`first open total, ${lang}    ${String(sum('gz')).padStart(9)} ${String(sum('br')).padStart(9)}` +
              '  (goal 40 KB gzipped, issue 16; chat.js 3 KB)');
}

// ---- Timings ---------------------------------------------------------------------
// Runs in the page before anything else: notes DOMContentLoaded, then watches each
// frame for the launcher, and after a click for the input ready to type in.
const probe = () => {
  const find = (sel) => document.querySelector('restochat-widget')?.shadowRoot?.querySelector(sel);
  const visible = (el) => el && el.getBoundingClientRect().width > 0 && !el.closest('[hidden]');
  window.__bench = {};
  document.addEventListener('DOMContentLoaded', () => {
    window.__bench.dcl = performance.now();
    const watch = () => visible(find('[data-part=launcher]'))
      ? (window.__bench.launcher = performance.now()) : requestAnimationFrame(watch);
    watch();
  });
  document.addEventListener('click', () => {
    if (window.__bench.click) return;
    window.__bench.click = performance.now();
    const watch = () => {
      const input = find('[data-part=input]');
      const ready = visible(input) && !input.readOnly && input.getRootNode().activeElement === input;
      ready ? (window.__bench.ready = performance.now()) : requestAnimationFrame(watch);
    };
    watch();
  }, true);
};

const stack = await startStack();
const browser = await chromium.launch(chromiumOptions);
const launcher = [];
const open = { cold: [], warm: [] };
try {
  for (let i = 0; i < runs; i++) {
    // cold: clicked as soon as the launcher shows (CSS and core not loaded yet);
    // warm: clicked after the idle-time preload (the usual case).
    for (const kind of ['cold', 'warm']) {
      const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
      const page = await context.newPage();
      await page.addInitScript(probe);
      await page.goto(stack.base + '/');
      await page.waitForFunction(() => window.__bench.launcher);
      if (kind === 'warm') {
        await page.waitForFunction(() => performance.getEntriesByType('resource')
          .some((e) => /chat-core-\w+\.wasm$/.test(e.name) && e.responseEnd > 0));
        await page.waitForTimeout(200);  // compile and instantiate
      }
      await page.locator('[data-part=launcher]').click();
      await page.waitForFunction(() => window.__bench.ready, null, { timeout: 10000 });
      const b = await page.evaluate(() => window.__bench);
      if (kind === 'cold') launcher.push(b.launcher - b.dcl);
      open[kind].push(b.ready - b.click);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await stack.stop();
}
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, ${xs.length} runs)`;
console.log(`launcher visible after DOMContentLoaded: ${fmt(launcher)}  (budget 100 ms)`);
console.log(`first open to interactive input, core preloaded at idle: ${fmt(open.warm)}  (budget 150 ms)`);
console.log(`first open to interactive input, nothing loaded yet (CSS + core fetched on click): ${fmt(open.cold)}`);
