import { ListaAcotada, type AlmacenEstado, type Desenlace, type Logger, type MensajeRecibido } from '@aeroalpes/comun';

export interface MensajeMuerto {
  id_mensaje: string;
  tipo: string;
  /** Where it was published (the CloudEvent's topic). */
  topic: string;
  /** The dead-letter topic it arrived on. */
  dead_letter_topic: string;
  /** The payload, or (above the cap) its first characters as text with `data_truncada`. */
  data: unknown;
  /** Present when the payload was larger than the cap: its size in bytes (of its JSON). */
  data_truncada?: { bytes: number };
  recibido: string;
}

/** One entry of the index: which message, when. */
interface EntradaIndice {
  id_mensaje: string;
  recibido: string;
}

export interface OpcionesDeadLetter {
  /** Payload bytes (JSON) kept per message; beyond, a prefix and the size. */
  maximoBytes: number;
  /** Messages listed (the index is bounded: ids and times only, ~80 bytes each). */
  historial: number;
  /** How long each message's record lives in the store. */
  ttlSegundos: number;
}

export const OPCIONES_DEAD_LETTER: OpcionesDeadLetter = { maximoBytes: 16 * 1024, historial: 1000, ttlSegundos: 30 * 24 * 3600 };

/**
 * Records what reached a dead-letter topic so an operator can see and replay it: one state key per
 * message (`dead-letter:<message id>`, first-write, so a redelivery is recorded once), its payload
 * capped so a record always fits whatever was dropped, kept for `ttlSegundos`; and a bounded index
 * of the newest ids (`dead-letter:indice`) for listing. No key grows with the traffic: a flood of
 * large messages cannot push a record past the sidecar's limit and wedge this subscription.
 */
export class RegistroDeadLetter {
  private readonly indice: ListaAcotada<EntradaIndice>;

  constructor(
    private readonly almacen: AlmacenEstado,
    private readonly log: Logger,
    private readonly opciones: OpcionesDeadLetter = OPCIONES_DEAD_LETTER,
    private readonly reloj: () => Date = () => new Date(),
  ) {
    this.indice = new ListaAcotada(almacen, 'dead-letter:indice', { maximo: opciones.historial, id: (e) => e.id_mensaje });
  }

  async registrar(mensaje: MensajeRecibido, deadLetterTopic: string): Promise<Desenlace> {
    const { id, type, topic } = mensaje;
    const recibido = this.reloj().toISOString();
    const registro: MensajeMuerto = { id_mensaje: id, tipo: type, topic, dead_letter_topic: deadLetterTopic, ...this.#acotar(mensaje.data), recibido };
    const escrito = await this.almacen.transaccion([{ tipo: 'upsert', clave: claveMensaje(id), valor: registro, primeraEscritura: true, ttlSegundos: this.opciones.ttlSegundos }]);
    // 'conflicto': a redelivery (the first write is there); the index entry may still be missing.
    const enIndice = await this.indice.agregar([{ id_mensaje: id, recibido }]);
    if (escrito === 'ok') this.log.warn('mensaje en dead-letter', { message_id: id, type, topic, ...(registro.data_truncada ? { reason: 'payload truncado' } : {}) });
    return enIndice === 'agotado' ? 'RETRY' : 'SUCCESS';
  }

  /** The newest `limite` records, newest first (those whose record expired are left out). */
  async listar(limite = this.opciones.historial): Promise<MensajeMuerto[]> {
    const ids = (await this.indice.leer())
      .slice(-limite)
      .reverse()
      .map((e) => e.id_mensaje);
    const registros = await this.almacen.leerVarios<MensajeMuerto>(ids.map(claveMensaje));
    return ids.map((id) => registros.get(claveMensaje(id))).filter((r): r is MensajeMuerto => r !== undefined);
  }

  #acotar(data: unknown): Pick<MensajeMuerto, 'data' | 'data_truncada'> {
    const texto = JSON.stringify(data) ?? 'null';
    const bytes = Buffer.byteLength(texto, 'utf8');
    if (bytes <= this.opciones.maximoBytes) return { data };
    // A prefix of the JSON text, cut on a character boundary.
    return {
      data: Buffer.from(texto, 'utf8')
        .subarray(0, this.opciones.maximoBytes)
        .toString('utf8')
        .replace(/\uFFFD$/, ''),
      data_truncada: { bytes },
    };
  }
}

const claveMensaje = (id: string) => `dead-letter:${id}`;
