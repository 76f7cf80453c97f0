/**
 * The gRPC API vuelos.Vuelos on the real platform, reached the way clients reach it: through a
 * Dapr sidecar's gRPC proxy with metadata `dapr-app-id: aeroalpes`; the command-line client as a
 * child process; and Dapr's HTTP service invocation (/v1.0/invoke/aeroalpes/method/...), which
 * reaches aeroalpes over its gRPC app channel (AppCallback.OnInvoke).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ClienteVuelos, crearClienteVuelos, ErrorLlamada, erroresDeLlamada, Reserva } from '../../services/aeroalpes/src/api/grpc/contrato';
import { reservaProtoAJson, solicitudAProto } from '../../services/aeroalpes/src/api/grpc/traduccion';
import { copiaSolicitud, SOLICITUD_DOS_LEGS, SOLICITUD_MINIMA } from '../../services/aeroalpes/src/modulos/vuelos/aplicacion/ejemplos';
import type { ReservaDTO, SolicitudReservaDTO } from '../../services/aeroalpes/src/modulos/vuelos/aplicacion/dto';
import { eventually, sidecarFetch, stackInfo, tokenSidecar, url } from '../support/stack';

const RAIZ = path.resolve(__dirname, '../..');
const CLI = path.join(RAIZ, 'services/aeroalpes/dist/cli/main.js');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const leg0 = 'itinerarios[0].odos[0].segmentos[0].legs[0]';

let sidecar: ClienteVuelos;

beforeAll(() => {
  // The API clients' own sidecar (app id gateway), as a Dapr-enabled client pod in Kubernetes.
  sidecar = crearClienteVuelos(`127.0.0.1:${stackInfo().ports.gateway.daprGrpc}`, { 'dapr-app-id': 'aeroalpes', ...tokenSidecar('gateway') });
});

afterAll(() => {
  sidecar.cerrar();
});

const aProto = (s: SolicitudReservaDTO): Reserva => solicitudAProto(s).reserva;

async function fallo(promesa: Promise<unknown>): Promise<ErrorLlamada> {
  try {
    const r = await promesa;
    throw new Error(`se esperaba un error y la llamada respondió ${JSON.stringify(r)}`);
  } catch (error) {
    if (typeof (error as ErrorLlamada).code !== 'number') throw error;
    return error as ErrorLlamada;
  }
}

async function getJson(ruta: string): Promise<{ status: number; cuerpo: any }> {
  const res = await fetch(`${url('aeroalpes')}${ruta}`);
  const texto = await res.text();
  return { status: res.status, cuerpo: texto ? JSON.parse(texto) : undefined };
}

/** The read model is updated asynchronously (event through the broker, then the projection). */
const leerQuery = (id: string) =>
  eventually(`GET /vuelos/reserva-query/${id}`, async () => {
    const r = await getJson(`/vuelos/reserva-query/${id}`);
    return r.status === 200 ? (r.cuerpo as ReservaDTO) : undefined;
  });

const consultarCuandoExista = (cliente: ClienteVuelos, id: string) =>
  eventually(`ConsultarReserva ${id}`, async () => {
    try {
      return await cliente.consultarReserva({ id });
    } catch (error) {
      if ((error as ErrorLlamada).code === grpc.status.NOT_FOUND) return undefined;
      throw error;
    }
  });

/** What the REST document and the gRPC reserva have in common (the contract's message has no estado/version). */
const comun = (d: ReservaDTO) => ({ id: d.id, fecha_creacion: d.fecha_creacion, fecha_actualizacion: d.fecha_actualizacion, itinerarios: d.itinerarios });

describe('vuelos.Vuelos por el proxy gRPC de daprd (dapr-app-id: aeroalpes)', () => {
  it('CrearReserva responde OK con id y fechas; ConsultarReserva devuelve la misma reserva que REST', async () => {
    const creada = await sidecar.crearReserva(aProto(SOLICITUD_DOS_LEGS), { metadata: { 'x-correlation-id': 'grpc-integracion-1' } });
    expect(creada.mensaje).toBe('OK');
    const reserva = creada.reserva as Reserva;
    expect(reserva.id).toMatch(UUID);
    expect(reserva.fecha_creacion).toEqual({ seconds: expect.stringMatching(/^[0-9]+$/), nanos: 0 });
    expect(reserva.fecha_actualizacion).toEqual(reserva.fecha_creacion);
    const id = reserva.id as string;

    const rest = await leerQuery(id);
    expect(rest).toMatchObject({ id, estado: 'Pendiente', itinerarios: SOLICITUD_DOS_LEGS.itinerarios });
    expect(reservaProtoAJson(reserva)).toEqual(comun(rest));

    const consultada = await consultarCuandoExista(sidecar, id);
    expect(consultada).toEqual(creada);
    // The write model agrees too.
    expect((await getJson(`/vuelos/reserva/${id}`)).cuerpo).toEqual(rest);
  });

  it('lee su propia escritura: ConsultarReserva justo después de CrearReserva, sin esperar a la proyección', async () => {
    for (let i = 0; i < 5; i++) {
      const creada = await sidecar.crearReserva(aProto(SOLICITUD_MINIMA));
      expect(await sidecar.consultarReserva({ id: creada.reserva?.id as string })).toEqual(creada);
    }
  });

  it('desde el sidecar de la ui: PERMISSION_DENIED (la política de acceso no le da vuelos.Vuelos)', async () => {
    const desdeUi = crearClienteVuelos(`127.0.0.1:${stackInfo().ports.services.ui[0]!.daprGrpc}`, { 'dapr-app-id': 'aeroalpes', ...tokenSidecar('ui') });
    try {
      const e = await fallo(desdeUi.crearReserva(aProto(SOLICITUD_MINIMA)));
      expect(grpc.status[e.code]).toBe('PERMISSION_DENIED');
      expect(e.details).toContain('spiffe://public/ns/default/ui');
    } finally {
      desdeUi.cerrar();
    }
  });

  it('sin el token de la API del sidecar: UNAUTHENTICATED, nada creado', async () => {
    const sinToken = crearClienteVuelos(`127.0.0.1:${stackInfo().ports.gateway.daprGrpc}`, { 'dapr-app-id': 'aeroalpes' });
    try {
      const e = await fallo(sinToken.crearReserva(aProto(SOLICITUD_MINIMA)));
      expect(grpc.status[e.code]).toBe('UNAUTHENTICATED');
    } finally {
      sinToken.cerrar();
    }
  });

  describe('errores con su código gRPC, a través del sidecar', () => {
    const casos: [string, (s: SolicitudReservaDTO) => void, { campo: string; regla: string }][] = [
      ['origen = destino', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.codigo = 'BOG'), { campo: `${leg0}.destino.codigo`, regla: 'RutaValida' }],
      ['código IATA inválido', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.origen.codigo = 'B0G'), { campo: `${leg0}.origen.codigo`, regla: 'pattern' }],
      [
        'llegada antes de la salida',
        (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.fecha_llegada = '2022-11-22T11:00:00Z'),
        { campo: `${leg0}.fecha_llegada`, regla: 'LlegadaPosteriorASalida' },
      ],
      ['sin itinerarios', (x) => void (x.itinerarios = []), { campo: 'itinerarios', regla: 'minItems' }],
    ];

    it.each(casos)('INVALID_ARGUMENT: %s (campo y regla en el mensaje y en errores-bin; REST da 400 con los mismos errores)', async (_n, modificar, esperado) => {
      const solicitud = copiaSolicitud();
      modificar(solicitud);
      const e = await fallo(sidecar.crearReserva(aProto(solicitud)));
      expect(grpc.status[e.code]).toBe('INVALID_ARGUMENT');
      expect(e.details).toContain(esperado.campo);
      expect(e.details).toContain(esperado.regla);
      const errores = erroresDeLlamada(e);
      expect(errores).toEqual(expect.arrayContaining([expect.objectContaining(esperado)]));

      const res = await fetch(`${url('aeroalpes')}/vuelos/reserva`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(solicitud),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errores: unknown }).errores).toEqual(errores);
    });

    it('NOT_FOUND para un id desconocido; INVALID_ARGUMENT si no es un UUID', async () => {
      const desconocido = '00000000-0000-4000-8000-000000000000';
      const e = await fallo(sidecar.consultarReserva({ id: desconocido }));
      expect(grpc.status[e.code]).toBe('NOT_FOUND');
      expect(e.details).toBe(`Reserva ${desconocido} no existe`);
      const malo = await fallo(sidecar.consultarReserva({ id: 'no-es-un-uuid' }));
      expect(grpc.status[malo.code]).toBe('INVALID_ARGUMENT');
      expect(erroresDeLlamada(malo)).toEqual([expect.objectContaining({ campo: 'id', regla: 'format' })]);
    });
  });
});

describe('el cliente de línea de comandos (npm run cli), como proceso', () => {
  const correr = (args: string[]) =>
    new Promise<{ codigo: number; salida: string; errores: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DAPR_GRPC_PORT: String(stackInfo().ports.gateway.daprGrpc), DAPR_API_TOKEN: tokenSidecar('gateway')['dapr-api-token'] };
      delete env.INIT_CWD;
      execFile(process.execPath, [CLI, ...args], { cwd: RAIZ, env, timeout: 30_000 }, (error, stdout, stderr) => {
        const codigo = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ codigo, salida: stdout, errores: stderr });
      });
    });
  const reservaImpresa = (salida: string) => JSON.parse(salida.slice(salida.indexOf('reserva:\n') + 9)) as Record<string, unknown>;

  beforeAll(() => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} no existe: compile antes con npx tsc -b`);
  });

  it('crear examples/reserva.json imprime OK y un id; consultar <id> imprime la misma reserva (igual a la de REST)', async () => {
    const crear = await correr(['crear', 'examples/reserva.json']);
    expect(crear).toMatchObject({ codigo: 0, errores: '' });
    expect(crear.salida).toMatch(/^mensaje: OK\nid: [0-9a-f-]{36}\n/);
    const creada = reservaImpresa(crear.salida);
    const id = creada.id as string;
    expect(id).toMatch(UUID);
    expect(creada.itinerarios).toEqual(SOLICITUD_MINIMA.itinerarios);

    const consultar = await eventually('consultar por el cliente', async () => {
      const r = await correr(['consultar', id]);
      return r.codigo === 0 ? r : undefined;
    });
    expect(reservaImpresa(consultar.salida)).toEqual(creada);
    expect(comun(await leerQuery(id))).toEqual(creada);
  });

  it('crear examples/reserva-dos-legs.json (--json)', async () => {
    const r = await correr(['crear', 'examples/reserva-dos-legs.json', '--json']);
    expect(r.codigo).toBe(0);
    expect(JSON.parse(r.salida)).toMatchObject({ mensaje: 'OK', reserva: { id: expect.stringMatching(UUID), itinerarios: SOLICITUD_DOS_LEGS.itinerarios } });
  });

  it('un id desconocido: sale con 1 y NOT_FOUND', async () => {
    const r = await correr(['consultar', '00000000-0000-4000-8000-000000000000']);
    expect(r.codigo).toBe(1);
    expect(r.errores).toMatch(/^error: NOT_FOUND: /);
  });
});

describe('invocación HTTP de Dapr: /v1.0/invoke/aeroalpes/method/... (canal de app gRPC, OnInvoke)', () => {
  const invocar = async (metodo: 'GET' | 'POST', ruta: string, cuerpo?: unknown) => {
    const res = await sidecarFetch('gateway', `/v1.0/invoke/aeroalpes/method/${ruta}`, {
      method: metodo,
      ...(cuerpo !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(cuerpo) } : {}),
    });
    const texto = await res.text();
    return { status: res.status, texto, cuerpo: texto ? (JSON.parse(texto) as any) : undefined };
  };

  it('POST vuelos/reserva: 200 con el documento; GET vuelos/reserva/{id}: 200 con el mismo', async () => {
    const creada = await invocar('POST', 'vuelos/reserva', SOLICITUD_MINIMA);
    expect(creada.status).toBe(200);
    expect(creada.cuerpo).toMatchObject({ id: expect.stringMatching(UUID), estado: 'Pendiente', version: 1, itinerarios: SOLICITUD_MINIMA.itinerarios });
    const leida = await invocar('GET', `vuelos/reserva/${creada.cuerpo.id as string}`);
    expect(leida).toMatchObject({ status: 200, cuerpo: creada.cuerpo });
  });

  it('POST vuelos/reserva-comando: 200 (por el canal gRPC todo OK es 200) con {id, mensaje, consulta}; la reserva aparece', async () => {
    const r = await invocar('POST', 'vuelos/reserva-comando', SOLICITUD_DOS_LEGS);
    expect(r.status).toBe(200);
    expect(r.cuerpo).toEqual({ id: expect.stringMatching(UUID), mensaje: expect.any(String), consulta: `/vuelos/reserva-query/${r.cuerpo.id as string}` });
    const rest = await leerQuery(r.cuerpo.id as string);
    expect(rest).toMatchObject({ id: r.cuerpo.id, itinerarios: SOLICITUD_DOS_LEGS.itinerarios });
  });

  it('un cuerpo inválido: 400, con nuestro error JSON en el message del error de Dapr', async () => {
    const solicitud = copiaSolicitud();
    solicitud.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.codigo = 'BOG';
    const r = await invocar('POST', 'vuelos/reserva', solicitud);
    expect(r.status).toBe(400);
    expect(r.cuerpo).toEqual(expect.objectContaining({ message: expect.any(String) }));
    expect(JSON.parse(r.cuerpo.message as string)).toMatchObject({
      error: 'regla_negocio',
      errores: [{ campo: `${leg0}.destino.codigo`, regla: 'RutaValida', mensaje: expect.any(String) }],
    });
  });

  it('un id desconocido: 404', async () => {
    const r = await invocar('GET', 'vuelos/reserva/00000000-0000-4000-8000-000000000000');
    expect(r.status).toBe(404);
    expect(r.texto).toContain('no_encontrado');
  });
});
