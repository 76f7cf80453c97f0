import {
  crearEventoReserva,
  esTipoEventoReserva,
  metadatosPublicacion,
  TOPICO_COMANDOS_RESERVA,
  TOPICO_EVENTOS_RESERVA,
  validarComandoCrearReserva,
  validarEventoReserva,
  type ErrorValidacion,
  type PayloadsEventoReserva,
} from '@aeroalpes/contratos';
import { cabecerasDapr } from '@aeroalpes/comun';
import { EscrituraPorLotes, type OpcionesLote, type ResultadoItem } from '../../seedwork/infraestructura/lotes';
import type { MensajeIntegracion, PublicadorMensajes } from '../../seedwork/infraestructura/mensajes';

export interface OpcionesPublicadorDapr {
  /** Base URL of the sidecar's HTTP API, e.g. http://127.0.0.1:3500. */
  urlSidecar: string;
  /** The sidecar's API token (DAPR_API_TOKEN), sent with every publish when set. */
  tokenDapr?: string;
  pubsub: string;
  /** Maps the configured topic names onto the contracts' topics (names live in configuration). */
  topics: { eventos: string; comandos: string };
  servicio: string;
  /** Bound on one publish: with the broker down Pulsar's producer waits up to 30 s. */
  timeoutMs: number;
  /**
   * Group commit of publishes: the messages published while a call to the sidecar is in flight go
   * together in one bulk publish (Dapr's publish/bulk API; the sidecar hands them to Pulsar at
   * once, where producer batching packs them). Without it, one HTTP call per message.
   */
  lotes?: OpcionesLote;
  reloj?: () => number;
}

interface Publicacion {
  mensaje: MensajeIntegracion;
  data: Record<string, unknown>;
}

export class ContratoInvalido extends Error {
  constructor(
    readonly topic: string,
    readonly errores: ErrorValidacion[],
  ) {
    super(`mensaje fuera del contrato v1 de ${topic}: ${errores.map((e) => `${e.campo}: ${e.regla}`).join('; ')}`);
  }
}

/**
 * The Dapr adapter behind the publishing port: builds the v1 record of the contract (message id,
 * correlation id and aggregate version inside `data`, as Dapr's Pulsar component allows no
 * CloudEvent extensions), validates it (a message that breaks the contract is never published),
 * and publishes it with our message id as the CloudEvent id and the event name as its type.
 * Rejects on any failure, so the message stays in its outbox for the relay.
 *
 * Plain fetch to the sidecar rather than the SDK's publish: the SDK neither takes a timeout nor
 * throws on failure (it returns `{ error }`), and both matter for an outbox.
 */
export class PublicadorDapr implements PublicadorMensajes {
  private readonly reloj: () => number;
  /** One group-commit queue per topic (a bulk publish names one topic). */
  readonly #lotes = new Map<string, EscrituraPorLotes<Publicacion, void>>();

  constructor(private readonly opciones: OpcionesPublicadorDapr) {
    this.reloj = opciones.reloj ?? Date.now;
  }

  registro(mensaje: MensajeIntegracion): { topicContrato: string; data: Record<string, unknown> } {
    const meta = {
      id_mensaje: mensaje.id,
      id_correlacion: mensaje.correlationId,
      time: mensaje.time,
      ingestion: this.reloj(),
      service_name: this.opciones.servicio,
    };
    if (mensaje.topic === this.opciones.topics.eventos) {
      if (!esTipoEventoReserva(mensaje.type)) throw new ContratoInvalido(TOPICO_EVENTOS_RESERVA, [{ campo: 'type', regla: `tipo desconocido ${mensaje.type}` }]);
      const data = crearEventoReserva(mensaje.type, mensaje.payload as unknown as PayloadsEventoReserva[typeof mensaje.type], {
        ...meta,
        version_agregado: mensaje.aggregateVersion,
      });
      const errores = validarEventoReserva(mensaje.type, data);
      if (errores.length > 0) throw new ContratoInvalido(TOPICO_EVENTOS_RESERVA, errores);
      return { topicContrato: TOPICO_EVENTOS_RESERVA, data: data as unknown as Record<string, unknown> };
    }
    if (mensaje.topic === this.opciones.topics.comandos) {
      const data = { ...mensaje.payload, ...meta };
      const errores = validarComandoCrearReserva(data, mensaje.type);
      if (errores.length > 0) throw new ContratoInvalido(TOPICO_COMANDOS_RESERVA, errores);
      return { topicContrato: TOPICO_COMANDOS_RESERVA, data };
    }
    throw new Error(`topic sin contrato: ${mensaje.topic}`);
  }

  async publicar(mensaje: MensajeIntegracion): Promise<void> {
    const { data } = this.registro(mensaje); // a message that breaks the contract fails here, alone
    const lotes = this.opciones.lotes;
    if (!lotes) return this.#publicarUno(mensaje, data);
    let lote = this.#lotes.get(mensaje.topic);
    if (!lote) {
      lote = new EscrituraPorLotes((items) => this.#publicarLote(mensaje.topic, items), lotes);
      this.#lotes.set(mensaje.topic, lote);
    }
    return lote.encolar({ mensaje, data });
  }

  async #publicarUno(mensaje: MensajeIntegracion, data: Record<string, unknown>): Promise<void> {
    const query = new URLSearchParams(Object.entries(metadatosPublicacion(mensaje.id, mensaje.type)).map(([k, v]): [string, string] => [`metadata.${k}`, v]));
    const url = `${this.opciones.urlSidecar}/v1.0/publish/${encodeURIComponent(this.opciones.pubsub)}/${encodeURIComponent(mensaje.topic)}?${query}`;
    const res = await fetch(url, {
      method: 'POST',
      // application/json: text/plain breaks gRPC subscribers of Avro topics.
      headers: { 'content-type': 'application/json', ...cabecerasDapr(this.opciones.tokenDapr) },
      body: JSON.stringify(data),
      signal: AbortSignal.timeout(this.opciones.timeoutMs),
    });
    if (res.status !== 204 && res.status !== 200) {
      throw new Error(`publicación de ${mensaje.type} ${mensaje.id} en ${mensaje.topic} fallida: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    }
    await res.arrayBuffer().catch(() => undefined);
  }

  /**
   * One bulk publish; each entry gets its own outcome: Dapr answers 2xx when all were published,
   * and 500 with `failedEntries` (entry ids and errors) when some were not.
   */
  async #publicarLote(topic: string, items: Publicacion[]): Promise<ResultadoItem<void>[]> {
    const url = `${this.opciones.urlSidecar}/v1.0-alpha1/publish/bulk/${encodeURIComponent(this.opciones.pubsub)}/${encodeURIComponent(topic)}`;
    const entries = items.map(({ mensaje, data }, i) => ({
      entryId: String(i),
      event: data,
      contentType: 'application/json',
      metadata: metadatosPublicacion(mensaje.id, mensaje.type),
    }));
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...cabecerasDapr(this.opciones.tokenDapr) },
      body: JSON.stringify(entries),
      signal: AbortSignal.timeout(this.opciones.timeoutMs),
    });
    const texto = await res.text();
    if (res.status === 204 || res.status === 200) return items.map(() => ({ ok: true, valor: undefined }));
    let fallidas: { entryId?: string; error?: string }[] | undefined;
    try {
      fallidas = (JSON.parse(texto) as { failedEntries?: { entryId?: string; error?: string }[] }).failedEntries;
    } catch {
      fallidas = undefined;
    }
    const motivo = `HTTP ${res.status} ${texto.slice(0, 300)}`;
    if (!Array.isArray(fallidas)) throw new Error(`publicación en lote de ${items.length} mensajes en ${topic} fallida: ${motivo}`);
    const porEntrada = new Map(fallidas.map((f) => [String(f.entryId), f.error ?? motivo]));
    return items.map(({ mensaje }, i): ResultadoItem<void> => {
      const error = porEntrada.get(String(i));
      return error === undefined ? { ok: true, valor: undefined } : { ok: false, error: new Error(`publicación de ${mensaje.type} ${mensaje.id} en ${topic} fallida: ${error}`) };
    });
  }
}
