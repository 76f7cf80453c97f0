import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import { DependenciaNoDisponible } from '../seedwork/aplicacion/resultado';
import { Campos, Logger, loggerSilencioso } from '@aeroalpes/comun';
import { copiaSolicitud, SOLICITUD_DOS_LEGS, SOLICITUD_MINIMA } from '../modulos/vuelos/aplicacion/ejemplos';
import { ReservaDTO } from '../modulos/vuelos/aplicacion/dto';
import { esquemaAceptado, esquemaError, esquemaPaginaReservas, esquemaReserva } from './esquemas';
import { RUTAS } from './rutas';
import { iniciarServidorPruebas, ServidorPruebas } from './servidor-pruebas';
import { FORMATOS, PATRON_UUID } from './validacion';
import { itinerariosAV1 } from '@aeroalpes/contratos';

// ajv, strict, checks the answers against the schemas (and that they are standard JSON Schema).
const ajv = new Ajv({ strict: true, allErrors: true });
for (const [nombre, { validar }] of Object.entries(FORMATOS)) ajv.addFormat(nombre, { type: 'string', validate: validar });
const esReserva = ajv.compile(esquemaReserva);
const esError = ajv.compile(esquemaError);
const esPagina = ajv.compile(esquemaPaginaReservas);
const esAceptado = ajv.compile(esquemaAceptado);

let s: ServidorPruebas;
let lineas: Record<string, unknown>[];

const registrador: Logger = (() => {
  const crear = (base: Campos): Logger => {
    const emitir = (nivel: string) => (msg: string, campos?: Campos) => void lineas.push({ nivel, msg, ...base, ...campos });
    return { debug: emitir('debug'), info: emitir('info'), warn: emitir('warn'), error: emitir('error'), con: (c) => crear({ ...base, ...c }) };
  };
  return crear({});
})();

beforeEach(async () => {
  lineas = [];
  s = await iniciarServidorPruebas({ logger: registrador });
});

afterEach(async () => {
  await s.cerrar();
});

interface Respuesta<T = unknown> {
  estado: number;
  cuerpo: T;
  cabeceras: Headers;
}

async function pedir<T = Record<string, unknown>>(metodo: string, ruta: string, cuerpo?: unknown, cabeceras: Record<string, string> = {}): Promise<Respuesta<T>> {
  const r = await fetch(`${s.base}${ruta}`, {
    method: metodo,
    headers: { ...(cuerpo !== undefined ? { 'content-type': 'application/json' } : {}), ...cabeceras },
    ...(cuerpo !== undefined ? { body: typeof cuerpo === 'string' ? cuerpo : JSON.stringify(cuerpo) } : {}),
  });
  const texto = await r.text();
  expect(r.headers.get('content-type') ?? '').toMatch(/^application\/json/); // never HTML
  const json = texto ? (JSON.parse(texto) as T) : (undefined as T);
  if (r.status >= 400) expect(esError(json)).toBe(true);
  return { estado: r.status, cuerpo: json, cabeceras: r.headers };
}

const crear = async (solicitud: unknown = SOLICITUD_MINIMA, cabeceras: Record<string, string> = {}) => {
  const r = await pedir<ReservaDTO>('POST', '/vuelos/reserva', solicitud, cabeceras);
  expect(r.estado).toBe(200);
  return r.cuerpo;
};

describe('POST /vuelos/reserva', () => {
  it('crea la reserva del ejemplo del contrato y la devuelve con id (200)', async () => {
    const r = await pedir<ReservaDTO>('POST', '/vuelos/reserva', SOLICITUD_MINIMA, { 'x-correlation-id': 'corr-abc-1' });
    expect(r.estado).toBe(200);
    expect(esReserva(r.cuerpo)).toBe(true);
    expect(r.cuerpo).toMatchObject({ estado: 'Pendiente', version: 1, itinerarios: SOLICITUD_MINIMA.itinerarios });
    expect(r.cuerpo.id).toMatch(PATRON_UUID);
    expect(r.cuerpo.fecha_creacion).toBe(r.cuerpo.fecha_actualizacion);
    expect(r.cuerpo).not.toHaveProperty('id_cliente');
    expect(r.cabeceras.get('x-correlation-id')).toBe('corr-abc-1');

    // Written with its event, published after commit (outbox emptied), projected to the read model.
    const { reservas, vista, publicador } = s.nucleo;
    expect(reservas.documentos.get(r.cuerpo.id)?.version).toBe(1);
    expect(reservas.outbox).toEqual([]);
    expect(publicador.publicados).toEqual([
      expect.objectContaining({
        topic: 'eventos-reserva',
        type: 'ReservaCreada',
        correlationId: 'corr-abc-1',
        aggregateId: r.cuerpo.id,
        aggregateVersion: 1,
        payload: {
          id_reserva: r.cuerpo.id,
          id_cliente: '',
          estado: 'Pendiente',
          fecha_creacion: Date.parse(r.cuerpo.fecha_creacion),
          fecha_actualizacion: Date.parse(r.cuerpo.fecha_creacion),
          // The whole new reserva travels with the event (the read model is built from it).
          itinerarios: itinerariosAV1(SOLICITUD_MINIMA.itinerarios),
          pasajeros: [],
        },
      }),
    ]);
    expect(await vista.obtener(r.cuerpo.id)).toEqual(r.cuerpo);
    // The correlation id reached the command's log line.
    expect(lineas).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'comando ejecutado', type: 'CrearReserva', correlation_id: 'corr-abc-1' })]));
  });

  it('GET /vuelos/reserva/{id} y /vuelos/reserva-query/{id} devuelven la misma reserva; el cliente la registra', async () => {
    const idCliente = randomUUID();
    const creada = await crear({ ...copiaSolicitud(SOLICITUD_DOS_LEGS), id_cliente: idCliente, pasajeros: [{ clase: 'Premium', tipo: 'Adulto' }] });
    expect(creada.id_cliente).toBe(idCliente);
    expect(creada.pasajeros).toEqual([{ clase: 'Premium', tipo: 'Adulto' }]);
    const escritura = await pedir('GET', `/vuelos/reserva/${creada.id}`);
    const lectura = await pedir('GET', `/vuelos/reserva-query/${creada.id}`);
    expect(escritura).toMatchObject({ estado: 200, cuerpo: creada });
    expect(lectura).toMatchObject({ estado: 200, cuerpo: creada });
    // UUIDs are case-insensitive in the path.
    expect((await pedir('GET', `/vuelos/reserva/${creada.id.toUpperCase()}`)).estado).toBe(200);
    const cliente = await pedir('GET', `/clientes/${idCliente}`);
    expect(cliente).toMatchObject({ estado: 200, cuerpo: { id: idCliente, reservas: [creada.id] } });
    expect(s.nucleo.publicador.publicados[0]?.payload.id_cliente).toBe(idCliente);
  });

  it('genera el id de correlación si falta o no es seguro', async () => {
    const r = await pedir('POST', '/vuelos/reserva', SOLICITUD_MINIMA, { 'x-correlation-id': 'mal id\twith tab' });
    const id = r.cabeceras.get('x-correlation-id');
    expect(id).toMatch(PATRON_UUID);
    expect(s.nucleo.publicador.publicados[0]?.correlationId).toBe(id);
  });
});

describe('ciclo de vida por HTTP', () => {
  it('aprobar -> pagar deja la reserva Pagada; cancelar después es 409', async () => {
    const { id } = await crear();
    const aprobada = await pedir<ReservaDTO>('POST', `/vuelos/reserva/${id}/aprobar`);
    expect(aprobada).toMatchObject({ estado: 200, cuerpo: { estado: 'Aprobada', version: 2 } });
    const pagada = await pedir<ReservaDTO>('POST', `/vuelos/reserva/${id}/pagar`, { version: 2 });
    expect(pagada).toMatchObject({ estado: 200, cuerpo: { estado: 'Pagada', version: 3 } });
    expect(esReserva(pagada.cuerpo)).toBe(true);
    const cancelar = await pedir('POST', `/vuelos/reserva/${id}/cancelar`);
    expect(cancelar).toMatchObject({ estado: 409, cuerpo: { error: 'transicion_invalida', estado_actual: 'Pagada', accion: 'cancelar' } });
    expect(s.nucleo.publicador.publicados.map((m) => [m.type, m.aggregateVersion])).toEqual([
      ['ReservaCreada', 1],
      ['ReservaAprobada', 2],
      ['ReservaPagada', 3],
    ]);
    expect((await pedir('GET', `/vuelos/reserva-query/${id}`)).cuerpo).toMatchObject({ estado: 'Pagada', version: 3 });
  });

  it.each([
    ['pagar', 'Pendiente'],
    ['cancelar', 'Cancelada'],
  ])('transiciones no permitidas son 409 (%s desde %s)', async (accion, estadoPrevio) => {
    const { id } = await crear();
    if (estadoPrevio === 'Cancelada') expect((await pedir('POST', `/vuelos/reserva/${id}/cancelar`)).estado).toBe(200);
    const r = await pedir('POST', `/vuelos/reserva/${id}/${accion}`);
    expect(r).toMatchObject({ estado: 409, cuerpo: { error: 'transicion_invalida', estado_actual: estadoPrevio } });
  });

  it('una acción sin cuerpo desde la página de otro sitio es 403 y no cambia nada; la propia y los clientes sin Origin pasan', async () => {
    const { id } = await crear();
    const ajeno = await pedir('POST', `/vuelos/reserva/${id}/cancelar`, undefined, { origin: 'https://malicioso.example' });
    expect(ajeno).toMatchObject({ estado: 403, cuerpo: { error: 'origen_no_permitido' } });
    expect((await pedir<ReservaDTO>('GET', `/vuelos/reserva/${id}`)).cuerpo.estado).toBe('Pendiente');
    // The API's own origin (a page served by it) and a client that is not a browser (no Origin).
    expect((await pedir('POST', `/vuelos/reserva/${id}/aprobar`, undefined, { origin: s.base })).estado).toBe(200);
    expect((await pedir('POST', `/vuelos/reserva/${id}/cancelar`)).estado).toBe(200);
  });

  it('cancelar desde Aprobada es 200; aprobar dos veces es 409', async () => {
    const a = await crear();
    expect((await pedir('POST', `/vuelos/reserva/${a.id}/aprobar`)).estado).toBe(200);
    expect((await pedir('POST', `/vuelos/reserva/${a.id}/aprobar`)).estado).toBe(409);
    expect((await pedir('POST', `/vuelos/reserva/${a.id}/cancelar`)).cuerpo).toMatchObject({ estado: 'Cancelada' });
  });

  it('una versión vieja en el cuerpo es 409 conflicto_version y no cambia nada', async () => {
    const { id } = await crear();
    await pedir('POST', `/vuelos/reserva/${id}/aprobar`);
    const r = await pedir('POST', `/vuelos/reserva/${id}/cancelar`, { version: 1 });
    expect(r).toMatchObject({ estado: 409, cuerpo: { error: 'conflicto_version' } });
    expect(s.nucleo.reservas.documentos.get(id)).toMatchObject({ estado: 'Aprobada', version: 2 });
  });

  it('dos aprobaciones concurrentes: una gana, la otra es 409 (nunca dos escrituras ni eventos duplicados)', async () => {
    const { id } = await crear();
    const [a, b] = await Promise.all([pedir('POST', `/vuelos/reserva/${id}/aprobar`), pedir('POST', `/vuelos/reserva/${id}/aprobar`)]);
    expect([a.estado, b.estado].sort()).toEqual([200, 409]);
    const perdedor = a.estado === 409 ? a : b;
    expect(['conflicto_version', 'transicion_invalida']).toContain(perdedor.cuerpo.error);
    expect(s.nucleo.reservas.documentos.get(id)?.version).toBe(2);
    expect(s.nucleo.publicador.publicados).toHaveLength(2);
  });

  it.each(['aprobar', 'cancelar', 'pagar'])('%s: 404 si no existe, 400 si el id no es UUID o el cuerpo no vale, 415 si no es JSON', async (accion) => {
    expect((await pedir('POST', `/vuelos/reserva/${randomUUID()}/${accion}`)).cuerpo).toMatchObject({ error: 'no_encontrado' });
    const malId = await pedir<{ errores: unknown[] }>('POST', `/vuelos/reserva/123/${accion}`);
    expect(malId).toMatchObject({ estado: 400, cuerpo: { error: 'validacion', errores: [expect.objectContaining({ campo: 'id', regla: 'format' })] } });
    const { id } = await crear();
    expect((await pedir('POST', `/vuelos/reserva/${id}/${accion}`, { version: '1' })).cuerpo).toMatchObject({
      error: 'validacion',
      errores: [expect.objectContaining({ campo: 'version', regla: 'type' })],
    });
    expect((await pedir('POST', `/vuelos/reserva/${id}/${accion}`, { estado: 'Pagada' })).cuerpo).toMatchObject({
      errores: [expect.objectContaining({ campo: 'estado', regla: 'additionalProperties' })],
    });
    expect((await pedir('POST', `/vuelos/reserva/${id}/${accion}`, 'version=1', { 'content-type': 'text/plain' })).estado).toBe(415);
    expect((await pedir('POST', `/vuelos/reserva/${id}/${accion}`, '{"version":', {})).cuerpo).toMatchObject({ error: 'json_invalido' });
    expect(s.nucleo.reservas.documentos.get(id)?.version).toBe(1);
  });
});

describe('lecturas', () => {
  it.each(['/vuelos/reserva', '/vuelos/reserva-query', '/clientes'])('GET %s/{id}: 404 desconocido, 400 id no UUID', async (ruta) => {
    expect(await pedir('GET', `${ruta}/${randomUUID()}`)).toMatchObject({ estado: 404, cuerpo: { error: 'no_encontrado' } });
    for (const malo of ['abc', '123e4567-e89b-12d3-a456-42661417400', "1' OR '1'='1", '%7B%22%24gt%22%3A%22%22%7D']) {
      const r = await pedir('GET', `${ruta}/${malo}`);
      expect(r).toMatchObject({ estado: 400, cuerpo: { error: 'validacion' } });
    }
  });

  it('GET /vuelos/reservas pagina, filtra por estado y valida los parámetros', async () => {
    const ids: string[] = [];
    let segundo = 0;
    await s.cerrar();
    s = await iniciarServidorPruebas({ reloj: () => new Date(Date.UTC(2024, 0, 1, 0, 0, segundo++)) });
    for (let i = 0; i < 5; i++) ids.push((await crear()).id);
    await pedir('POST', `/vuelos/reserva/${ids[0]}/cancelar`);
    await pedir('POST', `/vuelos/reserva/${ids[1]}/aprobar`);
    await pedir('POST', `/vuelos/reserva/${ids[1]}/pagar`);
    await pedir('POST', `/vuelos/reserva/${ids[2]}/aprobar`);

    const todas = await pedir<{ reservas: ReservaDTO[]; total: number }>('GET', '/vuelos/reservas');
    expect(esPagina(todas.cuerpo)).toBe(true);
    expect(todas.cuerpo).toMatchObject({ pagina: 1, tamano: 20, total: 5, total_paginas: 1 });
    expect(todas.cuerpo.reservas.map((r) => r.id)).toEqual([...ids].reverse());

    const pagina2 = await pedir<{ reservas: ReservaDTO[] }>('GET', '/vuelos/reservas?pagina=2&tamano=2');
    expect(pagina2.cuerpo).toMatchObject({ pagina: 2, tamano: 2, total: 5, total_paginas: 3 });
    expect(pagina2.cuerpo.reservas.map((r) => r.id)).toEqual([ids[2], ids[1]]);

    const canceladas = await pedir<{ reservas: ReservaDTO[] }>('GET', '/vuelos/reservas?estado=Cancelada');
    expect(canceladas.cuerpo.reservas.map((r) => r.id)).toEqual([ids[0]]);
    expect((await pedir<{ reservas: ReservaDTO[] }>('GET', '/vuelos/reservas/canceladas')).cuerpo.reservas.map((r) => r.id)).toEqual([ids[0]]);
    const noPagadas = await pedir<{ reservas: ReservaDTO[]; total: number }>('GET', '/vuelos/reservas/no-pagadas?tamano=10');
    expect(noPagadas.cuerpo.reservas.map((r) => r.id)).toEqual([ids[4], ids[3], ids[2]]);

    for (const [consulta, campo, regla] of [
      ['tamano=0', 'tamano', 'minimum'],
      ['tamano=101', 'tamano', 'maximum'],
      ['pagina=0', 'pagina', 'minimum'],
      ['pagina=abc', 'pagina', 'type'],
      ['pagina=1.5', 'pagina', 'type'],
      ['estado=Borrada', 'estado', 'enum'],
      ['estado[$ne]=Pagada', '["estado[$ne]"]', 'additionalProperties'],
      ['pagina=1&pagina=2', 'pagina', 'type'],
      ['orden=fecha', 'orden', 'additionalProperties'],
      // Only canonical decimal integers: what a person or a client writes, one spelling per number.
      ['pagina=01', 'pagina', 'type'],
      ['pagina=1e3', 'pagina', 'type'],
      ['pagina=%202', 'pagina', 'type'],
      ['pagina=2%20', 'pagina', 'type'],
      ['pagina=%2B3', 'pagina', 'type'],
      ['pagina=0x10', 'pagina', 'type'],
      ['pagina=', 'pagina', 'type'],
      ['tamano=1.0', 'tamano', 'type'],
      ['tamano=-0', 'tamano', 'type'],
      ['pagina=10001&tamano=1', 'pagina', 'maximum'],
    ] as const) {
      const r = await pedir('GET', `/vuelos/reservas?${consulta}`);
      expect({ consulta, ...r.cuerpo }).toMatchObject({ consulta, error: 'validacion', errores: expect.arrayContaining([expect.objectContaining({ campo, regla })]) });
    }
    expect((await pedir('GET', '/vuelos/reservas/canceladas?estado=Pagada')).estado).toBe(400);
  });

  it('la profundidad de página está acotada: pagina × tamano ≤ 10000 (400 más allá, en las tres listas)', async () => {
    for (const consulta of ['pagina=500&tamano=20', 'pagina=100&tamano=100', 'pagina=10000&tamano=1']) {
      expect({ consulta, estado: (await pedir('GET', `/vuelos/reservas?${consulta}`)).estado }).toEqual({ consulta, estado: 200 });
    }
    for (const ruta of ['/vuelos/reservas', '/vuelos/reservas/canceladas', '/vuelos/reservas/no-pagadas']) {
      for (const consulta of ['pagina=501&tamano=20', 'pagina=9999', 'pagina=101&tamano=100']) {
        const r = await pedir('GET', `${ruta}?${consulta}`);
        expect({ ruta, consulta, ...r }).toMatchObject({
          ruta,
          consulta,
          estado: 400,
          cuerpo: { error: 'regla_negocio', errores: [{ campo: 'pagina', regla: 'ProfundidadPaginaMaxima' }] },
        });
      }
    }
  });
});

describe('POST /vuelos/reserva-comando', () => {
  it('202 con id y Location; la reserva se consulta allí', async () => {
    const idCliente = randomUUID();
    const r = await pedir<{ id: string; consulta: string }>(
      'POST',
      '/vuelos/reserva-comando',
      { ...copiaSolicitud(), id_cliente: idCliente },
      { 'x-correlation-id': 'corr-async' },
    );
    expect(r.estado).toBe(202);
    expect(esAceptado(r.cuerpo)).toBe(true);
    expect(r.cabeceras.get('location')).toBe(`/vuelos/reserva-query/${r.cuerpo.id}`);
    expect(r.cuerpo.consulta).toBe(r.cabeceras.get('location'));
    const consultada = await pedir<ReservaDTO>('GET', r.cabeceras.get('location') as string);
    expect(consultada).toMatchObject({ estado: 200, cuerpo: { id: r.cuerpo.id, estado: 'Pendiente', id_cliente: idCliente } });
    expect(s.nucleo.publicador.publicados[0]).toMatchObject({ type: 'ReservaCreada', correlationId: 'corr-async' });
    expect((await pedir('GET', `/clientes/${idCliente}`)).cuerpo).toEqual({ id: idCliente, reservas: [r.cuerpo.id] });
  });

  it('una regla de negocio violada es 400 antes de aceptar (nombra la regla y el campo)', async () => {
    const solicitud = copiaSolicitud();
    const leg = solicitud.itinerarios[0]?.odos[0]?.segmentos[0]?.legs[0];
    if (leg) leg.destino = leg.origen;
    const r = await pedir('POST', '/vuelos/reserva-comando', solicitud);
    expect(r).toMatchObject({
      estado: 400,
      cuerpo: { error: 'regla_negocio', errores: [{ regla: 'RutaValida', campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].destino.codigo' }] },
    });
    expect(s.nucleo.reservas.documentos.size).toBe(0);
  });
});

describe('rutas, especificación y errores genéricos', () => {
  it('GET /health', async () => {
    expect(await pedir('GET', '/health')).toMatchObject({ estado: 200, cuerpo: { status: 'up' } });
  });

  it('GET /spec es OpenAPI 3.1 y describe exactamente las rutas servidas', async () => {
    const { cuerpo: spec } = await pedir<{ openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> }>('GET', '/spec');
    expect(spec.openapi).toBe('3.1.0');
    const enSpec = Object.entries(spec.paths).flatMap(([ruta, metodos]) => Object.keys(metodos).map((m) => `${m.toUpperCase()} ${ruta}`));
    expect(enSpec.sort()).toEqual(RUTAS.map((r) => `${r.metodo.toUpperCase()} ${r.ruta}`).sort());
    for (const [ruta, metodos] of Object.entries(spec.paths)) {
      for (const [metodo, operacion] of Object.entries(metodos)) {
        // Every documented operation is served (not a 404/405 of routing) ...
        const real = ruta.replace('{id}', randomUUID());
        const r = await fetch(`${s.base}${real}`, { method: metodo.toUpperCase(), ...(metodo === 'post' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
        const cuerpo = (await r.json()) as { error?: string };
        expect({ operacion: operacion.operationId, error: cuerpo.error }).not.toMatchObject({ error: expect.stringMatching(/^(ruta_no_encontrada|metodo_no_permitido)$/) });
        // ... and answers one of its documented statuses.
        expect({ operacion: operacion.operationId, estados: Object.keys(operacion.responses) }).toMatchObject({ estados: expect.arrayContaining([String(r.status)]) });
      }
    }
  });

  it('un escape % mal formado en la ruta es 400 JSON, no 500', async () => {
    expect(await pedir('GET', '/vuelos/reserva/%E0%A4%A')).toMatchObject({ estado: 400, cuerpo: { error: 'validacion' } });
    expect(lineas.filter((l) => l.msg === 'error inesperado')).toHaveLength(0);
  });

  it('ruta desconocida: 404 JSON; método no permitido: 405 JSON con Allow', async () => {
    expect(await pedir('GET', '/no-existe')).toMatchObject({ estado: 404, cuerpo: { error: 'ruta_no_encontrada' } });
    expect(await pedir('GET', '/vuelos/reserva')).toMatchObject({ estado: 405, cuerpo: { error: 'metodo_no_permitido' } });
    const r = await pedir('DELETE', `/vuelos/reserva/${randomUUID()}`);
    expect(r).toMatchObject({ estado: 405, cuerpo: { error: 'metodo_no_permitido' } });
    expect(r.cabeceras.get('allow')).toBe('GET, HEAD');
  });

  /** A create, a read, a transition and an async create: each reaches the write model. */
  const rutasQueTocanElAlmacen = () =>
    [
      ['POST', '/vuelos/reserva', SOLICITUD_MINIMA],
      ['GET', `/vuelos/reserva/${randomUUID()}`, undefined],
      ['POST', `/vuelos/reserva/${randomUUID()}/aprobar`, undefined],
      ['POST', '/vuelos/reserva-comando', SOLICITUD_MINIMA],
    ] as const;

  it('un error inesperado es 500 JSON sin stack ni detalles internos', async () => {
    s.nucleo.reservas.fallarCon(new Error('ECONNREFUSED 10.0.0.1:27017 secreto'));
    for (const [metodo, ruta, cuerpo] of rutasQueTocanElAlmacen()) {
      const r = await pedir<Record<string, unknown>>(metodo, ruta, cuerpo, { 'x-correlation-id': 'corr-500' });
      expect(r.estado).toBe(500);
      expect(r.cuerpo).toEqual({ error: 'interno', mensaje: 'error interno del servidor', id_correlacion: 'corr-500' });
    }
    expect(lineas.filter((l) => l.msg === 'error inesperado')).toHaveLength(4);
    expect(s.nucleo.publicador.publicados).toHaveLength(0);
  });

  it('una dependencia caída (DependenciaNoDisponible de un adaptador) es 503 no_disponible con Retry-After; nada se publica', async () => {
    const mensaje = 'servicio no disponible: la base de datos no responde; reintente más tarde';
    s.nucleo.reservas.fallarCon(new DependenciaNoDisponible(mensaje, { cause: new Error('ECONNREFUSED 10.0.0.1:27017 secreto') }));
    for (const [metodo, ruta, cuerpo] of rutasQueTocanElAlmacen()) {
      const r = await pedir<Record<string, unknown>>(metodo, ruta, cuerpo, { 'x-correlation-id': 'corr-503' });
      expect(r.estado).toBe(503);
      expect(r.cabeceras.get('retry-after')).toBe('5');
      expect(r.cuerpo).toEqual({ error: 'no_disponible', mensaje, id_correlacion: 'corr-503' });
    }
    expect(lineas.filter((l) => l.msg === 'error inesperado')).toHaveLength(0);
    expect(s.nucleo.publicador.publicados).toHaveLength(0);
  });

  it('413 y 415 también en las acciones, siempre en JSON', async () => {
    const { id } = await crear();
    const grande = JSON.stringify({ version: 1, x: 'y'.repeat(300_000) });
    expect((await pedir('POST', `/vuelos/reserva/${id}/aprobar`, grande)).cuerpo).toMatchObject({ error: 'cuerpo_demasiado_grande', limite_bytes: 262144 });
    expect((await pedir('POST', `/vuelos/reserva/${id}/aprobar`, '<x/>', { 'content-type': 'application/xml' })).estado).toBe(415);
  });
});

test('el logger de pruebas no es el silencioso', () => {
  expect(registrador).not.toBe(loggerSilencioso);
});
