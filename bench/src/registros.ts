/**
 * What went wrong inside the services while the load ran: their warn and error log lines (JSON,
 * one per line), grouped by level, message and the tail of the error, counted. Read before the
 * platform is stopped, so shutdown noise (closed clients, refused connections) is not counted.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Problema {
  servicio: string;
  nivel: string;
  mensaje: string;
  error: string;
  veces: number;
}

export function problemasEnRegistros(dirLogs: string, servicios: string[], hasta: number): Problema[] {
  const r: Problema[] = [];
  for (const servicio of servicios) {
    let texto: string;
    try {
      texto = fs.readFileSync(path.join(dirLogs, `${servicio}.log`), 'utf8');
    } catch {
      continue;
    }
    const cuenta = new Map<string, Problema>();
    for (const linea of texto.split('\n')) {
      if (!linea.startsWith('{')) continue;
      let d: { time?: string; level?: string; msg?: string; error?: unknown };
      try {
        d = JSON.parse(linea) as typeof d;
      } catch {
        continue;
      }
      if (d.level !== 'warn' && d.level !== 'error') continue;
      if (d.time && Date.parse(d.time) > hasta) continue;
      const e = d.error;
      const error = (typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : e ? String(e) : '').slice(-100);
      const clave = `${d.level}\u0000${d.msg}\u0000${error}`;
      const p = cuenta.get(clave) ?? { servicio, nivel: d.level, mensaje: d.msg ?? '', error, veces: 0 };
      p.veces++;
      cuenta.set(clave, p);
    }
    r.push(...cuenta.values());
  }
  return r.sort((a, b) => b.veces - a.veces);
}
