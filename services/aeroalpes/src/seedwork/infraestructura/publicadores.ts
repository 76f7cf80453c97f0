import { ConsumidorMensajes, MensajeIntegracion, PublicadorMensajes } from './mensajes';

/**
 * Recording publisher for tests: keeps every published message; `fallarCon` makes the next
 * publications fail (all of them, or those matching a predicate) to simulate a broker outage.
 */
export class PublicadorMemoria implements PublicadorMensajes {
  readonly publicados: MensajeIntegracion[] = [];
  #fallo: ((m: MensajeIntegracion) => boolean) | undefined;

  fallarCon(predicado: (m: MensajeIntegracion) => boolean = () => true): void {
    this.#fallo = predicado;
  }

  restablecer(): void {
    this.#fallo = undefined;
  }

  async publicar(mensaje: MensajeIntegracion): Promise<void> {
    if (this.#fallo?.(mensaje)) throw new Error(`broker no disponible (mensaje ${mensaje.id})`);
    this.publicados.push(structuredClone(mensaje));
  }
}

/**
 * Publishes to the external publisher, then hands the message to in-process consumers (the read
 * model projector, until the event-flow issue subscribes it through the broker). If any step fails
 * the publication fails, so the message stays in the outbox and the relay retries the whole thing:
 * consumers must be idempotent (the projector is).
 */
export class PublicadorConEntregaLocal implements PublicadorMensajes {
  constructor(
    private readonly externo: PublicadorMensajes,
    private readonly locales: readonly ConsumidorMensajes[],
  ) {}

  async publicar(mensaje: MensajeIntegracion): Promise<void> {
    await this.externo.publicar(mensaje);
    for (const consumidor of this.locales) await consumidor.manejar(mensaje);
  }
}
