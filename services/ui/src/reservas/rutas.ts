import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { declaraJson, type Logger } from '@aeroalpes/comun';
import { ACCIONES_RESERVA, accionesPermitidas, esAccionReserva, esEnteroCanonico } from '@aeroalpes/contratos';
import { conAcciones, type EventoUi } from '../eventos/evento-ui';
import type { AeroAlpes, Contexto } from './aeroalpes';

export interface LectorHistorial {
  deReserva(idReserva: string): Promise<EventoUi[]>;
  deReservas(ids: readonly string[]): Promise<Map<string, EventoUi[]>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CORRELACION = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const PARAMETRO_LISTA = /^[A-Za-z0-9]{1,20}$/;

function contexto(req: Request, res: Response): Contexto {
  const recibido = req.get('x-correlation-id');
  const idCorrelacion = recibido && CORRELACION.test(recibido) ? recibido : randomUUID();
  res.setHeader('x-correlation-id', idCorrelacion);
  const traceparent = req.get('traceparent');
  return { idCorrelacion, ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}) };
}

/**
 * A reserva document as served to the page: AeroAlpes' own, plus the actions its state allows (the
 * contract's table), which are the buttons the page shows.
 */
function conAccionesDeReserva<R extends object>(reserva: R): R & { acciones: readonly string[] } {
  return { ...reserva, acciones: accionesPermitidas((reserva as { estado?: unknown }).estado) };
}

function errorId(res: Response): void {
  res.status(400).json({ error: 'validacion', mensaje: 'el id de la reserva debe ser un UUID', errores: [{ campo: 'id', regla: 'format', mensaje: 'debe ser un UUID' }] });
}

/**
 * The page's API. Commands and the list go to AeroAlpes through Dapr service invocation, its
 * statuses and error bodies passed through; event histories come from the BFF's own store.
 *   POST /api/reservas                          -> 202 {id, ...}   (or AeroAlpes' 400 with `errores`)
 *   POST /api/reservas/{id}/aprobar|cancelar|pagar -> 200 reserva + acciones  (404, 409)
 *   GET  /api/reservas?pagina&tamano&estado     -> {reservas: [reserva + acciones + eventos], pagina, tamano, total}
 *   GET  /api/reservas/{id}/eventos             -> {id_reserva, eventos}
 * Every reserva and every event carries `acciones`, the actions its state allows (the contract's
 * table, @aeroalpes/contratos/estados-reserva): the page shows those buttons and keeps no table.
 */
export function rutasReservas(aeroalpes: AeroAlpes, historial: LectorHistorial, log: Logger): express.Router {
  const router = express.Router();
  // State-changing routes: JSON declared (415 otherwise, before anything is read or forwarded).
  const soloJson: express.RequestHandler = (req, res, next) =>
    declaraJson(req) ? next() : void res.status(415).json({ error: 'tipo_contenido_no_soportado', mensaje: 'el cuerpo debe declararse application/json (Content-Type)' });
  const json = express.json({ limit: '64kb', type: 'application/json' });

  router.post('/api/reservas', soloJson, json, async (req, res) => {
    const ctx = contexto(req, res);
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      res.status(400).json({ error: 'validacion', mensaje: 'el cuerpo debe ser un objeto JSON (Content-Type: application/json) con la reserva' });
      return;
    }
    const r = await aeroalpes.crearReserva(req.body, ctx);
    const id = (r.cuerpo as { id?: unknown } | undefined)?.id;
    const aceptada = r.status >= 200 && r.status < 300;
    if (aceptada && typeof id === 'string') res.location(`/api/reservas/${encodeURIComponent(id)}/eventos`);
    log.info(aceptada ? 'reserva enviada' : 'reserva rechazada por AeroAlpes', { correlation_id: ctx.idCorrelacion, status: r.status, id_reserva: id });
    // Through a gRPC app channel Dapr turns AeroAlpes' 202 into 200: the command was accepted either way.
    res.status(aceptada ? 202 : r.status).json(r.cuerpo ?? {});
  });

  router.post('/api/reservas/:id/:accion', async (req, res) => {
    if (!declaraJson(req)) return soloJson(req, res, () => undefined);
    const ctx = contexto(req, res);
    const accion = req.params.accion;
    if (!esAccionReserva(accion)) {
      res.status(404).json({ error: 'no_encontrado', mensaje: `acción desconocida '${accion.slice(0, 40)}': ${ACCIONES_RESERVA.join(', ')}` });
      return;
    }
    if (!UUID.test(req.params.id)) return errorId(res);
    const r = await aeroalpes.ejecutarAccion(req.params.id.toLowerCase(), accion, ctx);
    log.info('acción sobre reserva', { correlation_id: ctx.idCorrelacion, action: accion, id_reserva: req.params.id, status: r.status });
    const ok = r.status >= 200 && r.status < 300 && typeof r.cuerpo === 'object' && r.cuerpo !== null;
    res.status(r.status).json(ok ? conAccionesDeReserva(r.cuerpo as object) : (r.cuerpo ?? {}));
  });

  router.get('/api/reservas', async (req, res) => {
    const ctx = contexto(req, res);
    const consulta: Record<string, string> = {};
    for (const clave of ['pagina', 'tamano', 'estado'] as const) {
      const valor = req.query[clave];
      if (valor === undefined) continue;
      // pagina and tamano: AeroAlpes' rule (type), one spelling per number ("1", "20"; never "01", "+1", "1e3").
      const [regla, mensaje] =
        clave === 'estado' ? ['pattern', 'letras o dígitos, hasta 20'] : ['type', 'debe ser un entero escrito en decimal, sin ceros a la izquierda (como 1 o 20)'];
      if (typeof valor !== 'string' || !PARAMETRO_LISTA.test(valor) || (regla === 'type' && !esEnteroCanonico(valor))) {
        res.status(400).json({ error: 'validacion', mensaje: `parámetro ${clave} inválido`, errores: [{ campo: clave, regla, mensaje }] });
        return;
      }
      consulta[clave] = valor;
    }
    const r = await aeroalpes.listarReservas(consulta, ctx);
    if (r.status < 200 || r.status >= 300) {
      res.status(r.status).json(r.cuerpo ?? {});
      return;
    }
    const pagina = (r.cuerpo ?? {}) as { reservas?: unknown; elementos?: unknown; pagina?: unknown; tamano?: unknown; total?: unknown };
    const lista = Array.isArray(pagina.reservas) ? pagina.reservas : Array.isArray(pagina.elementos) ? pagina.elementos : [];
    const reservas = lista.filter((x): x is { id: string } => typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'string');
    let historiales = new Map<string, EventoUi[]>();
    let historialDisponible = true;
    try {
      historiales = await historial.deReservas(reservas.map((x) => x.id));
    } catch (err) {
      historialDisponible = false;
      log.warn('no se pudo leer el historial de eventos', { correlation_id: ctx.idCorrelacion, err });
    }
    res.json({
      reservas: reservas.map((x) => ({ ...conAccionesDeReserva(x), eventos: (historiales.get(x.id) ?? []).map(conAcciones) })),
      pagina: pagina.pagina,
      tamano: pagina.tamano,
      total: pagina.total,
      historial_disponible: historialDisponible,
    });
  });

  router.get('/api/reservas/:id/eventos', async (req, res) => {
    if (!UUID.test(req.params.id)) return errorId(res);
    const id = req.params.id.toLowerCase();
    try {
      res.json({ id_reserva: id, eventos: (await historial.deReserva(id)).map(conAcciones) });
    } catch (err) {
      log.warn('no se pudo leer el historial de eventos', { id_reserva: id, err });
      res.status(503).json({ error: 'historial_no_disponible', mensaje: 'el almacén de estado no respondió; intente de nuevo' });
    }
  });

  return router;
}
