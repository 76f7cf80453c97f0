import { ReglaNegocioExcepcion } from '../../../seedwork/dominio/excepciones';
import { Mapeador } from '../../../seedwork/dominio/mapeadores';
import { formatearFechaUTC, parsearFechaUTC } from '../../../seedwork/aplicacion/fechas';
import { Aeropuerto, Itinerario, Leg, Odo, Pasajero, Segmento, unir } from '../dominio/objetos-valor';
import { ContenidoReserva, Reserva } from '../dominio/reserva';
import { AeropuertoDTO, ItinerarioDTO, PasajeroDTO, ReservaDTO, SolicitudReservaDTO } from './dto';

/** REST JSON (wire strings) <-> domain (Dates, value objects). */

function fecha(texto: string, campo: string): Date {
  const valor = typeof texto === 'string' ? parsearFechaUTC(texto) : undefined;
  if (!valor) throw new ReglaNegocioExcepcion('FechaValida', 'la fecha debe tener el formato UTC YYYY-MM-DDTHH:MM:SSZ', campo);
  return valor;
}

export function itinerariosDesdeDto(itinerarios: readonly ItinerarioDTO[], campo = 'itinerarios'): Itinerario[] {
  return itinerarios.map((it, i) => {
    const cIt = `${campo}[${i}]`;
    return Itinerario.crear(
      (it.odos ?? []).map((odo, j) => {
        const cOdo = `${cIt}.odos[${j}]`;
        return Odo.crear(
          (odo.segmentos ?? []).map((seg, k) => {
            const cSeg = `${cOdo}.segmentos[${k}]`;
            return Segmento.crear(
              (seg.legs ?? []).map((leg, l) => {
                const cLeg = `${cSeg}.legs[${l}]`;
                return Leg.crear(
                  {
                    fechaSalida: fecha(leg.fecha_salida, unir(cLeg, 'fecha_salida')),
                    fechaLlegada: fecha(leg.fecha_llegada, unir(cLeg, 'fecha_llegada')),
                    origen: Aeropuerto.crear(leg.origen, unir(cLeg, 'origen')),
                    destino: Aeropuerto.crear(leg.destino, unir(cLeg, 'destino')),
                  },
                  cLeg,
                );
              }),
              cSeg,
            );
          }),
          cOdo,
        );
      }),
      cIt,
    );
  });
}

const aeropuertoADto = (a: Aeropuerto): AeropuertoDTO => ({ codigo: a.codigo, nombre: a.nombre });

export function itinerariosADto(itinerarios: readonly Itinerario[]): ItinerarioDTO[] {
  return itinerarios.map((it) => ({
    odos: it.odos.map((odo) => ({
      segmentos: odo.segmentos.map((seg) => ({
        legs: seg.legs.map((leg) => ({
          fecha_salida: formatearFechaUTC(leg.fechaSalida),
          fecha_llegada: formatearFechaUTC(leg.fechaLlegada),
          origen: aeropuertoADto(leg.origen),
          destino: aeropuertoADto(leg.destino),
        })),
      })),
    })),
  }));
}

function pasajerosDesdeDto(pasajeros: readonly PasajeroDTO[] | undefined, campo = 'pasajeros'): Pasajero[] | undefined {
  return pasajeros?.map((p, i) => Pasajero.crear(p, `${campo}[${i}]`));
}

export function pasajerosADto(pasajeros: readonly Pasajero[] | undefined): PasajeroDTO[] | undefined {
  return pasajeros?.map((p) => ({ clase: p.clase, tipo: p.tipo }));
}

/** The document every endpoint returns. */
export function reservaADto(reserva: Reserva): ReservaDTO {
  const dto: ReservaDTO = {
    id: reserva.id,
    estado: reserva.estado,
    fecha_creacion: formatearFechaUTC(reserva.fechaCreacion),
    fecha_actualizacion: formatearFechaUTC(reserva.fechaActualizacion),
    version: reserva.version,
    itinerarios: itinerariosADto(reserva.itinerarios),
  };
  if (reserva.idCliente !== undefined) dto.id_cliente = reserva.idCliente;
  const pasajeros = pasajerosADto(reserva.pasajeros);
  if (pasajeros) dto.pasajeros = pasajeros;
  // Field order of the contract: id, id_cliente, estado, fechas, itinerarios.
  return ordenar(dto);
}

function ordenar(dto: ReservaDTO): ReservaDTO {
  const { id, id_cliente, estado, fecha_creacion, fecha_actualizacion, version, itinerarios, pasajeros } = dto;
  return {
    id,
    ...(id_cliente !== undefined ? { id_cliente } : {}),
    estado,
    fecha_creacion,
    fecha_actualizacion,
    version,
    itinerarios,
    ...(pasajeros !== undefined ? { pasajeros } : {}),
  };
}

/**
 * A request's content as domain values: building the value objects checks their rules (a
 * violation throws ReglaNegocioExcepcion naming the rule and the field).
 */
export function contenidoDeSolicitud(solicitud: SolicitudReservaDTO): ContenidoReserva {
  return {
    idCliente: solicitud.id_cliente,
    itinerarios: itinerariosDesdeDto(solicitud.itinerarios ?? []),
    pasajeros: pasajerosDesdeDto(solicitud.pasajeros),
  };
}

/**
 * Mapper used by the factory to create a NEW reserva from a request: the server decides the id and
 * the creation time. `entidadAExterno` gives the request back (round trip).
 */
export class MapeadorSolicitudReserva implements Mapeador<SolicitudReservaDTO, Reserva> {
  constructor(private readonly nueva: { id: string; ahora: Date }) {}

  externoAEntidad(solicitud: SolicitudReservaDTO): Reserva {
    return Reserva.crear({ id: this.nueva.id, ahora: this.nueva.ahora, ...contenidoDeSolicitud(solicitud) });
  }

  entidadAExterno(reserva: Reserva): SolicitudReservaDTO {
    const { id_cliente, itinerarios, pasajeros } = reservaADto(reserva);
    return {
      ...(id_cliente !== undefined ? { id_cliente } : {}),
      itinerarios,
      ...(pasajeros !== undefined ? { pasajeros } : {}),
    };
  }
}
