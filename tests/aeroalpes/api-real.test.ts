/**
 * The REST API of the real aeroalpes process (on the real platform: FerretDB, daprd, Pulsar): every
 * endpoint, every error status, and the hostile corpus replayed against both create endpoints,
 * asserting the status, the error body, and that nothing was written to MongoDB nor published.
 */
import { MongoClient } from 'mongodb';
import { CORPUS_HOSTIL, peticionDeCaso, RUTAS_CORPUS } from '../../services/aeroalpes/src/api/corpus-hostil';
import { eventually, guardDatabase, stackInfo, url } from '../support/stack';

// The contract's minimal reserva (BOG -> JFK), the sample file the README and the CLI use.
import RESERVA from '../../examples/reserva.json';

let mongo: MongoClient;
beforeAll(async () => {
  mongo = await MongoClient.connect(stackInfo().mongoUri);
});
afterAll(async () => {
  await mongo.close();
});

/** Documents in every collection aeroalpes writes (write model, read model, clientes, command outbox). */
async function escrito(): Promise<Record<string, number>> {
  const db = mongo.db(guardDatabase(stackInfo().mongoDb));
  const cuentas: Record<string, number> = {};
  for (const c of ['reservas', 'reservas_vista', 'clientes', 'comandos_pendientes']) cuentas[c] = await db.collection(c).countDocuments();
  return cuentas;
}

/** Messages Pulsar has received on a topic, from its stats (what was published, by anyone). */
async function publicados(topic: string): Promise<number> {
  const res = await fetch(`${stackInfo().pulsarAdmin}/admin/v2/persistent/public/default/${topic}/stats`);
  if (res.status === 404) return 0;
  const stats = (await res.json()) as { msgInCounter?: number };
  return stats.msgInCounter ?? 0;
}

async function pedir(metodo: string, ruta: string, cuerpo?: unknown) {
  const res = await fetch(`${url('aeroalpes')}${ruta}`, {
    method: metodo,
    ...(cuerpo === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(cuerpo) }),
  });
  const texto = await res.text();
  return { status: res.status, tipo: res.headers.get('content-type') ?? '', cuerpo: texto ? JSON.parse(texto) : undefined };
}

describe('REST API of the real server', () => {
  test('every endpoint answers as documented', async () => {
    expect(await pedir('GET', '/health')).toMatchObject({ status: 200, cuerpo: { status: 'up' } });
    const spec = await pedir('GET', '/spec');
    expect(spec.status).toBe(200);
    expect(spec.cuerpo.openapi).toMatch(/^3\./);

    const creada = await pedir('POST', '/vuelos/reserva', { ...RESERVA, id_cliente: '0b5c8a1e-1d2f-4a3b-9c4d-5e6f7a8b9c0d' });
    expect(creada.status).toBe(200);
    const id = creada.cuerpo.id as string;
    expect(creada.cuerpo).toMatchObject({ estado: 'Pendiente', id_cliente: '0b5c8a1e-1d2f-4a3b-9c4d-5e6f7a8b9c0d', itinerarios: RESERVA.itinerarios });
    expect(creada.cuerpo.fecha_creacion).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect((await pedir('GET', `/vuelos/reserva/${id}`)).cuerpo).toMatchObject({ id, estado: 'Pendiente' });
    await eventually('the read model', async () => ((await pedir('GET', `/vuelos/reserva-query/${id}`)).status === 200 ? true : undefined));
    expect((await pedir('GET', '/clientes/0b5c8a1e-1d2f-4a3b-9c4d-5e6f7a8b9c0d')).cuerpo).toMatchObject({ reservas: expect.arrayContaining([id]) });

    expect((await pedir('POST', `/vuelos/reserva/${id}/aprobar`)).cuerpo.estado).toBe('Aprobada');
    expect((await pedir('POST', `/vuelos/reserva/${id}/pagar`)).cuerpo.estado).toBe('Pagada');
    const tarde = await pedir('POST', `/vuelos/reserva/${id}/cancelar`);
    expect(tarde).toMatchObject({ status: 409, cuerpo: { error: 'transicion_invalida' } });

    await eventually('the paid reserva in the lists', async () => {
      const lista = await pedir('GET', '/vuelos/reservas?estado=Pagada&pagina=1&tamano=50');
      return lista.status === 200 && JSON.stringify(lista.cuerpo).includes(id) ? true : undefined;
    });
    expect((await pedir('GET', '/vuelos/reservas/no-pagadas')).status).toBe(200);
    expect((await pedir('GET', '/vuelos/reservas/canceladas')).status).toBe(200);

    const asincrona = await pedir('POST', '/vuelos/reserva-comando', RESERVA);
    expect(asincrona.status).toBe(202);
  });

  test("the operator reads the relay's quarantine (empty: nothing keeps failing)", async () => {
    const res = await fetch(`${url('aeroalpes')}/operador/outbox/cuarentena`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ agregados: [] });
  });

  test('every error status is JSON with the reason', async () => {
    const desconocido = '6f1d2c3b-4a5e-4f60-8a7b-9c8d7e6f5a4b';
    expect(await pedir('GET', `/vuelos/reserva/${desconocido}`)).toMatchObject({ status: 404, cuerpo: { error: 'no_encontrado' } });
    expect(await pedir('GET', `/vuelos/reserva-query/${desconocido}`)).toMatchObject({ status: 404, cuerpo: { error: 'no_encontrado' } });
    expect(await pedir('POST', `/vuelos/reserva/${desconocido}/aprobar`)).toMatchObject({ status: 404 });
    expect(await pedir('GET', '/vuelos/reserva/no-es-uuid')).toMatchObject({ status: 400, cuerpo: { error: 'validacion' } });
    expect((await pedir('GET', '/no-existe')).status).toBe(404);
    expect((await pedir('DELETE', '/vuelos/reserva')).status).toBe(405);
    expect(await pedir('GET', '/vuelos/reservas?tamano=100000')).toMatchObject({ status: 400, cuerpo: { error: 'validacion' } });
    expect(await pedir('GET', '/vuelos/reservas?pagina=01')).toMatchObject({ status: 400, cuerpo: { errores: [{ campo: 'pagina', regla: 'type' }] } });
    expect(await pedir('GET', '/vuelos/reservas?pagina=9999')).toMatchObject({ status: 400, cuerpo: { errores: [{ campo: 'pagina', regla: 'ProfundidadPaginaMaxima' }] } });
    expect(await pedir('GET', '/vuelos/reservas?pagina=500&tamano=20')).toMatchObject({ status: 200, cuerpo: { pagina: 500, tamano: 20 } });
    const creada = await pedir('POST', '/vuelos/reserva', RESERVA);
    const conflicto = await pedir('POST', `/vuelos/reserva/${creada.cuerpo.id}/aprobar`, { version: 99 });
    expect(conflicto).toMatchObject({ status: 409, cuerpo: { error: 'conflicto_version' } });
    for (const r of [conflicto]) expect(r.tipo).toMatch(/application\/json/);
  });

  test(`the hostile corpus (${CORPUS_HOSTIL.length} bodies x ${RUTAS_CORPUS.length} endpoints) is refused and writes nothing`, async () => {
    expect(CORPUS_HOSTIL.length).toBeGreaterThanOrEqual(50);
    // Let earlier tests' asynchronous work (commands, projections) settle before counting.
    await new Promise((r) => setTimeout(r, 2000));
    const antes = await escrito();
    const eventosAntes = await publicados('eventos-reserva');
    const comandosAntes = await publicados('comandos-reserva');
    // The counters are live (the tests above published on both topics), so "unchanged" means something.
    expect(eventosAntes).toBeGreaterThan(0);
    expect(comandosAntes).toBeGreaterThan(0);
    const fallos: string[] = [];
    for (const ruta of RUTAS_CORPUS) {
      for (const caso of CORPUS_HOSTIL) {
        const { headers, body } = peticionDeCaso(caso);
        const res = await fetch(`${url('aeroalpes')}${ruta}`, { method: 'POST', headers, body: body as BodyInit });
        const texto = await res.text();
        let cuerpo: any;
        try {
          cuerpo = JSON.parse(texto);
        } catch {
          fallos.push(`${ruta} ${caso.nombre}: not JSON (${res.status}): ${texto.slice(0, 80)}`);
          continue;
        }
        if (res.status !== caso.esperado.estado || cuerpo.error !== caso.esperado.error) {
          fallos.push(`${ruta} ${caso.nombre}: ${res.status} ${cuerpo.error}, expected ${caso.esperado.estado} ${caso.esperado.error}`);
        } else if (caso.esperado.campo && !cuerpo.errores?.some((e: any) => e.campo === caso.esperado.campo && (!caso.esperado.regla || e.regla === caso.esperado.regla))) {
          fallos.push(`${ruta} ${caso.nombre}: no error names ${caso.esperado.campo}/${caso.esperado.regla}: ${JSON.stringify(cuerpo.errores)}`);
        }
      }
    }
    expect(fallos).toEqual([]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await escrito()).toEqual(antes);
    expect(await publicados('eventos-reserva')).toBe(eventosAntes);
    expect(await publicados('comandos-reserva')).toBe(comandosAntes);
    // The server is still healthy after all of it.
    expect((await pedir('GET', '/health')).status).toBe(200);
  });
});
