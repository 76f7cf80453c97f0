import { randomUUID } from 'node:crypto';
import express, { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { BusComandos } from '../seedwork/aplicacion/comandos';
import { BusQueries, Pagina } from '../seedwork/aplicacion/queries';
import { Logger, loggerSilencioso, origenPermitido } from '@aeroalpes/comun';
import { TransicionarReserva } from '../modulos/vuelos/aplicacion/comandos/transicionar-reserva';
import { ReservaDTO } from '../modulos/vuelos/aplicacion/dto';
import { ObtenerReserva } from '../modulos/vuelos/aplicacion/queries/obtener-reserva';
import { ObtenerReservasCanceladas } from '../modulos/vuelos/aplicacion/queries/obtener-reservas-canceladas';
import { ObtenerReservasNoPagadas } from '../modulos/vuelos/aplicacion/queries/obtener-reservas-no-pagadas';
import { ObtenerTodasReservas } from '../modulos/vuelos/aplicacion/queries/obtener-todas-reservas';
import { ServicioReserva } from '../modulos/vuelos/aplicacion/servicio-reserva';
import { AccionReserva, EstadoReserva } from '../modulos/vuelos/dominio/estado-reserva';
import { ObtenerCliente } from '../modulos/cliente/aplicacion/obtener-cliente';
import { DespachadorComandos } from '../modulos/vuelos/crear-reserva/comando';
import { manejadoresCrearReserva } from '../modulos/vuelos/crear-reserva/rest';
import { errorValidacion, manejadorErrores, responderError, responderErrorAplicacion } from './errores';
import { esquemaCuerpoAccion, esquemaParametrosId, esquemaParametrosListado, esquemaParametrosPagina } from './esquemas';
import { construirOpenApi } from './openapi';
import { IdOperacion, Manejador, RUTAS, rutaExpress } from './rutas';
import { Validador } from './validacion';
import { LIMITE_CUERPO_BYTES_POR_DEFECTO } from '../config';

export interface DependenciasApp {
  busComandos: BusComandos;
  busQueries: BusQueries;
  despachadorComandos: DespachadorComandos;
  servicioReserva: ServicioReserva;
  logger?: Logger;
  /** Ids of new reservas. */
  generarId?: () => string;
  limiteCuerpoBytes?: number;
  /** Other sites whose pages may send body-less state-changing requests (ALLOWED_ORIGINS). */
  origenesPermitidos?: readonly string[];
}

const PATRON_CORRELACION = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const validadorAccion = new Validador<{ version?: number }>(esquemaCuerpoAccion);
const validadorId = new Validador<{ id: string }>(esquemaParametrosId);
const validadorListado = new Validador<{ estado?: EstadoReserva; pagina: number; tamano: number }>(esquemaParametrosListado, {
  parametros: true,
});
const validadorPagina = new Validador<{ pagina: number; tamano: number }>(esquemaParametrosPagina, { parametros: true });

/** The REST API (express 5). Pure factory: no listening, no globals; main.ts and the tests call it. */
export function crearApp(deps: DependenciasApp): Express {
  const logger = deps.logger ?? loggerSilencioso;
  const generarId = deps.generarId ?? randomUUID;
  const limite = deps.limiteCuerpoBytes ?? LIMITE_CUERPO_BYTES_POR_DEFECTO;
  const { busComandos, busQueries } = deps;
  const openapi = construirOpenApi(RUTAS);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);

  app.use(correlacion(logger));

  /** Validates the `id` path parameter (UUID) or answers 400; returns it lower-cased. */
  const idDe = (req: Request, res: Response): string | undefined => {
    const v = validadorId.validar({ id: req.params.id });
    if (!v.ok) {
      errorValidacion(res, v.errores, 'el id de la ruta debe ser un UUID');
      return undefined;
    }
    return v.valor.id.toLowerCase();
  };

  /** POST /vuelos/reserva/{id}/{accion}: the one TransicionarReserva use case. */
  const transicion =
    (accion: AccionReserva): Manejador =>
    async (req, res, idCorrelacion) => {
      const id = idDe(req, res);
      if (!id) return;
      const cuerpo = validadorAccion.validar(req.body ?? {});
      if (!cuerpo.ok) return errorValidacion(res, cuerpo.errores);
      const resultado = await busComandos.ejecutar(new TransicionarReserva(idCorrelacion, id, accion, cuerpo.valor.version));
      if (!resultado.ok) return responderErrorAplicacion(res, resultado.error);
      res.json(resultado.valor);
    };

  const pagina = (res: Response, p: Pagina<ReservaDTO>) =>
    res.json({ reservas: p.elementos, pagina: p.pagina, tamano: p.tamano, total: p.total, total_paginas: Math.ceil(p.total / p.tamano) });

  const manejadores: Record<IdOperacion, Manejador> = {
    ...manejadoresCrearReserva({ busComandos, despachadorComandos: deps.despachadorComandos, generarId }),

    obtenerReserva: async (req, res) => {
      const id = idDe(req, res);
      if (!id) return;
      const resultado = await deps.servicioReserva.obtenerPorId(id);
      if (!resultado.ok) return responderErrorAplicacion(res, resultado.error);
      res.json(resultado.valor);
    },

    obtenerReservaQuery: async (req, res, idCorrelacion) => {
      const id = idDe(req, res);
      if (!id) return;
      const resultado = await busQueries.ejecutar(new ObtenerReserva(idCorrelacion, id));
      if (!resultado.ok) return responderErrorAplicacion(res, resultado.error);
      res.json(resultado.valor);
    },

    aprobarReserva: transicion('aprobar'),
    cancelarReserva: transicion('cancelar'),
    pagarReserva: transicion('pagar'),

    listarReservas: async (req, res, idCorrelacion) => {
      const v = validadorListado.validar({ ...req.query });
      if (!v.ok) return errorValidacion(res, v.errores);
      const { estado, pagina: p, tamano } = v.valor;
      const resultado = await busQueries.ejecutar(new ObtenerTodasReservas(idCorrelacion, { pagina: p, tamano }, estado));
      if (!resultado.ok) return responderErrorAplicacion(res, resultado.error);
      pagina(res, resultado.valor);
    },

    listarReservasCanceladas: async (req, res, idCorrelacion) => {
      const v = validadorPagina.validar({ ...req.query });
      if (!v.ok) return errorValidacion(res, v.errores);
      const resultado = await busQueries.ejecutar(new ObtenerReservasCanceladas(idCorrelacion, v.valor));
      if (!resultado.ok) return responderErrorAplicacion(res, resultado.error);
      pagina(res, resultado.valor);
    },

    listarReservasNoPagadas: async (req, res, idCorrelacion) => {
      const v = validadorPagina.validar({ ...req.query });
      if (!v.ok) return errorValidacion(res, v.errores);
      const resultado = await busQueries.ejecutar(new ObtenerReservasNoPagadas(idCorrelacion, v.valor));
      if (!resultado.ok) return responderErrorAplicacion(res, resultado.error);
      pagina(res, resultado.valor);
    },

    obtenerCliente: async (req, res, idCorrelacion) => {
      const id = idDe(req, res);
      if (!id) return;
      const resultado = await busQueries.ejecutar(new ObtenerCliente(idCorrelacion, id));
      if (!resultado.ok) return responderErrorAplicacion(res, resultado.error);
      res.json(resultado.valor);
    },

    salud: (_req, res) => {
      res.json({ status: 'up' });
    },

    especificacion: (_req, res) => {
      res.json(openapi);
    },
  };

  const parserJson = express.json({ limit: limite, strict: true, inflate: false, type: 'application/json' });

  const metodosPorRuta = new Map<string, string[]>();
  for (const ruta of RUTAS) {
    const camino = rutaExpress(ruta.ruta);
    metodosPorRuta.set(camino, [...(metodosPorRuta.get(camino) ?? []), ruta.metodo.toUpperCase()]);
    const manejador = manejadores[ruta.id];
    const cadena: RequestHandler[] = ruta.cuerpo ? [exigirJson(deps.origenesPermitidos ?? []), parserJson] : [];
    app[ruta.metodo](camino, ...cadena, async (req: Request, res: Response) => {
      await manejador(req, res, res.locals.idCorrelacion as string);
    });
  }

  // A known path with another method: 405 (JSON) with Allow.
  for (const [camino, metodos] of metodosPorRuta) {
    const permitidos = metodos.includes('GET') ? [...metodos, 'HEAD'] : metodos;
    app.all(camino, (req, res) => {
      res.setHeader('Allow', permitidos.join(', '));
      responderError(res, 405, { error: 'metodo_no_permitido', mensaje: `${req.method} no está permitido en ${req.path}` });
    });
  }

  app.use((req, res) => {
    responderError(res, 404, { error: 'ruta_no_encontrada', mensaje: `no existe la ruta ${req.method} ${recortar(req.path)}` });
  });

  app.use(manejadorErrores(logger, limite));
  return app;
}

/** Correlation id: from `x-correlation-id` when it is sane, else a new uuid; echoed and logged. */
function correlacion(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const recibido = req.get('x-correlation-id');
    const id = recibido && PATRON_CORRELACION.test(recibido) ? recibido : randomUUID();
    res.locals.idCorrelacion = id;
    res.setHeader('x-correlation-id', id);
    const inicio = performance.now();
    res.on('finish', () => {
      logger.info('http', {
        correlation_id: id,
        method: req.method,
        path: recortar(req.path),
        status: res.statusCode,
        duration_ms: Math.round(performance.now() - inicio),
      });
    });
    next();
  };
}

/**
 * A body that is not declared as UTF-8 JSON: 415 (before reading it). A body-less request (an
 * action such as POST .../cancelar) needs no content type, so a web page of another site could
 * send one without a CORS preflight: a browser's request carries its Origin, which must be this
 * API's own or an allowed one (403 otherwise). Clients that are not browsers send no Origin.
 */
const exigirJson =
  (origenesPermitidos: readonly string[]) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const longitud = req.headers['content-length'];
    const tieneCuerpo = req.headers['transfer-encoding'] !== undefined || (longitud !== undefined && longitud !== '0');
    if (!tieneCuerpo) {
      if (origenPermitido(req.get('origin'), req.get('host'), origenesPermitidos)) return next();
      return responderError(res, 403, { error: 'origen_no_permitido', mensaje: `una página de ${recortar(req.get('origin') ?? '')} no puede cambiar reservas` });
    }
    if (!req.is('application/json')) {
      responderError(res, 415, {
        error: 'tipo_contenido_no_soportado',
        mensaje: `el cuerpo debe ser application/json (recibido: ${recortar(req.get('content-type') ?? 'sin Content-Type')})`,
      });
      return;
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      responderError(res, 415, { error: 'tipo_contenido_no_soportado', mensaje: 'juego de caracteres no soportado: use utf-8' });
      return;
    }
    next();
  };

function recortar(texto: string, maximo = 200): string {
  return texto.length > maximo ? `${texto.slice(0, maximo)}…` : texto;
}
