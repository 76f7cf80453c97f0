/**
 * Attributes every integration message carries inside its `data` record.
 *
 * The contract's envelope (id, time, ingestion, specversion, type, datacontenttype, service_name,
 * data) is split between Dapr's CloudEvent and our record, because Dapr 1.18's Pulsar component
 * registers a fixed CloudEvent envelope record whose only free slot is `data` (extension
 * attributes are rejected): `id` is the CloudEvent id AND `id_mensaje`; `type`, `specversion`,
 * `datacontenttype` are CloudEvent attributes; `time`, `ingestion`, `service_name` (and the
 * correlation id) live here. See /work/notes/dapr-pulsar-avro.md §7.
 */
export interface MetadatosMensaje {
  /** Unique message id; the publisher also sets it as the CloudEvent id (metadata `cloudevent.id`). */
  id_mensaje: string;
  /** Correlation id of the request that caused the message ("" when unknown). */
  id_correlacion: string;
  /** When the fact occurred (event) or the command was issued, epoch millis. */
  time: number;
  /** When the message was handed to the broker, epoch millis. */
  ingestion: number;
  /** Producing service (`aeroalpes`, `ui`). */
  service_name: string;
}

/** CloudEvent `specversion` Dapr writes (fixed by Dapr; our schema version is `v1`). */
export const CLOUDEVENT_SPECVERSION = '1.0';
/** The only `datacontenttype` to publish with: `text/plain` breaks gRPC subscribers on Avro topics. */
export const CONTENT_TYPE_MENSAJE = 'application/json';

/**
 * The CloudEvent envelope record Dapr's Pulsar component wraps around our record (the registered
 * schema and the wire format on the topic). Nullable attributes may be absent when encoding.
 */
export interface CloudEventAvro<D> {
  id: string;
  source: string;
  specversion: string;
  type: string;
  datacontenttype?: string | null;
  subject?: string | null;
  time?: string | null;
  topic?: string | null;
  pubsubname?: string | null;
  traceid?: string | null;
  traceparent?: string | null;
  tracestate?: string | null;
  expiration?: string | null;
  data?: D | null;
  data_base64?: string | null;
}

/**
 * Publish metadata that makes Dapr use our message id as the CloudEvent id and the event or
 * command name as the CloudEvent type (`?metadata.cloudevent.id=…` over HTTP, `metadata` over
 * gRPC or in the JS SDK's publish options).
 */
export function metadatosPublicacion(idMensaje: string, tipo: string): Record<string, string> {
  return { 'cloudevent.id': idMensaje, 'cloudevent.type': tipo };
}
