/** Latency summaries: nearest-rank percentiles over every sample (no histogram buckets, no averaging of percentiles). */
export interface Resumen {
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export function percentil(ordenados: number[], p: number): number | null {
  if (ordenados.length === 0) return null;
  const rango = Math.ceil((p / 100) * ordenados.length);
  return ordenados[Math.min(ordenados.length, Math.max(1, rango)) - 1]!;
}

export function resumir(valores: number[]): Resumen {
  const o = [...valores].sort((a, b) => a - b);
  return { n: o.length, p50: percentil(o, 50), p95: percentil(o, 95), p99: percentil(o, 99), max: o.length ? o[o.length - 1]! : null };
}

export function mediana(valores: number[]): number | null {
  return percentil(
    [...valores].sort((a, b) => a - b),
    50,
  );
}
