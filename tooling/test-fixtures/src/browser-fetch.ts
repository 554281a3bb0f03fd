/**
 * What a browser does for a page, for tests that call a server from Node: keeps the server's
 * cookies and sends the page's Origin on every request (Node's fetch does neither, and a page's
 * JavaScript cannot set either).
 */
export function browserFetch(origin: string): {
  fetch: typeof globalThis.fetch;
  cookies: Map<string, string>;
} {
  const cookies = new Map<string, string>();
  const fetch = (async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('origin', origin);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await globalThis.fetch(url, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  }) as typeof globalThis.fetch;
  return { fetch, cookies };
}
