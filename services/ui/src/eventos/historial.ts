import { claveVersion, ListaAcotada, RegistroPorVersion, type AlmacenEstado, type Escritura, type Logger } from '@aeroalpes/comun';
import type { EventoUi } from './evento-ui';

export interface OpcionesHistorial {
  /** Events kept in the recent-events index (across reservas) for pages that connect. */
  maximoRecientes: number;
  /** How long recent events wait to be written together (default 250 ms). */
  intervaloRecientesMs?: number;
}

const PREFIJO_EVENTOS = 'evento';
/** The key of a reserva's event of one aggregate version. */
export const claveEvento = (idReserva: string, version: number) => claveVersion(PREFIJO_EVENTOS, idReserva, version);
export const CLAVE_RECIENTES = 'eventos-recientes';

/**
 * The events of each reserva in the Dapr state store, one key per aggregate version
 * (`evento:<id_reserva>:<version>`, written first-write): each version of a reserva has exactly one
 * event, so that one write both records the event and tells a redelivery (same message id there)
 * from news, and a reserva's history is one bulk get of its versions. A batch of deliveries is
 * written in one transaction.
 *
 * A second list keeps the most recent events across reservas: the snapshot a page gets when it
 * connects (it also shows reservas the read model never had, such as rejected ones). Every event
 * would contend for that one key, so it is written in batches, at most once per interval per
 * process, best effort: until a batch is stored it is served from memory, and a failed write is
 * retried with the next batch.
 */
export class HistorialEventos {
  private readonly registro: RegistroPorVersion<EventoUi>;
  /** The stored recent-events index (`eventos-recientes`). */
  private readonly recientesGuardados: ListaAcotada<EventoUi>;
  private pendientes: EventoUi[] = [];
  private temporizador: NodeJS.Timeout | undefined;
  private escritura: Promise<void> = Promise.resolve();

  constructor(
    almacen: AlmacenEstado,
    private readonly opciones: OpcionesHistorial,
    private readonly log: Logger,
  ) {
    this.registro = new RegistroPorVersion<EventoUi>(almacen, PREFIJO_EVENTOS);
    this.recientesGuardados = new ListaAcotada(almacen, CLAVE_RECIENTES, { maximo: opciones.maximoRecientes, id: (e) => e.id_mensaje, orden: porTiempo });
  }

  /**
   * Records each event once under (reserva, version), one result per event in order: 'nuevo',
   * 'repetido' (its message id was there), 'conflicto' (another message id holds that version),
   * 'invalido' or 'agotado'. Throws on store failure.
   */
  async registrar(eventos: readonly EventoUi[]): Promise<Escritura<EventoUi>[]> {
    const escrituras = await this.registro.registrar(eventos.map((e) => ({ id: e.id_reserva, version: e.version, valor: e })));
    eventos.forEach((e, i) => {
      if (escrituras[i]!.tipo === 'nuevo') this.agregarReciente(e);
    });
    return escrituras;
  }

  /** The reserva's events, oldest version first. */
  deReserva(idReserva: string): Promise<EventoUi[]> {
    return this.registro.leer(idReserva);
  }

  deReservas(ids: readonly string[]): Promise<Map<string, EventoUi[]>> {
    return this.registro.leerVarios(ids);
  }

  /** Most recent events across reservas, oldest first (the stored list plus what is not stored yet). */
  async recientes(): Promise<EventoUi[]> {
    return this.recientesGuardados.unir(await this.recientesGuardados.leer(), this.pendientes);
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
      resultado = await this.recientesGuardados.agregar(lote);
    } catch (err) {
      this.log.warn('índice de eventos recientes: no se pudo escribir, se reintentará', { events: lote.length, err });
      resultado = 'error';
    }
    if (resultado === 'agotado') this.log.warn('índice de eventos recientes: conflictos repetidos, se reintentará', { events: lote.length });
    if (resultado === 'agotado' || resultado === 'error') {
      // Back in front of what arrived meanwhile, for the next batch.
      this.pendientes = this.recientesGuardados.unir(lote, this.pendientes);
      this.temporizador ??= setTimeout(() => void this.vaciarRecientes(), Math.max(1000, this.opciones.intervaloRecientesMs ?? 250));
      this.temporizador.unref?.();
    }
  }
}

function porTiempo(a: EventoUi, b: EventoUi): number {
  return a.time.localeCompare(b.time) || a.id_mensaje.localeCompare(b.id_mensaje);
}
