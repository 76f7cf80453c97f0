/**
 * Where the time goes, as each daprd sees it: its Prometheus metrics (`--metrics-port`) hold
 * latency histograms per hop (publish to Pulsar, delivery to the app and the app's answer, state
 * store calls, the app's calls to its sidecar). A scrape before and after a phase gives, per
 * series, how many operations the phase did and their mean latency (Δsum / Δcount).
 */

/** `name{labels}` -> value, for every `_sum` and `_count` series (histogram buckets are skipped). */
export type Muestra = Map<string, number>;

export async function raspar(url: string): Promise<Muestra> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  const texto = await res.text();
  const m: Muestra = new Map();
  for (const linea of texto.split('\n')) {
    if (linea.startsWith('#') || !/_(sum|count)[{ ]/.test(linea)) continue;
    const corte = linea.lastIndexOf(' ');
    const valor = Number(linea.slice(corte + 1));
    if (Number.isFinite(valor)) m.set(linea.slice(0, corte), valor);
  }
  return m;
}

export interface Salto {
  /** daprd it was measured in (its app id). */
  sidecar: string;
  metrica: string;
  etiquetas: string;
  operaciones: number;
  mediaMs: number;
}

/** Labels that tell hops apart; the rest (app_id, namespace, ...) are dropped from the display. */
const ETIQUETAS_UTILES = [
  'topic',
  'component',
  'operation',
  'method',
  'path',
  'status',
  'success',
  'process_status',
  'grpc_client_method',
  'grpc_server_method',
  'grpc_client_status',
  'grpc_server_status',
  'type',
];

function etiquetasLegibles(crudas: string): string {
  const pares = [...crudas.matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].filter(([, k]) => ETIQUETAS_UTILES.includes(k!));
  return pares.map(([, k, v]) => `${k}=${v}`).join(' ');
}

/** Families worth showing: the sidecar's own hops; runtime internals (Go GC, ...) are left out. */
const FAMILIAS = /^dapr_(component_|http_server_latency|http_client_roundtrip_latency|grpc_io_(server_server|client_roundtrip)_latency|resiliency_)/;

export function saltos(sidecar: string, antes: Muestra, despues: Muestra): Salto[] {
  const r: Salto[] = [];
  for (const [serie, suma] of despues) {
    const m = /^(\w+)_sum(?:\{(.*)\})?$/.exec(serie);
    if (!m || !FAMILIAS.test(m[1]!)) continue;
    const serieCuenta = serie.replace(/_sum(\{|$)/, '_count$1');
    const cuenta = despues.get(serieCuenta);
    if (cuenta === undefined) continue;
    const dCuenta = cuenta - (antes.get(serieCuenta) ?? 0);
    const dSuma = suma - (antes.get(serie) ?? 0);
    if (dCuenta <= 0) continue;
    r.push({ sidecar, metrica: m[1]!, etiquetas: etiquetasLegibles(m[2] ?? ''), operaciones: Math.round(dCuenta), mediaMs: Math.round((dSuma / dCuenta) * 100) / 100 });
  }
  return r.sort((a, b) => b.operaciones * b.mediaMs - a.operaciones * a.mediaMs);
}
