import { EventoDominio } from '../dominio/eventos';

/**
 * Integration message as this service produces it, before it is put on the wire. The shape the
 * broker carries (CloudEvent envelope + the v1 Avro payload of packages/contratos) is built from
 * this by the publisher adapter: `id` is the CloudEvent id, `time` its time, `type` its type.
 */
export type ValorCarga = string | number | boolean | null | ValorCarga[] | { [campo: string]: ValorCarga };

export interface MensajeIntegracion {
  /** Unique message id (uuid), fixed at commit and kept across republishing (consumers dedup on it). */
  id: string;
  topic: string;
  type: string;
  /** Epoch millis at commit. */
  time: number;
  correlationId: string;
  aggregateId: string;
  /** Version of the aggregate written together with this message. */
  aggregateVersion: number;
  payload: Record<string, ValorCarga>;
}

/** What a translator decides for one domain event: topic, type and payload, or nothing. */
export interface TraduccionEvento {
  topic: string;
  type: string;
  payload: Record<string, ValorCarga>;
}

/** Domain events become integration messages in ONE place per module. */
export interface TraductorEventos {
  traducir(evento: EventoDominio): TraduccionEvento | null;
}

/** Publishing port (the Dapr pub/sub adapter implements it; tests record). Rejects when not published. */
export interface PublicadorMensajes {
  publicar(mensaje: MensajeIntegracion): Promise<void>;
}

/** Something in this process that consumes integration messages (e.g. the read-model projector). */
export interface ConsumidorMensajes {
  manejar(mensaje: MensajeIntegracion): Promise<void>;
}
