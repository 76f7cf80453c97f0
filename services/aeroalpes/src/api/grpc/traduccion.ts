/**
 * gRPC messages <-> the REST JSON shape (docs/contracts.md section 1). The server turns a gRPC Reserva
 * into the REST request body and runs the REST API's own validation on it, so both APIs accept and
 * reject the same inputs; the answer goes back the other way. The command-line client uses the
 * REST -> gRPC direction to send a request file.
 *
 * Dates: a Timestamp becomes the REST text `YYYY-MM-DDTHH:MM:SSZ`. One the REST text cannot hold
 * (fractional seconds, out of range) becomes a text that the shared validator rejects, naming the
 * field: the same answer a REST client gets for `2022-11-22T13:10:00.5Z`.
 */
import { formatearFechaUTC } from '../../seedwork/aplicacion/fechas';
import type { ItinerarioDTO, LegDTO, ReservaDTO } from '../../modulos/vuelos/aplicacion/dto';
import type { Itinerario, Leg, Locacion, Reserva, Timestamp } from './contrato';

/** Largest `seconds` a JavaScript Date holds (8.64e15 ms). */
const SEGUNDOS_MAXIMOS = 8_640_000_000_000n;

/** Timestamp -> `YYYY-MM-DDTHH:MM:SSZ`, or a text that does not pass the REST date format. */
export function timestampATexto(ts: Timestamp): string {
  const crudo = String(ts.seconds ?? 0).trim();
  const segundos = /^-?[0-9]{1,20}$/.test(crudo) ? BigInt(crudo) : undefined;
  if (segundos === undefined || segundos > SEGUNDOS_MAXIMOS || segundos < -SEGUNDOS_MAXIMOS) {
    return `Timestamp(seconds=${crudo.slice(0, 24)})`;
  }
  const base = formatearFechaUTC(new Date(Number(segundos) * 1000));
  const nanos = ts.nanos ?? 0;
  if (nanos === 0) return base;
  return Number.isInteger(nanos) && nanos > 0 && nanos < 1e9 ? base.replace(/Z$/, `.${String(nanos).padStart(9, '0')}Z`) : `${base}(nanos=${String(nanos).slice(0, 12)})`;
}

const PATRON_FECHA = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?Z$/;

/**
 * A UTC date text -> Timestamp: `YYYY-MM-DDTHH:MM:SSZ`, also with a fraction of a second and any
 * year from 0000, because this only converts (the server judges: it refuses fractions and dates
 * before 1970 exactly as the REST API does). Undefined when the text is no real calendar instant
 * (`2023-02-30T...` would otherwise roll over into March).
 */
export function textoATimestamp(texto: string): Timestamp | undefined {
  const m = PATRON_FECHA.exec(texto);
  if (!m) return undefined;
  const [anio, mes, dia, hora, minuto, segundo] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fecha = new Date(0);
  fecha.setUTCFullYear(anio, mes - 1, dia);
  fecha.setUTCHours(hora, minuto, segundo, 0);
  if (fecha.getUTCFullYear() !== anio || fecha.getUTCMonth() !== mes - 1 || fecha.getUTCDate() !== dia) return undefined;
  if (fecha.getUTCHours() !== hora || fecha.getUTCMinutes() !== minuto || fecha.getUTCSeconds() !== segundo) return undefined;
  return { seconds: String(fecha.getTime() / 1000), nanos: m[7] ? Number(m[7].padEnd(9, '0')) : 0 };
}

const locacionARest = (l: Locacion) => ({ codigo: l.codigo, nombre: l.nombre });

/** Fields the proto leaves unset are left out, so the validator reports them as required. */
function legARest(leg: Leg): Record<string, unknown> {
  const salida: Record<string, unknown> = {};
  if (leg.fecha_salida) salida.fecha_salida = timestampATexto(leg.fecha_salida);
  if (leg.fecha_llegada) salida.fecha_llegada = timestampATexto(leg.fecha_llegada);
  if (leg.origen) salida.origen = locacionARest(leg.origen);
  if (leg.destino) salida.destino = locacionARest(leg.destino);
  return salida;
}

/**
 * A gRPC Reserva as the REST body of POST /vuelos/reserva (to be validated by the caller). The
 * server-assigned fields (`id`, `fecha_creacion`, `fecha_actualizacion`, `Itinerario.id`) are
 * output-only and not carried over; a repeated field that is empty or absent becomes `[]`.
 */
export function reservaARest(reserva: Reserva): { itinerarios: unknown[] } {
  return {
    itinerarios: (reserva.itinerarios ?? []).map((it) => ({
      odos: (it.odos ?? []).map((odo) => ({
        segmentos: (odo.segmentos ?? []).map((seg) => ({
          legs: (seg.legs ?? []).map(legARest),
        })),
      })),
    })),
  };
}

/** Server-assigned fields a request carried (ignored by CrearReserva; logged). */
export function camposSoloSalida(reserva: Reserva): string[] {
  const campos: string[] = [];
  if (reserva.id !== undefined && reserva.id !== null) campos.push('id');
  if (reserva.fecha_creacion) campos.push('fecha_creacion');
  if (reserva.fecha_actualizacion) campos.push('fecha_actualizacion');
  (reserva.itinerarios ?? []).forEach((it, i) => {
    if (it.id !== undefined && it.id !== null) campos.push(`itinerarios[${i}].id`);
  });
  return campos;
}

function timestampDe(texto: string): Timestamp {
  const ts = textoATimestamp(texto);
  if (!ts) throw new RangeError(`fecha inválida: ${texto}`);
  return ts;
}

function itinerariosAProto(itinerarios: readonly ItinerarioDTO[]): Itinerario[] {
  return itinerarios.map((it) => ({
    odos: it.odos.map((odo) => ({
      segmentos: odo.segmentos.map((seg) => ({
        legs: seg.legs.map((leg: LegDTO): Leg => ({
          fecha_salida: timestampDe(leg.fecha_salida),
          fecha_llegada: timestampDe(leg.fecha_llegada),
          destino: locacionARest(leg.destino),
          origen: locacionARest(leg.origen),
        })),
      })),
    })),
  }));
}

/**
 * The reserva document (as the REST API returns it) as a gRPC Reserva. The contract's message has
 * no estado, id_cliente, version or pasajeros; the domain's itinerarios have no id of their own,
 * so `Itinerario.id` stays unset.
 */
export function reservaAProto(dto: ReservaDTO): Reserva {
  return {
    id: dto.id,
    fecha_creacion: timestampDe(dto.fecha_creacion),
    fecha_actualizacion: timestampDe(dto.fecha_actualizacion),
    itinerarios: itinerariosAProto(dto.itinerarios),
  };
}

/** The REST view of a gRPC answer's reserva (dates as text): what the CLI prints. */
export function reservaProtoAJson(reserva: Reserva): Record<string, unknown> {
  const salida: Record<string, unknown> = {};
  if (reserva.id !== undefined && reserva.id !== null) salida.id = reserva.id;
  if (reserva.fecha_creacion) salida.fecha_creacion = timestampATexto(reserva.fecha_creacion);
  if (reserva.fecha_actualizacion) salida.fecha_actualizacion = timestampATexto(reserva.fecha_actualizacion);
  salida.itinerarios = reservaARest(reserva).itinerarios.map((it, i) => {
    const id = reserva.itinerarios[i]?.id;
    return id !== undefined && id !== null ? { id, ...(it as object) } : it;
  });
  return salida;
}

/** A request file that cannot become a gRPC Reserva (names the field). */
export class ErrorSolicitud extends Error {
  constructor(
    readonly campo: string,
    mensaje: string,
  ) {
    super(`${campo}: ${mensaje}`);
    this.name = 'ErrorSolicitud';
  }
}

const esObjeto = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A request in the REST JSON shape -> gRPC Reserva, for the command-line client. It only converts:
 * the server validates (a missing leg field stays unset and the server names it). Fails on what
 * the proto cannot carry at all (a date that is not a REST date, a list that is not a list).
 * `ignorados`: top-level fields the gRPC contract has no place for, or that the server assigns.
 */
export function solicitudAProto(json: unknown): { reserva: Reserva; ignorados: string[] } {
  if (!esObjeto(json)) throw new ErrorSolicitud('(cuerpo)', 'debe ser un objeto JSON con la reserva');
  const lista = (valor: unknown, campo: string): unknown[] => {
    if (valor === undefined || valor === null) return [];
    if (!Array.isArray(valor)) throw new ErrorSolicitud(campo, 'debe ser una lista');
    return valor;
  };
  const objeto = (valor: unknown, campo: string): Record<string, unknown> => {
    if (!esObjeto(valor)) throw new ErrorSolicitud(campo, 'debe ser un objeto');
    return valor;
  };
  const texto = (valor: unknown, campo: string): string => {
    if (valor === undefined || valor === null) return '';
    if (typeof valor !== 'string') throw new ErrorSolicitud(campo, 'debe ser un texto');
    return valor;
  };
  const fecha = (valor: unknown, campo: string): Timestamp | null => {
    if (valor === undefined || valor === null) return null;
    const ts = typeof valor === 'string' ? textoATimestamp(valor) : undefined;
    if (!ts) throw new ErrorSolicitud(campo, 'debe ser una fecha UTC real con el formato YYYY-MM-DDTHH:MM:SSZ');
    return ts;
  };
  const locacion = (valor: unknown, campo: string): Locacion | null => {
    if (valor === undefined || valor === null) return null;
    const o = objeto(valor, campo);
    return { codigo: texto(o.codigo, `${campo}.codigo`), nombre: texto(o.nombre, `${campo}.nombre`) };
  };

  const reserva: Reserva = {
    itinerarios: lista(json.itinerarios, 'itinerarios').map((it, i) => {
      const cIt = `itinerarios[${i}]`;
      return {
        odos: lista(objeto(it, cIt).odos, `${cIt}.odos`).map((odo, j) => {
          const cOdo = `${cIt}.odos[${j}]`;
          return {
            segmentos: lista(objeto(odo, cOdo).segmentos, `${cOdo}.segmentos`).map((seg, k) => {
              const cSeg = `${cOdo}.segmentos[${k}]`;
              return {
                legs: lista(objeto(seg, cSeg).legs, `${cSeg}.legs`).map((crudo, l) => {
                  const cLeg = `${cSeg}.legs[${l}]`;
                  const leg = objeto(crudo, cLeg);
                  return {
                    fecha_salida: fecha(leg.fecha_salida, `${cLeg}.fecha_salida`),
                    fecha_llegada: fecha(leg.fecha_llegada, `${cLeg}.fecha_llegada`),
                    destino: locacion(leg.destino, `${cLeg}.destino`),
                    origen: locacion(leg.origen, `${cLeg}.origen`),
                  };
                }),
              };
            }),
          };
        }),
      };
    }),
  };
  return { reserva, ignorados: Object.keys(json).filter((k) => k !== 'itinerarios') };
}
