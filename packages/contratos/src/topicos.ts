/**
 * Broker topics of the integration contracts v1. These are the logical names the schemas are
 * registered under; services read the configured names (TOPIC_EVENTOS, TOPIC_COMANDOS) from
 * their environment, whose defaults are these.
 */
export const TOPICO_EVENTOS_RESERVA = 'eventos-reserva';
export const TOPICO_COMANDOS_RESERVA = 'comandos-reserva';

export const TOPICOS = [TOPICO_EVENTOS_RESERVA, TOPICO_COMANDOS_RESERVA] as const;
export type Topico = (typeof TOPICOS)[number];

/** Version of the contracts in this package: the schema folder `schema/v1`. */
export const VERSION_CONTRATOS = 'v1';

export function esTopico(valor: unknown): valor is Topico {
  return typeof valor === 'string' && (TOPICOS as readonly string[]).includes(valor);
}

/** Dead-letter topic of a topic: `eventos-reserva` → `eventos-reserva-dlq` (declared without schema). */
export function topicoDeadLetter(topico: string): string {
  return `${topico}-dlq`;
}
