/**
 * Development or not, and the renderer's dev-server URL. electron-vite's dev server sets
 * ELECTRON_RENDERER_URL; a packaged app, or one run with NODE_ENV=production, ignores it with a warning,
 * so an environment variable can never point a user's app at another page. In development it must be
 * an http(s) URL on the loopback interface.
 */
export interface ShellMode {
  isDev: boolean;
  /** The renderer's dev-server URL to load instead of app://, or null. */
  devUrl: string | null;
  /** Why ELECTRON_RENDERER_URL was ignored, for the console. */
  warning: string | null;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function shellMode(env: Readonly<Record<string, string | undefined>>, isPackaged: boolean): ShellMode {
  const isDev = !isPackaged && env.NODE_ENV !== 'production';
  const raw = env.ELECTRON_RENDERER_URL;
  if (!raw) return { isDev, devUrl: null, warning: null };
  const ignored = (why: string): ShellMode => ({ isDev, devUrl: null, warning: `ignoring ELECTRON_RENDERER_URL=${raw}: ${why}; loading the built renderer` });
  if (!isDev) return ignored(isPackaged ? 'a packaged app loads only its own renderer' : 'NODE_ENV is production');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return ignored('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return ignored('the dev server is http(s)');
  if (!LOOPBACK.has(url.hostname)) return ignored('the dev server must be on this machine (localhost)');
  return { isDev, devUrl: url.origin + '/', warning: null };
}
