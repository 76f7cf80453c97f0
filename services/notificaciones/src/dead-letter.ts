import type { AlmacenEstado, Logger, MensajeRecibido, Desenlace } from '@aeroalpes/comun';

export interface MensajeMuerto {
  id_mensaje: string;
  tipo: string;
  /** Where it was published (the CloudEvent's topic). */
  topic: string;
  /** The dead-letter topic it arrived on. */
  dead_letter_topic: string;
  data: unknown;
  recibido: string;
}

const CLAVE_LISTA = 'dead-letter:recientes';
const MAXIMO = 500;

/** Records what reached the dead-letter topic (once per message id) so an operator can see and replay it. */
export class RegistroDeadLetter {
  constructor(
    private readonly almacen: AlmacenEstado,
    private readonly log: Logger,
  ) {}

  async registrar(mensaje: MensajeRecibido, deadLetterTopic: string): Promise<Desenlace> {
    const registro: MensajeMuerto = {
      id_mensaje: mensaje.id,
      tipo: mensaje.type,
      topic: mensaje.topic,
      dead_letter_topic: deadLetterTopic,
      data: mensaje.data,
      recibido: new Date().toISOString(),
    };
    for (let intento = 0; intento < 8; intento++) {
      const lista = await this.almacen.leer<MensajeMuerto[]>(CLAVE_LISTA);
      if (lista.valor?.some((m) => m.id_mensaje === mensaje.id)) return 'SUCCESS';
      const nueva = [...(lista.valor ?? []), registro].slice(-MAXIMO);
      const r = await this.almacen.transaccion([{ tipo: 'upsert', clave: CLAVE_LISTA, valor: nueva, ...(lista.etag ? { etag: lista.etag } : { primeraEscritura: true }) }]);
      if (r === 'ok') {
        this.log.warn('mensaje en dead-letter', { message_id: mensaje.id, type: mensaje.type, topic: mensaje.topic });
        return 'SUCCESS';
      }
    }
    return 'RETRY';
  }

  async listar(): Promise<MensajeMuerto[]> {
    return (await this.almacen.leer<MensajeMuerto[]>(CLAVE_LISTA)).valor ?? [];
  }
}
