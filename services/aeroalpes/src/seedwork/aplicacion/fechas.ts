/**
 * Dates on the wire are UTC strings `YYYY-MM-DDTHH:MM:SSZ` (seconds precision, always `Z`);
 * in the domain they are Dates.
 */
const PATRON = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Parses a wire date; undefined when the text is not a real UTC date in the exact format. */
export function parsearFechaUTC(texto: string): Date | undefined {
  const m = PATRON.exec(texto);
  if (!m) return undefined;
  const [anio, mes, dia, hora, minuto, segundo] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (anio < 1970 || mes < 1 || mes > 12 || dia < 1 || hora > 23 || minuto > 59 || segundo > 59) return undefined;
  const fecha = new Date(Date.UTC(anio, mes - 1, dia, hora, minuto, segundo));
  // Rejects 2023-02-30 and the like: Date.UTC would roll them over to the next month.
  if (fecha.getUTCDate() !== dia || fecha.getUTCMonth() !== mes - 1) return undefined;
  return fecha;
}

export function esFechaUTC(texto: string): boolean {
  return parsearFechaUTC(texto) !== undefined;
}

export function formatearFechaUTC(fecha: Date): string {
  if (Number.isNaN(fecha.getTime())) throw new RangeError('fecha inválida');
  return fecha.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Truncates to whole seconds, the wire's precision, so that dates round-trip exactly. */
export function truncarASegundos(fecha: Date): Date {
  return new Date(Math.floor(fecha.getTime() / 1000) * 1000);
}
