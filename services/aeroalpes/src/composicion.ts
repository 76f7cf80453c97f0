import { randomUUID } from 'node:crypto';
import { BusComandos } from './seedwork/aplicacion/comandos';
import { BusQueries } from './seedwork/aplicacion/queries';
import { DespachadorEventosDominio } from './seedwork/infraestructura/despachador-eventos';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { PublicadorMensajes } from './seedwork/infraestructura/mensajes';
import { AlmacenConOutbox, OpcionesRelay, OutboxPendiente, RelayOutbox } from './seedwork/infraestructura/outbox';
import type { Reserva } from './modulos/vuelos/dominio/reserva';
import { PublicadorConEntregaLocal, PublicadorMemoria } from './seedwork/infraestructura/publicadores';
import { fabricaUnidadDeTrabajo } from './seedwork/infraestructura/uow';
import { AgregarReservaUsuario } from './modulos/cliente/aplicacion/agregar-reserva-usuario';
import { ManejadorObtenerCliente, ObtenerCliente } from './modulos/cliente/aplicacion/obtener-cliente';
import { RepositorioClientes } from './modulos/cliente/dominio/cliente';
import { RepositorioClientesMemoria } from './modulos/cliente/infraestructura/memoria';
import { CrearReserva, DespachadorComandos, DespachadorComandosEnProceso, ManejadorCrearReserva } from './modulos/vuelos/crear-reserva/comando';
import { ManejadorTransicionarReserva, TransicionarReserva } from './modulos/vuelos/aplicacion/comandos/transicionar-reserva';
import { AlmacenReservas, DependenciasComandosReserva, Reloj, VistaReservas } from './modulos/vuelos/aplicacion/puertos';
import { ManejadorObtenerReserva, ObtenerReserva } from './modulos/vuelos/aplicacion/queries/obtener-reserva';
import { ManejadorObtenerReservasCanceladas, ObtenerReservasCanceladas } from './modulos/vuelos/aplicacion/queries/obtener-reservas-canceladas';
import { ManejadorObtenerReservasNoPagadas, ObtenerReservasNoPagadas } from './modulos/vuelos/aplicacion/queries/obtener-reservas-no-pagadas';
import { ManejadorObtenerTodasReservas, ObtenerTodasReservas } from './modulos/vuelos/aplicacion/queries/obtener-todas-reservas';
import { ServicioReserva } from './modulos/vuelos/aplicacion/servicio-reserva';
import { RepositorioReservasMemoria, VistaReservasMemoria } from './modulos/vuelos/infraestructura/memoria';
import { ProyectorReservas } from './modulos/vuelos/infraestructura/proyector';
import { TraductorEventosReserva } from './modulos/vuelos/infraestructura/traductor';

/** The adapters the core needs: MongoDB ones in main.ts, in-memory ones in the tests. */
export interface Adaptadores {
  /** The write model, with its outbox (the unit of work and the relay use both). */
  reservas: AlmacenReservas & AlmacenConOutbox<Reserva, unknown>;
  vista: VistaReservas;
  clientes: RepositorioClientes;
  /** External publisher (the Dapr pub/sub adapter; a recording one in tests). */
  publicador: PublicadorMensajes;
  logger?: Logger;
  reloj?: Reloj;
  /** Ids of messages. */
  generarId?: () => string;
  /** Replaces the in-process command dispatcher (the broker adapter in main.ts). */
  despachadorComandos?: (bus: BusComandos) => DespachadorComandos;
  /** More outboxes for the relay (the command outbox in main.ts). */
  outboxes?: OutboxPendiente[];
}

export interface OpcionesComposicion {
  topicEventos: string;
  relay?: OpcionesRelay;
  /**
   * The read model is fed by the broker subscription to eventos-reserva (main.ts). Without it
   * (unit tests over memory adapters) the projector runs in-process right after each publication.
   */
  proyeccionPorBroker?: boolean;
}

export interface Nucleo {
  busComandos: BusComandos;
  busQueries: BusQueries;
  despachadorComandos: DespachadorComandos;
  servicioReserva: ServicioReserva;
  proyector: ProyectorReservas;
  relay: RelayOutbox;
  despachadorEventos: DespachadorEventosDominio;
  /** The publisher the core uses (with local delivery when the projection is in-process). */
  publicador: PublicadorMensajes;
}

/** Builds the graph of the core by hand (no DI container): buses, handlers, UoW, projector, relay. */
export function componer(a: Adaptadores, opciones: OpcionesComposicion): Nucleo {
  const logger = a.logger ?? loggerSilencioso;
  const reloj = a.reloj ?? (() => new Date());

  const despachadorEventos = new DespachadorEventosDominio();
  new AgregarReservaUsuario(a.clientes).suscribir(despachadorEventos);

  const proyector = new ProyectorReservas(a.reservas, a.vista, opciones.topicEventos, logger);
  const publicador = opciones.proyeccionPorBroker ? a.publicador : new PublicadorConEntregaLocal(a.publicador, [proyector]);

  const crearUoW = fabricaUnidadDeTrabajo({
    despachador: despachadorEventos,
    traductor: new TraductorEventosReserva(opciones.topicEventos),
    publicador,
    logger,
    reloj: () => reloj().getTime(),
    generarId: a.generarId ?? randomUUID,
  });
  const deps: DependenciasComandosReserva = { repositorio: a.reservas, crearUoW, reloj };

  const busComandos = new BusComandos(logger).registrar(CrearReserva, new ManejadorCrearReserva(deps)).registrar(TransicionarReserva, new ManejadorTransicionarReserva(deps));

  const busQueries = new BusQueries(logger)
    .registrar(ObtenerReserva, new ManejadorObtenerReserva(a.vista))
    .registrar(ObtenerTodasReservas, new ManejadorObtenerTodasReservas(a.vista))
    .registrar(ObtenerReservasCanceladas, new ManejadorObtenerReservasCanceladas(a.vista))
    .registrar(ObtenerReservasNoPagadas, new ManejadorObtenerReservasNoPagadas(a.vista))
    .registrar(ObtenerCliente, new ManejadorObtenerCliente(a.clientes));

  const relay = new RelayOutbox([a.reservas, ...(a.outboxes ?? [])], publicador, { logger, ...opciones.relay });

  return {
    busComandos,
    busQueries,
    despachadorComandos: a.despachadorComandos?.(busComandos) ?? new DespachadorComandosEnProceso(busComandos, logger),
    servicioReserva: new ServicioReserva(a.reservas),
    proyector,
    relay,
    despachadorEventos,
    publicador,
  };
}

/**
 * The core over in-memory adapters (unit tests, and a handy fixture for the lead's tests): same
 * handlers, UoW, projector and relay, with a recording publisher.
 */
export function componerEnMemoria(opciones: Partial<OpcionesComposicion> & { reloj?: Reloj; logger?: Logger } = {}) {
  const reservas = new RepositorioReservasMemoria();
  const vista = new VistaReservasMemoria();
  const clientes = new RepositorioClientesMemoria();
  const publicador = new PublicadorMemoria();
  const nucleo = componer(
    { reservas, vista, clientes, publicador, ...(opciones.reloj ? { reloj: opciones.reloj } : {}), ...(opciones.logger ? { logger: opciones.logger } : {}) },
    { topicEventos: opciones.topicEventos ?? 'eventos-reserva', relay: { intervaloMs: 0, edadMinimaMs: 0, ...opciones.relay } },
  );
  return { ...nucleo, reservas, vista, clientes, publicador };
}
