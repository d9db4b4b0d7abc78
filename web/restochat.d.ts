// The shim's one global (chat.js), for the type check (script/typecheck) and for pages
// that script the widgets: window.RestoChat.widgets[0].open(). Then the core's module
// as the shim loads it (chat-core.js, from widget_wasm/browser/core.js).
interface RestoChatWidget {
  /** The launcher's side, from data-position. */
  side: string;
  /** The <restochat-widget> element (its shadow root holds the launcher and the panel). */
  element: HTMLElement;
  /** Each loads the core first if needed; resolves once done, or when loading failed. */
  open(): Promise<void>;
  close(): Promise<void>;
  toggle(): Promise<void>;
}

interface Window {
  /** One entry per chat.js tag of the page, in the order they ran. */
  RestoChat?: { widgets: RestoChatWidget[] };
}

type ChatCoreModule = typeof import('../widget_wasm/browser/core.js');
type ChatCoreWidget = import('../widget_wasm/browser/core.js').ChatCoreWidget;
