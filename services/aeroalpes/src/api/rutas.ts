import type { Request, Response } from 'express';
import { RUTAS_CREAR_RESERVA } from '../modulos/vuelos/crear-reserva/rest';
import { Esquema, esquemaCliente, esquemaCuerpoAccion, esquemaPaginaReservas, esquemaParametrosListado, esquemaParametrosPagina, esquemaReserva, esquemaSalud } from './esquemas';

/**
 * The route table: every endpoint once, with what it accepts and answers. crearApp registers the
 * express routes from it and /spec (OpenAPI) is generated from it, so they cannot drift apart. A
 * use case with its own folder brings its entries and handlers (modulos/vuelos/crear-reserva/rest.ts).
 */
export type IdOperacion =
  | 'crearReserva'
  | 'crearReservaComando'
  | 'obtenerReserva'
  | 'obtenerReservaQuery'
  | 'aprobarReserva'
  | 'cancelarReserva'
  | 'pagarReserva'
  | 'listarReservas'
  | 'listarReservasCanceladas'
  | 'listarReservasNoPagadas'
  | 'obtenerCliente'
  | 'salud'
  | 'especificacion';

/** What answers one route: the request, its response and the request's correlation id. */
export type Manejador = (req: Request, res: Response, idCorrelacion: string) => Promise<void> | void;

export interface RespuestaRuta {
  descripcion: string;
  esquema?: Esquema;
  cabeceras?: Record<string, string>;
}

export interface DefinicionRuta {
  id: IdOperacion;
  metodo: 'get' | 'post';
  /** OpenAPI template (`/vuelos/reserva/{id}`). */
  ruta: string;
  resumen: string;
  etiqueta: string;
  cuerpo?: { esquema: Esquema; obligatorio: boolean };
  /** Path parameter `id` (a UUID). */
  conId?: boolean;
  parametrosQuery?: Esquema;
  respuestas: Record<number, RespuestaRuta>;
}

const reservaOk: RespuestaRuta = { descripcion: 'La reserva', esquema: esquemaReserva };
const transicion = (accion: string, estados: string, evento: string): Omit<DefinicionRuta, 'id' | 'ruta'> => ({
  metodo: 'post',
  resumen: `${accion} una reserva (${estados}); emite ${evento}`,
  etiqueta: 'vuelos',
  conId: true,
  cuerpo: { esquema: esquemaCuerpoAccion, obligatorio: false },
  respuestas: { 200: reservaOk, 409: { descripcion: 'Transición no permitida desde el estado actual, o la versión cambió' } },
});

export const RUTAS: readonly DefinicionRuta[] = [
  ...RUTAS_CREAR_RESERVA,
  {
    id: 'obtenerReserva',
    metodo: 'get',
    ruta: '/vuelos/reserva/{id}',
    resumen: 'Lee una reserva (modelo de escritura: siempre el último commit)',
    etiqueta: 'vuelos',
    conId: true,
    respuestas: { 200: reservaOk },
  },
  {
    id: 'obtenerReservaQuery',
    metodo: 'get',
    ruta: '/vuelos/reserva-query/{id}',
    resumen: 'Lee una reserva por el lado de consulta (query ObtenerReserva, modelo de lectura)',
    etiqueta: 'vuelos',
    conId: true,
    respuestas: { 200: reservaOk },
  },
  { id: 'aprobarReserva', ruta: '/vuelos/reserva/{id}/aprobar', ...transicion('Aprueba', 'Pendiente -> Aprobada', 'ReservaAprobada') },
  {
    id: 'cancelarReserva',
    ruta: '/vuelos/reserva/{id}/cancelar',
    ...transicion('Cancela', 'Pendiente o Aprobada -> Cancelada', 'ReservaCancelada'),
  },
  { id: 'pagarReserva', ruta: '/vuelos/reserva/{id}/pagar', ...transicion('Paga', 'Aprobada -> Pagada', 'ReservaPagada') },
  {
    id: 'listarReservas',
    metodo: 'get',
    ruta: '/vuelos/reservas',
    resumen: 'Lista reservas, más recientes primero, paginadas (query ObtenerTodasReservas)',
    etiqueta: 'vuelos',
    parametrosQuery: esquemaParametrosListado,
    respuestas: { 200: { descripcion: 'Una página de reservas', esquema: esquemaPaginaReservas } },
  },
  {
    id: 'listarReservasCanceladas',
    metodo: 'get',
    ruta: '/vuelos/reservas/canceladas',
    resumen: 'Reservas canceladas, paginadas (query ObtenerReservasCanceladas)',
    etiqueta: 'vuelos',
    parametrosQuery: esquemaParametrosPagina,
    respuestas: { 200: { descripcion: 'Una página de reservas', esquema: esquemaPaginaReservas } },
  },
  {
    id: 'listarReservasNoPagadas',
    metodo: 'get',
    ruta: '/vuelos/reservas/no-pagadas',
    resumen: 'Reservas pendientes de pago (Pendiente o Aprobada), paginadas (query ObtenerReservasNoPagadas)',
    etiqueta: 'vuelos',
    parametrosQuery: esquemaParametrosPagina,
    respuestas: { 200: { descripcion: 'Una página de reservas', esquema: esquemaPaginaReservas } },
  },
  {
    id: 'obtenerCliente',
    metodo: 'get',
    ruta: '/clientes/{id}',
    resumen: 'Las reservas de un cliente (módulo cliente, AgregarReservaUsuario)',
    etiqueta: 'cliente',
    conId: true,
    respuestas: { 200: { descripcion: 'El cliente y sus reservas', esquema: esquemaCliente } },
  },
  {
    id: 'salud',
    metodo: 'get',
    ruta: '/health',
    resumen: 'Liveness',
    etiqueta: 'operacion',
    respuestas: { 200: { descripcion: 'Vivo', esquema: esquemaSalud } },
  },
  {
    id: 'especificacion',
    metodo: 'get',
    ruta: '/spec',
    resumen: 'Este documento OpenAPI',
    etiqueta: 'operacion',
    respuestas: { 200: { descripcion: 'Documento OpenAPI 3.1' } },
  },
];

/** `/vuelos/reserva/{id}` -> `/vuelos/reserva/:id` */
export function rutaExpress(ruta: string): string {
  return ruta.replace(/\{([A-Za-z_]+)\}/g, ':$1');
}
