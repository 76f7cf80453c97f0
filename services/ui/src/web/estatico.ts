import path from 'node:path';
import express from 'express';

/** The page's folder: services/ui/public (next to src/ and dist/, also in the image). */
export const CARPETA_PUBLICA = path.resolve(__dirname, '..', '..', 'public');

/** Files served from npm packages (never a CDN): URL path -> file resolved in node_modules. */
export const ARCHIVOS_VENDOR: Readonly<Record<string, string>> = {
  '/vendor/bootstrap/bootstrap.min.css': require.resolve('bootstrap/dist/css/bootstrap.min.css'),
  '/vendor/bootstrap/bootstrap.min.css.map': require.resolve('bootstrap/dist/css/bootstrap.min.css.map'),
  '/vendor/bootstrap/bootstrap.bundle.min.js': require.resolve('bootstrap/dist/js/bootstrap.bundle.min.js'),
  '/vendor/bootstrap/bootstrap.bundle.min.js.map': require.resolve('bootstrap/dist/js/bootstrap.bundle.min.js.map'),
};

/**
 * Same-origin only: scripts, styles, images and connections (fetch and the websocket) to the
 * page's own host; no inline script, no framing.
 */
const POLITICA_CONTENIDO = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The page, its modules and styles, and Bootstrap from node_modules. */
export function rutasEstaticas(carpeta = CARPETA_PUBLICA): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', POLITICA_CONTENIDO);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  for (const [ruta, archivo] of Object.entries(ARCHIVOS_VENDOR)) {
    router.get(ruta, (_req, res) => {
      res.sendFile(archivo, { maxAge: '1d' });
    });
  }
  // The app's own files change with each deploy: revalidate every time (ETag).
  router.use(express.static(carpeta, { index: 'index.html', maxAge: 0, fallthrough: true, redirect: false }));
  return router;
}
