import {
  Collection,
  MongoBulkWriteError,
  MongoClient,
  MongoInvalidArgumentError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  type BulkWriteResult,
} from 'mongodb';
import { DependenciaNoDisponible } from '../aplicacion/resultado';
import { coleccionVigilada, erroresPorItem, esMongoInalcanzable, esperarMongo, TIEMPO_MAXIMO_CONSULTA_MS, traducirErrorMongo } from './mongo';

const conNombre = (name: string, extra: object = {}) => Object.assign(new Error('x'), { name, ...extra });

describe('esMongoInalcanzable / traducirErrorMongo', () => {
  it.each([
    ['MongoServerSelectionError', true],
    ['MongoNetworkError', true],
    ['MongoNetworkTimeoutError', true],
    ['MongoNotConnectedError', true],
    ['MongoTopologyClosedError', true],
    ['MongoPoolClearedError', true],
    ['MongoServerClosedError', true],
    ['MongoServerError', false],
    ['MongoBulkWriteError', false],
    ['TypeError', false],
  ])('%s -> %s', (nombre, inalcanzable) => {
    expect(esMongoInalcanzable(conNombre(nombre))).toBe(inalcanzable);
    const traducido = traducirErrorMongo(conNombre(nombre));
    expect(traducido instanceof DependenciaNoDisponible).toBe(inalcanzable);
  });

  it('mira las causas (un error de red envuelto) y los códigos de red', () => {
    expect(esMongoInalcanzable(new Error('fallo', { cause: conNombre('Error', { code: 'ECONNRESET' }) }))).toBe(true);
    expect(esMongoInalcanzable(conNombre('Error', { code: 'E11000' }))).toBe(false);
    expect(esMongoInalcanzable(undefined)).toBe(false);
  });

  it("FerretDB's InternalError for a PostgreSQL that is down is the database being down; its other errors are not", () => {
    const caido = new MongoServerError({
      message: '[collection.go:109 postgresql.(*collection).Query] failed to connect to `user=aeroalpes database=ferretdb`: dial error',
      code: 1,
    });
    expect(esMongoInalcanzable(caido)).toBe(true);
    expect(esMongoInalcanzable(new MongoServerError({ message: 'FATAL: terminating connection due to unexpected postmaster exit (SQLSTATE 57P01)', code: 1 }))).toBe(true);
    expect(esMongoInalcanzable(new MongoServerError({ message: 'failed to connect to the moon', code: 2 }))).toBe(false);
    expect(esMongoInalcanzable(new MongoServerError({ message: 'invalid document', code: 1 }))).toBe(false);
  });

  it('el error traducido no lleva detalles del driver en el mensaje; el original queda en cause', () => {
    const original = conNombre('MongoServerSelectionError', { message: 'connect ECONNREFUSED 10.0.0.1:27017' });
    const e = traducirErrorMongo(original) as DependenciaNoDisponible;
    expect(e.message).not.toContain('27017');
    expect(e.cause).toBe(original);
    expect(e.comoError()).toEqual({ tipo: 'DependenciaNoDisponible', mensaje: e.message });
    expect(traducirErrorMongo(e)).toBe(e);
  });
});

describe('erroresPorItem: only write errors are a per-item answer', () => {
  const resultado = {} as BulkWriteResult;

  it('a bulk error with write errors: those items failed, the others were written', () => {
    const e = new MongoBulkWriteError({ message: 'E11000', code: 11000, writeErrors: [{ index: 1, code: 11000, errmsg: 'E11000 duplicate key' }] as never }, resultado);
    expect(erroresPorItem(e)).toEqual(new Map([[1, { code: 11000, mensaje: 'E11000 duplicate key' }]]));
    expect(esMongoInalcanzable(e)).toBe(false);
  });

  it('a bulk error the driver made of a dropped connection: no per-item answer (never "all written"), and the database is down', () => {
    // What insertMany throws when the connection drops mid-batch (mongodb 7, bulk/common.js).
    const e = new MongoBulkWriteError(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'), resultado);
    expect(e.writeErrors).toEqual([]);
    expect(erroresPorItem(e)).toBeUndefined();
    expect(esMongoInalcanzable(e)).toBe(true);
    expect(traducirErrorMongo(e)).toBeInstanceOf(DependenciaNoDisponible);
  });

  it('a bulk error the driver made of a failed server selection (MongoDB stopped): no per-item answer, and the database is down', () => {
    const seleccion = new MongoServerSelectionError('Server selection timed out after 1500 ms', { type: 'Unknown', servers: new Map() } as never);
    const e = new MongoBulkWriteError(seleccion, resultado);
    expect(erroresPorItem(e)).toBeUndefined();
    expect(esMongoInalcanzable(e)).toBe(true);
    // A programming error the driver raises before sending is not an outage.
    expect(esMongoInalcanzable(new MongoBulkWriteError(new MongoInvalidArgumentError('bad'), resultado))).toBe(false);
  });

  it('a bulk error the driver made of a command the server failed as a whole: no per-item answer', () => {
    const e = new MongoBulkWriteError(new MongoServerError({ message: 'failed to connect to `user=aeroalpes database=ferretdb`', code: 1 }), resultado);
    expect(erroresPorItem(e)).toBeUndefined();
    expect(esMongoInalcanzable(e)).toBe(true);
    expect(erroresPorItem(new MongoBulkWriteError(new MongoServerError({ message: 'BSON too large', code: 10334 }), resultado))).toBeUndefined();
  });

  it('not a bulk error: no per-item answer', () => {
    expect(erroresPorItem(new Error('x'))).toBeUndefined();
  });
});

describe('coleccionVigilada', () => {
  it('traduce los rechazos y los throw síncronos de red; deja pasar los demás y los resultados', async () => {
    const duplicada = Object.assign(new Error('E11000 duplicate key'), { name: 'MongoServerError', code: 11000 });
    const falsa = {
      collectionName: 'reservas',
      findOne: async () => ({ _id: 'a' }),
      insertOne: async () => {
        throw duplicada;
      },
      updateOne: async () => {
        throw conNombre('MongoNetworkError');
      },
      deleteOne: () => {
        throw conNombre('MongoNotConnectedError');
      },
    } as unknown as Collection<{ _id: string }>;
    const c = coleccionVigilada(falsa);
    expect(c.collectionName).toBe('reservas');
    expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a' });
    await expect(c.insertOne({ _id: 'a' })).rejects.toBe(duplicada);
    await expect(c.updateOne({ _id: 'a' }, { $set: {} })).rejects.toBeInstanceOf(DependenciaNoDisponible);
    expect(() => c.deleteOne({ _id: 'a' })).toThrow(DependenciaNoDisponible);
  });

  it('da maxTimeMS a cada lectura (sin pisar el del llamador) y no toca las escrituras', async () => {
    const llamadas: Record<string, unknown[]> = {};
    const registrar =
      (nombre: string) =>
      (...argumentos: unknown[]) => {
        llamadas[nombre] = argumentos;
        return Promise.resolve(null);
      };
    const nombres = ['find', 'findOne', 'countDocuments', 'aggregate', 'distinct', 'estimatedDocumentCount', 'updateOne', 'insertMany'];
    const falsa = Object.fromEntries(nombres.map((n) => [n, registrar(n)])) as unknown as Collection<{ _id: string; n: number }>;
    const c = coleccionVigilada(falsa);
    c.find({ n: 1 }, { projection: { n: 1 } }); // a cursor: the options go with the find
    await c.findOne();
    await c.countDocuments({}, { maxTimeMS: 50 });
    c.aggregate([{ $match: {} }]);
    await c.distinct('n', {});
    await c.estimatedDocumentCount();
    await c.updateOne({ _id: 'a' }, { $set: { n: 2 } });
    await c.insertMany([{ _id: 'b', n: 1 }], { ordered: false });
    const maximo = { maxTimeMS: TIEMPO_MAXIMO_CONSULTA_MS };
    expect(llamadas).toEqual({
      find: [{ n: 1 }, { ...maximo, projection: { n: 1 } }],
      findOne: [undefined, maximo],
      countDocuments: [{}, { maxTimeMS: 50 }],
      aggregate: [[{ $match: {} }], maximo],
      distinct: ['n', {}, maximo],
      estimatedDocumentCount: [maximo],
      updateOne: [{ _id: 'a' }, { $set: { n: 2 } }],
      insertMany: [[{ _id: 'b', n: 1 }], { ordered: false }],
    });
  });

  it('una lectura que agota su maxTimeMS (MaxTimeMSExpired, código 50) es DependenciaNoDisponible (503)', async () => {
    const agotado = Object.assign(new Error('operation exceeded time limit'), { name: 'MongoServerError', code: 50, codeName: 'MaxTimeMSExpired' });
    const falsa = { findOne: () => Promise.reject(agotado) } as unknown as Collection<{ _id: string }>;
    const e = await coleccionVigilada(falsa)
      .findOne({ _id: 'a' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(e).toBeInstanceOf(DependenciaNoDisponible);
    expect((e as Error).cause).toBe(agotado);
    expect((e as Error).message).toContain(`${TIEMPO_MAXIMO_CONSULTA_MS} ms`);
  });

  describe('con el driver real contra un puerto cerrado', () => {
    const cliente = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 200, appName: 'mongo-test' });
    const coleccion = coleccionVigilada(cliente.db('vigilada_test').collection<{ _id: string; n: number }>('c'));
    afterAll(() => cliente.close());

    it('una operación: DependenciaNoDisponible con el MongoServerSelectionError como causa', async () => {
      const e = await coleccion.findOne({ _id: 'x' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(e).toBeInstanceOf(DependenciaNoDisponible);
      expect((e as Error).cause).toMatchObject({ name: 'MongoServerSelectionError' });
    });

    it('un cursor (encadenado, toArray y for await): también', async () => {
      await expect(coleccion.find({}).sort({ n: 1 }).limit(2).toArray()).rejects.toBeInstanceOf(DependenciaNoDisponible);
      const leer = async () => {
        for await (const _doc of coleccion.find({ n: 1 })) return _doc;
        return undefined;
      };
      await expect(leer()).rejects.toBeInstanceOf(DependenciaNoDisponible);
    });
  });
});

describe('esperarMongo', () => {
  it('reintenta con espera creciente mientras MongoDB no responde, y devuelve lo preparado', async () => {
    const fallos = [conNombre('MongoServerSelectionError'), new DependenciaNoDisponible('x', { cause: conNombre('MongoNetworkError') })];
    const esperas: number[] = [];
    let intentos = 0;
    const listo = await esperarMongo(
      async () => {
        intentos++;
        const fallo = fallos.shift();
        if (fallo) throw fallo;
        return 'listo';
      },
      (_intento, esperaMs) => esperas.push(esperaMs),
      { inicialMs: 1, maximoMs: 3 },
    );
    expect(listo).toBe('listo');
    expect(intentos).toBe(3);
    expect(esperas).toEqual([1, 2]);
  });

  it('otro error (credenciales, URI) falla al primer intento', async () => {
    let intentos = 0;
    const alFallar = jest.fn();
    await expect(
      esperarMongo(async () => {
        intentos++;
        throw conNombre('MongoServerError', { code: 18 });
      }, alFallar),
    ).rejects.toThrow('x');
    expect(intentos).toBe(1);
    expect(alFallar).not.toHaveBeenCalled();
  });
});
