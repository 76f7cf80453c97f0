import type { AlmacenEstado, Logger } from '@aeroalpes/comun';
import { compararEventos, type EventoUi } from './evento-ui';

export interface OpcionesHistorial {
  /** Events kept per reserva. A reserva has a handful (created, approved, paid or cancelled). */
  maximoPorReserva: number;
  /** Events kept in the recent-events index (across reservas) for pages that connect. */
  maximoRecientes: number;
  /** How long recent events wait to be written together (default 250 ms). */
  intervaloRecientesMs?: number;
}

// Dapr prefixes keys with the app id and `||`, and refuses `||` inside a key (DAPR_STATE_ILLEGAL_KEY).
export const claveEventos = (idReserva: string) => `eventos-${idReserva}`;
export const CLAVE_RECIENTES = 'eventos-recientes';
const INTENTOS = 10;

/**
 * The last events of each reserva in the Dapr state store (one key per reserva, a bounded list,
 * written with its ETag so concurrent deliveries never lose one), deduplicated by message id: a
 * reserva's whole lifecycle fits in its list, so the list itself tells whether a message id was
 * already recorded and no per-message key grows without bound.
 *
 * A second list keeps the most recent events across reservas: the snapshot a page gets when it
 * connects (it also shows reservas the read model never had, such as rejected ones). Every event
 * would contend for that one key, so it is written in batches, at most once per interval per
 * process, best effort: until a batch is stored it is served from memory, and a failed write is
 * retried with the next batch.
 */
export class HistorialEventos {
  private pendientes: EventoUi[] = [];
  private temporizador: NodeJS.Timeout | undefined;
  private escritura: Promise<void> = Promise.resolve();

  constructor(
    private readonly almacen: AlmacenEstado,
    private readonly opciones: OpcionesHistorial,
    private readonly log: Logger,
  ) {}

  /** Records the event once. 'repetido' when its message id was already there. Throws on store failure. */
  async registrar(evento: EventoUi): Promise<'nuevo' | 'repetido'> {
    const clave = claveEventos(evento.id_reserva);
    const resultado = await this.agregar(clave, [evento], this.opciones.maximoPorReserva, compararEventos);
    if (resultado === 'agotado') throw new Error(`conflictos repetidos al escribir ${clave}`);
    if (resultado === 'nuevo') this.agregarReciente(evento);
    return resultado;
  }

  async deReserva(idReserva: string): Promise<EventoUi[]> {
    return (await this.almacen.leer<EventoUi[]>(claveEventos(idReserva))).valor ?? [];
  }

  async deReservas(ids: readonly string[]): Promise<Map<string, EventoUi[]>> {
    const unicos = [...new Set(ids)];
    const leidos = await this.almacen.leerVarios<EventoUi[]>(unicos.map(claveEventos));
    return new Map(unicos.map((id) => [id, leidos.get(claveEventos(id)) ?? []]));
  }

  /** Most recent events across reservas, oldest first (the stored list plus what is not stored yet). */
  async recientes(): Promise<EventoUi[]> {
    const guardados = (await this.almacen.leer<EventoUi[]>(CLAVE_RECIENTES)).valor ?? [];
    return unir(guardados, this.pendientes, this.opciones.maximoRecientes, porTiempo);
  }

  /** Writes the pending recent events now (tests, shutdown); never throws. */
  vaciarRecientes(): Promise<void> {
    clearTimeout(this.temporizador);
    this.temporizador = undefined;
    this.escritura = this.escritura.then(() => this.escribirRecientes());
    return this.escritura;
  }

  private agregarReciente(evento: EventoUi): void {
    this.pendientes = [...this.pendientes, evento].slice(-this.opciones.maximoRecientes);
    this.temporizador ??= setTimeout(() => void this.vaciarRecientes(), this.opciones.intervaloRecientesMs ?? 250);
    this.temporizador.unref?.();
  }

  private async escribirRecientes(): Promise<void> {
    const lote = this.pendientes;
    if (lote.length === 0) return;
    this.pendientes = [];
    let resultado: 'nuevo' | 'repetido' | 'agotado' | 'error';
    try {
      resultado = await this.agregar(CLAVE_RECIENTES, lote, this.opciones.maximoRecientes, porTiempo);
    } catch (err) {
      this.log.warn('índice de eventos recientes: no se pudo escribir, se reintentará', { eventos: lote.length, err });
      resultado = 'error';
    }
    if (resultado === 'agotado') this.log.warn('índice de eventos recientes: conflictos repetidos, se reintentará', { eventos: lote.length });
    if (resultado === 'agotado' || resultado === 'error') {
      // Back in front of what arrived meanwhile, for the next batch.
      this.pendientes = unir(lote, this.pendientes, this.opciones.maximoRecientes, porTiempo);
      this.temporizador ??= setTimeout(() => void this.vaciarRecientes(), Math.max(1000, this.opciones.intervaloRecientesMs ?? 250));
      this.temporizador.unref?.();
    }
  }

  /**
   * Read, add the events not yet there, keep the newest `maximo`, write with the ETag (first
   * write when the key is new); again on conflict. 'repetido' when every event was already there.
   */
  private async agregar(
    clave: string,
    eventos: EventoUi[],
    maximo: number,
    orden: (a: EventoUi, b: EventoUi) => number,
  ): Promise<'nuevo' | 'repetido' | 'agotado'> {
    for (let intento = 0; intento < INTENTOS; intento++) {
      const { valor, etag } = await this.almacen.leer<EventoUi[]>(clave);
      const lista = Array.isArray(valor) ? valor : [];
      const vistos = new Set(lista.map((e) => e.id_mensaje));
      if (eventos.every((e) => vistos.has(e.id_mensaje))) return 'repetido';
      const nueva = unir(lista, eventos, maximo, orden);
      const r = await this.almacen.transaccion([{ tipo: 'upsert', clave, valor: nueva, ...(etag ? { etag } : { primeraEscritura: true }) }]);
      if (r === 'ok') return 'nuevo';
      // Someone wrote the key in between (another event of the same reserva): read it again.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * (intento + 1)));
    }
    return 'agotado';
  }
}

/** `a` and `b` without repeated message ids, ordered, the newest `maximo`. */
function unir(a: readonly EventoUi[], b: readonly EventoUi[], maximo: number, orden: (x: EventoUi, y: EventoUi) => number): EventoUi[] {
  const porId = new Map<string, EventoUi>();
  for (const e of [...a, ...b]) if (!porId.has(e.id_mensaje)) porId.set(e.id_mensaje, e);
  return [...porId.values()].sort(orden).slice(-maximo);
}

function porTiempo(a: EventoUi, b: EventoUi): number {
  return a.time.localeCompare(b.time) || a.id_mensaje.localeCompare(b.id_mensaje);
}
