import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Campos, Logger } from '@aeroalpes/comun';
import { copiaSolicitud, SOLICITUD_DOS_LEGS, SOLICITUD_MINIMA } from '../../modulos/vuelos/aplicacion/ejemplos';
import { ReservaDTO, SolicitudReservaDTO } from '../../modulos/vuelos/aplicacion/dto';
import { iniciarServidorPruebas, ServidorPruebas } from '../servidor-pruebas';
import { PATRON_UUID } from '../validacion';
import { ClienteVuelos, crearClienteVuelos, definicionServicio, ErrorLlamada, erroresDeLlamada, Reserva, RespuestaReserva } from './contrato';
import { DependenciaNoDisponible } from '../../seedwork/aplicacion/resultado';
import { TransicionInvalidaExcepcion } from '../../seedwork/dominio/excepciones';
import { traducirErrorMongo } from '../../seedwork/infraestructura/mongo';
import { codigoGrpcDeRespuestaRest, estadoDeErrorAplicacion, estadoDeExcepcion } from './estado-grpc';
import { iniciarServidorGrpcPruebas, ServidorGrpcPruebas } from './servidor-pruebas-grpc';
import { reservaAProto, solicitudAProto } from './traduccion';

const AHORA = new Date('2024-03-01T10:20:30.456Z');
const SEGUNDOS_AHORA = String(Date.parse('2024-03-01T10:20:30Z') / 1000);

let s: ServidorGrpcPruebas;
let cliente: ClienteVuelos;
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
  s = await iniciarServidorGrpcPruebas({ logger: registrador, reloj: () => AHORA });
  cliente = crearClienteVuelos(s.direccion);
});

afterEach(async () => {
  cliente.cerrar();
  await s.cerrar();
});

const aProto = (solicitud: unknown): Reserva => solicitudAProto(solicitud).reserva;

/** The failed call's status (fails the test if the call succeeded). */
async function fallo(promesa: Promise<RespuestaReserva>): Promise<ErrorLlamada> {
  try {
    const r = await promesa;
    throw new Error(`se esperaba un error y la llamada respondió ${JSON.stringify(r)}`);
  } catch (error) {
    if (typeof (error as ErrorLlamada).code !== 'number') throw error;
    return error as ErrorLlamada;
  }
}

const leg0 = 'itinerarios[0].odos[0].segmentos[0].legs[0]';

describe('CrearReserva', () => {
  it('crea la reserva del contrato: mensaje OK, id del servidor, fechas como Timestamp, legs intactos', async () => {
    const r = await cliente.crearReserva(aProto(SOLICITUD_DOS_LEGS), { metadata: { 'x-correlation-id': 'corr-grpc-1' } });
    expect(r.mensaje).toBe('OK');
    const reserva = r.reserva as Reserva;
    expect(reserva.id).toMatch(PATRON_UUID);
    expect(reserva.fecha_creacion).toEqual({ seconds: SEGUNDOS_AHORA, nanos: 0 });
    expect(reserva.fecha_actualizacion).toEqual({ seconds: SEGUNDOS_AHORA, nanos: 0 });
    // The domain's itinerarios have no id of their own: Itinerario.id stays unset (absent).
    expect(reserva.itinerarios[0]).not.toHaveProperty('id');
    const legs = reserva.itinerarios[0]?.odos[0]?.segmentos[0]?.legs ?? [];
    expect(legs.map((l) => [l.origen?.codigo, l.destino?.codigo])).toEqual([
      ['BOG', 'JFK'],
      ['JFK', 'LAX'],
    ]);
    expect(legs[1]).toEqual({
      fecha_salida: { seconds: String(Date.parse('2022-11-22T17:00:00Z') / 1000), nanos: 0 },
      fecha_llegada: { seconds: String(Date.parse('2022-11-22T23:30:00Z') / 1000), nanos: 0 },
      origen: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
      destino: { codigo: 'LAX', nombre: 'Los Angeles International Airport' },
    });

    // It went through the command: written, ReservaCreada published with our correlation id, projected.
    const id = reserva.id as string;
    expect(s.nucleo.reservas.documentos.get(id)?.version).toBe(1);
    expect(s.nucleo.publicador.publicados).toEqual([expect.objectContaining({ type: 'ReservaCreada', aggregateId: id, correlationId: 'corr-grpc-1' })]);
    const vista = (await s.nucleo.vista.obtener(id)) as ReservaDTO;
    expect(vista).toMatchObject({ id, estado: 'Pendiente', itinerarios: SOLICITUD_DOS_LEGS.itinerarios });
    expect(reserva).toMatchObject(reservaAProto(vista));
    expect(lineas).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'grpc', method: 'CrearReserva', code: 'OK', correlation_id: 'corr-grpc-1' })]));
  });

  it('ignora los campos de solo salida que mande el cliente (id, fechas, Itinerario.id): el id lo asigna el servidor', async () => {
    const propuesto = randomUUID();
    const reserva = aProto(SOLICITUD_MINIMA);
    reserva.id = propuesto;
    reserva.fecha_creacion = { seconds: 1, nanos: 0 };
    reserva.fecha_actualizacion = { seconds: 2, nanos: 0 };
    (reserva.itinerarios[0] as { id?: string }).id = 'itinerario-1';
    const r = await cliente.crearReserva(reserva);
    expect(r.reserva?.id).toMatch(PATRON_UUID);
    expect(r.reserva?.id).not.toBe(propuesto);
    expect(r.reserva?.fecha_creacion).toEqual({ seconds: SEGUNDOS_AHORA, nanos: 0 });
    expect(s.nucleo.reservas.documentos.has(propuesto)).toBe(false);
  });

  it('devuelve el id de correlación en la metadata (inicial y final); genera uno si no es seguro', async () => {
    const recibidas: grpc.Metadata[] = [];
    const crudo = new grpc.Client(s.direccion, grpc.credentials.createInsecure());
    const def = definicionServicio().CrearReserva as grpc.MethodDefinition<Reserva, RespuestaReserva>;
    const md = new grpc.Metadata();
    md.set('x-correlation-id', 'mal id con espacios');
    const r = await new Promise<grpc.Metadata>((resolve, reject) => {
      const llamada = crudo.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, aProto(SOLICITUD_MINIMA), md, (e) => {
        if (e) reject(e);
      });
      llamada.on('metadata', (m) => recibidas.push(m));
      llamada.on('status', (st) => resolve(st.metadata));
    }).finally(() => crudo.close());
    const inicial = recibidas[0]?.get('x-correlation-id')[0];
    expect(inicial).toMatch(PATRON_UUID);
    expect(r.get('x-correlation-id')[0]).toBe(inicial);
    expect(s.nucleo.publicador.publicados[0]?.correlationId).toBe(inicial);
  });

  describe('INVALID_ARGUMENT nombra el campo y la regla', () => {
    const casos: [string, (s: SolicitudReservaDTO) => void, { campo: string; regla: string }][] = [
      [
        'origen = destino',
        (x) => {
          x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino = { codigo: 'BOG', nombre: 'El Dorado' };
        },
        { campo: `${leg0}.destino.codigo`, regla: 'RutaValida' },
      ],
      [
        'código IATA inválido',
        (x) => {
          x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.origen.codigo = 'bo1';
        },
        { campo: `${leg0}.origen.codigo`, regla: 'pattern' },
      ],
      [
        'llegada antes de la salida',
        (x) => {
          x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.fecha_llegada = '2022-11-22T12:00:00Z';
        },
        { campo: `${leg0}.fecha_llegada`, regla: 'LlegadaPosteriorASalida' },
      ],
      [
        'sin itinerarios',
        (x) => {
          x.itinerarios = [];
        },
        { campo: 'itinerarios', regla: 'minItems' },
      ],
      [
        'odo sin segmentos',
        (x) => {
          x.itinerarios[0]!.odos[0]!.segmentos = [];
        },
        { campo: 'itinerarios[0].odos[0].segmentos', regla: 'minItems' },
      ],
      [
        'legs que no conectan',
        (x) => {
          const legs = copiaSolicitud(SOLICITUD_DOS_LEGS).itinerarios[0]!.odos[0]!.segmentos[0]!.legs;
          legs[1]!.origen = { codigo: 'MIA', nombre: 'Miami' };
          x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs = legs;
        },
        { campo: 'itinerarios[0].odos[0].segmentos[0].legs[1].origen.codigo', regla: 'LegsConsecutivosConectan' },
      ],
      [
        'nombre vacío',
        (x) => {
          x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.nombre = '';
        },
        { campo: `${leg0}.destino.nombre`, regla: 'minLength' },
      ],
    ];

    it.each(casos)('%s', async (_nombre, modificar, esperado) => {
      const solicitud = copiaSolicitud();
      modificar(solicitud);
      const e = await fallo(cliente.crearReserva(aProto(solicitud)));
      expect(grpc.status[e.code]).toBe('INVALID_ARGUMENT');
      expect(e.details).toContain(esperado.campo);
      expect(e.details).toContain(esperado.regla);
      expect(erroresDeLlamada(e)).toEqual(expect.arrayContaining([expect.objectContaining(esperado)]));
      expect(s.nucleo.reservas.documentos.size).toBe(0);
      expect(s.nucleo.publicador.publicados).toEqual([]);
    });

    it('un leg sin fechas ni origen: campo obligatorio ausente (required), como en REST', async () => {
      const reserva = aProto(SOLICITUD_MINIMA);
      const leg = reserva.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!;
      leg.fecha_salida = null;
      leg.origen = null;
      const e = await fallo(cliente.crearReserva(reserva));
      expect(e.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(erroresDeLlamada(e)).toEqual([
        { campo: `${leg0}.fecha_salida`, regla: 'required', mensaje: 'campo obligatorio ausente' },
        { campo: `${leg0}.origen`, regla: 'required', mensaje: 'campo obligatorio ausente' },
      ]);
    });

    it('un Timestamp con fracción de segundo no cabe en el contrato (precisión de segundos): format', async () => {
      const reserva = aProto(SOLICITUD_MINIMA);
      reserva.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.fecha_salida = { seconds: 1669122600, nanos: 500_000_000 };
      const e = await fallo(cliente.crearReserva(reserva));
      expect(e.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(erroresDeLlamada(e)).toEqual(expect.arrayContaining([expect.objectContaining({ campo: `${leg0}.fecha_salida`, regla: 'format' })]));
    });

    it('Reserva vacía: itinerarios obligatorio (minItems)', async () => {
      const e = await fallo(cliente.crearReserva({ itinerarios: [] }));
      expect(e.details).toBe('la solicitud no es válida: itinerarios: debe tener al menos 1 elemento(s) (regla minItems)');
    });

    it('muchos errores: los primeros en el mensaje, todos en errores-bin', async () => {
      const solicitud = copiaSolicitud();
      const leg = solicitud.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!;
      solicitud.itinerarios[0]!.odos[0]!.segmentos[0]!.legs = Array.from({ length: 8 }, () => ({ ...leg, origen: { codigo: 'x', nombre: '' } }));
      const e = await fallo(cliente.crearReserva(aProto(solicitud)));
      const errores = erroresDeLlamada(e);
      expect(errores.length).toBeGreaterThan(5);
      expect(e.details).toMatch(/y \d+ error\(es\) más$/);
    });
  });

  describe('acepta y rechaza exactamente lo mismo que la API REST', () => {
    let rest: ServidorPruebas;
    beforeAll(async () => {
      rest = await iniciarServidorPruebas();
    });
    afterAll(async () => {
      await rest.cerrar();
    });

    const variantes: [string, (s: SolicitudReservaDTO) => void][] = [
      ['válida (un leg)', () => undefined],
      [
        'válida (dos legs)',
        (x) => {
          x.itinerarios = copiaSolicitud(SOLICITUD_DOS_LEGS).itinerarios;
        },
      ],
      ['IATA en minúsculas', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.codigo = 'jfk')],
      ['IATA de 4 letras', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.codigo = 'JFKX')],
      ['nombre en blanco', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.origen.nombre = '   ')],
      ['nombre de 201 caracteres', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.origen.nombre = 'a'.repeat(201))],
      ['fechas iguales', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.fecha_llegada = '2022-11-22T13:10:00Z')],
      ['fecha anterior a 1970', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.fecha_salida = '1969-12-31T23:59:59Z')],
      ['odos vacíos', (x) => void (x.itinerarios[0]!.odos = [])],
      ['legs vacíos', (x) => void (x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs = [])],
      ['11 itinerarios', (x) => void (x.itinerarios = Array.from({ length: 11 }, () => copiaSolicitud().itinerarios[0]!))],
      [
        'origen = destino en el segundo leg',
        (x) => {
          x.itinerarios = copiaSolicitud(SOLICITUD_DOS_LEGS).itinerarios;
          x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[1]!.destino = { codigo: 'JFK', nombre: 'JFK' };
        },
      ],
      [
        'segundo leg sale antes de que llegue el primero',
        (x) => {
          x.itinerarios = copiaSolicitud(SOLICITUD_DOS_LEGS).itinerarios;
          x.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[1]!.fecha_salida = '2022-11-22T15:00:00Z';
        },
      ],
    ];

    it.each(variantes)('%s', async (_nombre, modificar) => {
      const solicitud = copiaSolicitud();
      modificar(solicitud);
      const http = await fetch(`${rest.base}/vuelos/reserva`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(solicitud),
      });
      const cuerpo = (await http.json()) as { errores?: unknown };
      let grpcErrores: unknown;
      try {
        const r = await cliente.crearReserva(aProto(solicitud));
        expect(r.mensaje).toBe('OK');
      } catch (error) {
        expect((error as ErrorLlamada).code).toBe(grpc.status.INVALID_ARGUMENT);
        grpcErrores = erroresDeLlamada(error as ErrorLlamada);
      }
      if (http.status === 200) expect(grpcErrores).toBeUndefined();
      else {
        expect(http.status).toBe(400);
        expect(grpcErrores).toEqual(cuerpo.errores);
      }
    });
  });
});

describe('ConsultarReserva', () => {
  it('devuelve la reserva del modelo de lectura, igual a la que devolvió CrearReserva (el id no distingue mayúsculas)', async () => {
    const creada = await cliente.crearReserva(aProto(SOLICITUD_DOS_LEGS));
    const id = creada.reserva?.id as string;
    const r = await cliente.consultarReserva({ id });
    expect(r).toEqual(creada);
    expect(await cliente.consultarReserva({ id: id.toUpperCase() })).toEqual(creada);
    expect(lineas).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'query ejecutado', type: 'ObtenerReserva' })]));
  });

  it('lee su propia escritura: si el modelo de lectura aún no la tiene, responde la del modelo de escritura', async () => {
    const creada = await cliente.crearReserva(aProto(SOLICITUD_DOS_LEGS));
    const id = creada.reserva?.id as string;
    s.nucleo.vista.documentos.delete(id); // the projection has not caught up yet
    expect(await s.nucleo.vista.obtener(id)).toBeNull();
    expect(await cliente.consultarReserva({ id })).toEqual(creada);
  });

  it('NOT_FOUND para un id desconocido', async () => {
    const id = randomUUID();
    const e = await fallo(cliente.consultarReserva({ id }));
    expect(e.code).toBe(grpc.status.NOT_FOUND);
    expect(e.details).toBe(`Reserva ${id} no existe`);
  });

  it.each(['', 'abc', "1' OR '1'='1", '123e4567-e89b-12d3-a456-42661417400'])('INVALID_ARGUMENT si el id no es un UUID (%p)', async (id) => {
    const e = await fallo(cliente.consultarReserva({ id }));
    expect(e.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(erroresDeLlamada(e)).toEqual([expect.objectContaining({ campo: 'id' })]);
  });
});

describe('dependencias caídas y errores inesperados', () => {
  // What the Mongo adapters raise for a driver error that means "unreachable" (seedwork/infraestructura/mongo.ts).
  const caidaMongo = () => traducirErrorMongo(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoServerSelectionError' })) as Error;

  it('UNAVAILABLE si MongoDB no responde al escribir (y nada se publica)', async () => {
    expect(caidaMongo()).toBeInstanceOf(DependenciaNoDisponible);
    s.nucleo.reservas.fallarCon(caidaMongo());
    const e = await fallo(cliente.crearReserva(aProto(SOLICITUD_MINIMA)));
    expect(e.code).toBe(grpc.status.UNAVAILABLE);
    expect(e.details).not.toContain('27017');
    expect(s.nucleo.publicador.publicados).toEqual([]);
    s.nucleo.reservas.fallarCon(undefined);
    expect((await cliente.crearReserva(aProto(SOLICITUD_MINIMA))).mensaje).toBe('OK');
  });

  it('UNAVAILABLE si el modelo de lectura no responde (error de red en la causa)', async () => {
    s.nucleo.vista.obtener = async () => {
      throw traducirErrorMongo(new Error('fallo al leer', { cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }) }));
    };
    const e = await fallo(cliente.consultarReserva({ id: randomUUID() }));
    expect(e.code).toBe(grpc.status.UNAVAILABLE);
  });

  it('INTERNAL sin detalles para el cliente si algo inesperado falla; queda en el log', async () => {
    s.nucleo.reservas.fallarCon(new Error('detalle secreto'));
    const e = await fallo(cliente.crearReserva(aProto(SOLICITUD_MINIMA)));
    expect(e.code).toBe(grpc.status.INTERNAL);
    expect(e.details).toBe('error interno del servidor');
    expect(lineas).toEqual(expect.arrayContaining([expect.objectContaining({ nivel: 'error', msg: 'grpc: error inesperado', method: 'CrearReserva' })]));
  });

  it('INTERNAL también si el bus lanza de forma síncrona (nunca un rechazo sin manejar)', async () => {
    const otro = await iniciarServidorGrpcPruebas({
      deps: {
        busQueries: {
          ejecutar: () => {
            throw new TypeError('síncrono');
          },
        } as never,
      },
    });
    const c = crearClienteVuelos(otro.direccion);
    try {
      const e = await fallo(c.consultarReserva({ id: randomUUID() }));
      expect(e.code).toBe(grpc.status.INTERNAL);
    } finally {
      c.cerrar();
      await otro.cerrar();
    }
  });

  it('ALREADY_EXISTS si el id asignado ya existe (conflicto)', async () => {
    const id = randomUUID();
    const otro = await iniciarServidorGrpcPruebas({ deps: { generarId: () => id } });
    const c = crearClienteVuelos(otro.direccion);
    try {
      expect((await c.crearReserva(aProto(SOLICITUD_MINIMA))).reserva?.id).toBe(id);
      const e = await fallo(c.crearReserva(aProto(SOLICITUD_MINIMA)));
      expect(e.code).toBe(grpc.status.ALREADY_EXISTS);
    } finally {
      c.cerrar();
      await otro.cerrar();
    }
  });
});

describe('límite de tamaño (el del cuerpo REST)', () => {
  /** A valid request of about `bytes` bytes: one leg whose names take the room. */
  const grande = (legs: number) => {
    const solicitud = copiaSolicitud(SOLICITUD_MINIMA);
    const leg = solicitud.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!;
    leg.origen.nombre = 'O'.repeat(200);
    leg.destino.nombre = 'D'.repeat(200);
    solicitud.itinerarios[0]!.odos[0]!.segmentos[0]!.legs = Array.from({ length: legs }, () => structuredClone(leg));
    return aProto(solicitud);
  };

  it('RESOURCE_EXHAUSTED sin decodificarla para una petición mayor que el límite; nada se escribe', async () => {
    const e = await fallo(cliente.crearReserva({ ...grande(20), itinerarios: Array.from({ length: 40 }, () => grande(20).itinerarios[0]!) }));
    expect(e.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(e.details).toMatch(/supera el límite de 262144 bytes/);
    expect(s.nucleo.reservas.documentos.size).toBe(0);
  });

  it('el límite se configura (limiteMensajeBytes); por debajo, la petición sigue su camino', async () => {
    const otro = await iniciarServidorGrpcPruebas({ deps: { limiteMensajeBytes: 2048 } });
    const c = crearClienteVuelos(otro.direccion);
    try {
      expect((await fallo(c.crearReserva(grande(5)))).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect((await c.crearReserva(aProto(SOLICITUD_MINIMA))).mensaje).toBe('OK');
      expect((await fallo(c.consultarReserva({ id: 'x'.repeat(4000) }))).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    } finally {
      c.cerrar();
      await otro.cerrar();
    }
  });
});

describe('estados gRPC', () => {
  it.each([
    [{ tipo: 'NoEncontrado', mensaje: 'Reserva x no existe', recurso: 'Reserva', id: 'x' }, 'NOT_FOUND'],
    [{ tipo: 'ReglaNegocio', mensaje: 'm', regla: 'RutaValida', campo: 'c' }, 'INVALID_ARGUMENT'],
    [{ tipo: 'TransicionInvalida', mensaje: 'no se puede pagar', estadoActual: 'Pendiente', accion: 'pagar' }, 'FAILED_PRECONDITION'],
    [{ tipo: 'ConflictoVersion', mensaje: 'cambió', versionEsperada: 1 }, 'ABORTED'],
    [{ tipo: 'Conflicto', mensaje: 'ya existe' }, 'ALREADY_EXISTS'],
    [{ tipo: 'DependenciaNoDisponible', mensaje: 'la base de datos no responde' }, 'UNAVAILABLE'],
  ] as const)('%o -> %s', (error, codigo) => {
    const e = estadoDeErrorAplicacion(error, 'corr');
    expect(grpc.status[e.code]).toBe(codigo);
    expect(e.details).toContain(error.mensaje);
    expect(e.metadata.get('x-correlation-id')).toEqual(['corr']);
  });

  it.each([
    [new DependenciaNoDisponible('broker y base de datos no disponibles'), 'UNAVAILABLE'],
    [new TransicionInvalidaExcepcion('Reserva', 'r1', 'Pagada', 'cancelar'), 'FAILED_PRECONDITION'],
    [Object.assign(new Error('x'), { name: 'MongoNetworkError' }), 'INTERNAL'], // untranslated: the adapter's job
    [new TypeError('x'), 'INTERNAL'],
  ])('excepción %s -> %s', (error, codigo) => {
    const e = estadoDeExcepcion(error);
    expect(grpc.status[e.code]).toBe(codigo);
    if (codigo === 'INTERNAL') expect(e.details).toBe('error interno del servidor');
  });
});

describe('codigoGrpcDeRespuestaRest (OnInvoke: REST -> gRPC, que daprd devuelve como el mismo HTTP)', () => {
  const cuerpo = (error: string) => JSON.stringify({ error, mensaje: 'm' });

  it.each([
    [404, 'no_encontrado', 'NOT_FOUND'],
    [400, 'regla_negocio', 'INVALID_ARGUMENT'],
    // The table says FAILED_PRECONDITION, which daprd answers HTTP callers as 400: ABORTED keeps the 409.
    [409, 'transicion_invalida', 'ABORTED'],
    [409, 'conflicto_version', 'ABORTED'],
    [409, 'conflicto', 'ALREADY_EXISTS'],
    [503, 'no_disponible', 'UNAVAILABLE'],
    // The REST API's own errors: by status.
    [400, 'validacion', 'INVALID_ARGUMENT'],
    [400, 'json_invalido', 'INVALID_ARGUMENT'],
    [404, 'ruta_no_encontrada', 'NOT_FOUND'],
    [405, 'metodo_no_permitido', 'UNIMPLEMENTED'],
    [413, 'cuerpo_demasiado_grande', 'RESOURCE_EXHAUSTED'],
    [415, 'tipo_contenido_no_soportado', 'INVALID_ARGUMENT'],
    [500, 'interno', 'INTERNAL'],
  ])('%i %s -> %s', (status, error, codigo) => {
    expect(grpc.status[codigoGrpcDeRespuestaRest(status, cuerpo(error))]).toBe(codigo);
    expect(grpc.status[codigoGrpcDeRespuestaRest(status, Buffer.from(cuerpo(error)))]).toBe(codigo);
  });

  it('un cuerpo que no es JSON, o un código con otro status, va por el status', () => {
    expect(grpc.status[codigoGrpcDeRespuestaRest(502, 'Bad Gateway')]).toBe('INTERNAL');
    expect(grpc.status[codigoGrpcDeRespuestaRest(409, '')]).toBe('ABORTED');
    expect(grpc.status[codigoGrpcDeRespuestaRest(500, cuerpo('conflicto'))]).toBe('INTERNAL');
    expect(grpc.status[codigoGrpcDeRespuestaRest(418, '{}')]).toBe('UNKNOWN');
  });
});
