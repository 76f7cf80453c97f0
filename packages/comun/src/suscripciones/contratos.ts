import { validarComandoCrearReserva, validarEventoReserva, type ComandoCrearReservaPayload, type EventoReservaPayload } from '@aeroalpes/contratos';
import type { Contrato } from './suscripcion';

/** A contract from one of packages/contratos' validators (which list the reasons, never throw). */
export function contrato<T>(validar: (tipo: string, data: unknown) => readonly unknown[]): Contrato<T> {
  return {
    leer(tipo, data) {
      const errores = validar(tipo, data);
      return errores.length === 0 ? { valido: true, valor: data as T } : { valido: false, errores };
    },
  };
}

/** The v1 events of `eventos-reserva`. */
export const contratoEventoReserva = contrato<EventoReservaPayload>(validarEventoReserva);

/** The v1 command of `comandos-reserva` (ComandoCrearReserva). */
export const contratoComandoCrearReserva = contrato<ComandoCrearReservaPayload>((tipo, data) => validarComandoCrearReserva(data, tipo));

/** Whatever arrives (a dead-letter topic keeps what others could not take). */
export const cualquierMensaje: Contrato<unknown> = { leer: (_tipo, data) => ({ valido: true, valor: data }) };
