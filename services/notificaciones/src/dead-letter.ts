import { ListaAcotada, type AlmacenEstado, type Desenlace, type Logger, type MensajeRecibido } from '@aeroalpes/comun';

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

/** Records what reached the dead-letter topic (once per message id, the latest 500) so an operator can see and replay it. */
export class RegistroDeadLetter {
  private readonly lista: ListaAcotada<MensajeMuerto>;

  constructor(
    almacen: AlmacenEstado,
    private readonly log: Logger,
  ) {
    this.lista = new ListaAcotada(almacen, 'dead-letter:recientes', { maximo: 500, id: (m) => m.id_mensaje });
  }

  async registrar(mensaje: MensajeRecibido, deadLetterTopic: string): Promise<Desenlace> {
    const { id, type, topic, data } = mensaje;
    const agregado = await this.lista.agregar([{ id_mensaje: id, tipo: type, topic, dead_letter_topic: deadLetterTopic, data, recibido: new Date().toISOString() }]);
    if (agregado === 'nuevo') this.log.warn('mensaje en dead-letter', { message_id: id, type, topic });
    return agregado === 'agotado' ? 'RETRY' : 'SUCCESS';
  }

  listar(): Promise<MensajeMuerto[]> {
    return this.lista.leer();
  }
}
