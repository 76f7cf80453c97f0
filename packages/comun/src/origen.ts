/**
 * Origin check of a browser request: the ui's websocket upgrade (against cross-site websocket
 * hijacking) and aeroalpes' body-less state-changing requests (against cross-site requests on a
 * user's behalf). A browser always sends Origin on those; the page's own origin is the host it was
 * served from (behind an Ingress the Host header is the public one). Other origins only when
 * configured (ALLOWED_ORIGINS). A request without Origin comes from a non-browser client, which
 * no page can forge, and is let in.
 */
export function origenPermitido(origin: string | undefined, host: string | undefined, permitidos: readonly string[], hostsPermitidos: readonly string[] | '*' = '*'): boolean {
  // The Host first, for every client: a name that is not ours resolving here is DNS rebinding.
  if (hostsPermitidos !== '*' && (host === undefined || !hostsPermitidos.includes(host.toLowerCase()))) return false;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host !== undefined && url.host.toLowerCase() === host.toLowerCase()) return true;
  return permitidos.includes(url.origin);
}

/** `https://a.example, http://b.example:8080` -> normalised origins; a malformed entry fails fast. */
export function origenes(crudo: string): string[] {
  return crudo
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        throw new Error(`ALLOWED_ORIGINS: '${s}' is not an origin (scheme://host[:port])`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`ALLOWED_ORIGINS: '${s}' must be http or https`);
      return url.origin;
    });
}
