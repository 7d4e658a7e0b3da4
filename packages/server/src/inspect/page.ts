/**
 * The inspector's page: one HTML document with its script and styles inlined, so it works
 * offline and behind any proxy (no CDN, no second request that would need credentials).
 */
import { readFileSync } from 'node:fs';

function asset(name: string): string {
  return readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
}

/** `</` inside inline script or style would end the element early. */
function inline(source: string): string {
  return source.replace(/<\//g, '<\\/');
}

let cached: string | null = null;

export function inspectorPage(): string {
  cached ??= asset('page.html')
    .replace('/*STYLE*/', () => inline(asset('inspect.css')))
    .replace('/*SCRIPT*/', () => inline(asset('inspect.js')));
  return cached;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * What a browser sees instead of the inspector when refused: no data, a form for a token,
 * and (on 401) a retry with the token this tab was given earlier, which the inspector
 * removed from the address bar.
 */
export function signInPage(status: 401 | 403, message: string): string {
  const retry =
    status === 401
      ? `<script>
const saved = sessionStorage.getItem('lifeline.inspect.token');
const here = new URL(location.href);
if (saved && !here.searchParams.has('token')) {
  here.searchParams.set('token', saved);
  location.replace(here.toString());
} else if (here.searchParams.has('token')) {
  sessionStorage.removeItem('lifeline.inspect.token');
}
</script>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lifeline inspector: sign in</title>
<meta name="referrer" content="no-referrer">
<style>body{font:15px system-ui,sans-serif;margin:3rem auto;max-width:34rem;color:#1d2733}
input{width:100%;padding:.4rem;font:inherit}button{margin-top:.6rem;padding:.4rem 1rem}</style>
</head><body><h1>Lifeline inspector</h1>
<p>${status === 401 ? 'Sign in' : 'Not allowed'}: ${escapeHtml(message)}.</p>
<form method="get" action="/inspect"><label>Flex token (supervisor or admin)
<input name="token" type="password" autocomplete="off"></label><button>Open</button></form>
${retry}</body></html>`;
}
