/**
 * Origin check on the websocket upgrade (against cross-site websocket hijacking). A browser
 * always sends Origin; the page's own origin is the host it was served from (behind an Ingress
 * the Host header is the public one). Other origins only when configured (ALLOWED_ORIGINS). A
 * request without Origin comes from a non-browser client, which no page can forge, and is let in.
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
