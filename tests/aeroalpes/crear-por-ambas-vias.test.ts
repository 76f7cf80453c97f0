/**
 * Both create endpoints store the same reserva (issue 11, item 1): random valid requests (several
 * itinerarios, odos, segmentos and chained legs, with or without customer and pasajeros) go
 * through POST /vuelos/reserva (synchronous) and through POST /vuelos/reserva-comando (the
 * command through Pulsar and aeroalpes' sidecar, back into the same use case); the two stored
 * documents are equal but for their ids and times. Against the running platform.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { eventually, stackInfo, url } from '../support/stack';

const AEROPUERTOS = [
  ['BOG', 'El Dorado, Bogotá'],
  ['JFK', 'John F. Kennedy International Airport'],
  ['MAD', 'Adolfo Suárez Madrid-Barajas'],
  ['LIM', 'Jorge Chávez'],
  ['MEX', 'Benito Juárez'],
  ['GRU', 'Guarulhos'],
] as const;
const CLASES = ['Economica', 'Premium', 'Ejecutiva', 'Primera'];
const TIPOS = ['Adulto', 'Menor', 'Infante'];
const uno = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)]!;
const fecha = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A request every rule accepts: legs chained (each departs where the previous arrived), in time order. */
function solicitudAlAzar(): Record<string, unknown> {
  let t = Date.UTC(2030, randomInt(12), 1 + randomInt(27), randomInt(24), 0, 0);
  const segmento = () => {
    let origen = uno(AEROPUERTOS);
    return {
      legs: Array.from({ length: 1 + randomInt(3) }, () => {
        let destino = uno(AEROPUERTOS);
        while (destino[0] === origen[0]) destino = uno(AEROPUERTOS);
        const salida = (t += (1 + randomInt(5)) * 3_600_000);
        const llegada = (t += (1 + randomInt(10)) * 3_600_000);
        const leg = {
          fecha_salida: fecha(salida),
          fecha_llegada: fecha(llegada),
          origen: { codigo: origen[0], nombre: origen[1] },
          destino: { codigo: destino[0], nombre: destino[1] },
        };
        origen = destino;
        return leg;
      }),
    };
  };
  const solicitud: Record<string, unknown> = {
    itinerarios: Array.from({ length: 1 + randomInt(2) }, () => ({
      odos: Array.from({ length: 1 + randomInt(2) }, () => ({ segmentos: Array.from({ length: 1 + randomInt(2) }, segmento) })),
    })),
  };
  if (randomInt(2)) solicitud.id_cliente = randomUUID();
  if (randomInt(3)) solicitud.pasajeros = [{ clase: uno(CLASES), tipo: 'Adulto' }, ...Array.from({ length: randomInt(3) }, () => ({ clase: uno(CLASES), tipo: uno(TIPOS) }))];
  return solicitud;
}

async function post(ruta: string, cuerpo: unknown): Promise<{ status: number; cuerpo: Record<string, unknown> }> {
  const res = await fetch(`${url('aeroalpes')}${ruta}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cuerpo) });
  return { status: res.status, cuerpo: (await res.json()) as Record<string, unknown> };
}

let cliente: MongoClient;
beforeAll(async () => {
  cliente = await MongoClient.connect(stackInfo().mongoUri, { serverSelectionTimeoutMS: 10_000 });
});
afterAll(async () => cliente?.close());

/** The stored document without what differs by construction: the id, the times, the outbox. */
const contenido = (doc: Record<string, unknown> | null) => {
  if (!doc) return doc;
  const { _id, fecha_creacion: _c, fecha_actualizacion: _a, outbox: _o, outbox_pendiente: _p, ...resto } = doc;
  return resto;
};

test('random valid requests: the same stored reserva by POST /vuelos/reserva and by POST /vuelos/reserva-comando', async () => {
  const reservas = cliente.db(stackInfo().mongoDb).collection<Record<string, unknown>>('reservas');
  for (let i = 0; i < 20; i++) {
    const solicitud = solicitudAlAzar();
    const sincrona = await post('/vuelos/reserva', solicitud);
    expect({ i, status: sincrona.status }).toEqual({ i, status: 200 });
    const asincrona = await post('/vuelos/reserva-comando', solicitud);
    expect({ i, status: asincrona.status }).toEqual({ i, status: 202 });
    const idAsincrona = String(asincrona.cuerpo.id);
    const porComando = await eventually(`reserva ${idAsincrona} in the write model`, async () => (await reservas.findOne({ _id: idAsincrona as never })) ?? undefined);
    const porRest = await reservas.findOne({ _id: String(sincrona.cuerpo.id) as never });
    expect({ i, solicitud, guardada: contenido(porComando) }).toEqual({ i, solicitud, guardada: contenido(porRest) });
    // And it is what was asked for: the customer and the pasajeros reached the store.
    expect(porComando).toMatchObject({ id_cliente: solicitud.id_cliente ?? null, pasajeros: solicitud.pasajeros ?? null });
  }
}, 120_000);
