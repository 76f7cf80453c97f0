/**
 * Repository tests of the aeroalpes service against the real MongoDB-protocol server (FerretDB 1.x
 * locally, MongoDB elsewhere). Env: MONGODB_URI (default mongodb://127.0.0.1:27017/) and
 * MONGODB_DB_TEST (default aeroalpes_repositorio_test); the guard refuses a name not ending in _test.
 */
import { stackInfo } from '../support/stack';
import { randomUUID } from 'node:crypto';
import { CommandStartedEvent, Db, MongoClient } from 'mongodb';
import { exigirBaseDePruebas, TIEMPO_MAXIMO_CONSULTA_MS } from '../../services/aeroalpes/src/seedwork/infraestructura/mongo';
import { AgregadoDuplicadoExcepcion, ConflictoVersionExcepcion } from '../../services/aeroalpes/src/seedwork/dominio/excepciones';
import { MensajeIntegracion } from '../../services/aeroalpes/src/seedwork/infraestructura/mensajes';
import { DespachadorEventosDominio } from '../../services/aeroalpes/src/seedwork/infraestructura/despachador-eventos';
import { PublicadorMemoria } from '../../services/aeroalpes/src/seedwork/infraestructura/publicadores';
import { RelayOutbox } from '../../services/aeroalpes/src/seedwork/infraestructura/outbox';
import { ArriendosMongo } from '../../services/aeroalpes/src/seedwork/infraestructura/arriendos-mongo';
import { UnidadDeTrabajo } from '../../services/aeroalpes/src/seedwork/infraestructura/uow';
import { RepositorioReservasMongo } from '../../services/aeroalpes/src/modulos/vuelos/infraestructura/repositorio-mongo';
import { VistaReservasMongo } from '../../services/aeroalpes/src/modulos/vuelos/infraestructura/vista-mongo';
import { TraductorEventosReserva } from '../../services/aeroalpes/src/modulos/vuelos/infraestructura/traductor';
import { RepositorioClientesMongo } from '../../services/aeroalpes/src/modulos/cliente/infraestructura/repositorio-mongo';
import { MapeadorSolicitudReserva, reservaADto } from '../../services/aeroalpes/src/modulos/vuelos/aplicacion/mapeadores';
import { copiaSolicitud, SOLICITUD_DOS_LEGS } from '../../services/aeroalpes/src/modulos/vuelos/aplicacion/ejemplos';
import { ReservaDTO } from '../../services/aeroalpes/src/modulos/vuelos/aplicacion/dto';
import { Reserva } from '../../services/aeroalpes/src/modulos/vuelos/dominio/reserva';

// The platform's MongoDB-protocol server (started by the integration run), unless MONGODB_URI says otherwise.
const URI = process.env.MONGODB_URI ?? stackInfo().mongoUri;
const BASE = exigirBaseDePruebas(process.env.MONGODB_DB_TEST ?? 'aeroalpes_repositorio_test');

let cliente: MongoClient;
let db: Db;
let reservas: RepositorioReservasMongo;
let vista: VistaReservasMongo;
let clientes: RepositorioClientesMongo;
let arriendos: ArriendosMongo;
let sufijo: string;

beforeAll(async () => {
  cliente = new MongoClient(URI, { serverSelectionTimeoutMS: 10000 });
  await cliente.connect();
  db = cliente.db(BASE);
  await db.dropDatabase();
});

afterAll(async () => {
  await db?.dropDatabase();
  await cliente?.close();
});

beforeEach(async () => {
  sufijo = randomUUID().slice(0, 8);
  reservas = RepositorioReservasMongo.enBase(db, `reservas_${sufijo}`);
  // Totals counted on every call here: the test writes and lists at once (the service reuses them for a while).
  vista = VistaReservasMongo.enBase(db, `reservas_vista_${sufijo}`, undefined, 0);
  clientes = RepositorioClientesMongo.enBase(db, `clientes_${sufijo}`);
  await reservas.asegurarIndices();
  await vista.asegurarIndices();
  arriendos = ArriendosMongo.enBase(db, `arriendos_${sufijo}`);
  await arriendos.asegurarIndices();
});

const nuevaReserva = (idCliente?: string): Reserva =>
  new MapeadorSolicitudReserva({ id: randomUUID(), ahora: new Date('2024-01-02T03:04:05Z') }).externoAEntidad({
    ...copiaSolicitud(SOLICITUD_DOS_LEGS),
    ...(idCliente ? { id_cliente: idCliente } : {}),
    pasajeros: [{ clase: 'Economica', tipo: 'Adulto' }],
  });

const mensaje = (idAgregado: string, version: number, time: number, type = 'ReservaCreada'): MensajeIntegracion => ({
  id: randomUUID(),
  topic: 'eventos-reserva',
  type,
  time,
  correlationId: 'corr-1',
  aggregateId: idAgregado,
  aggregateVersion: version,
  payload: { id_reserva: idAgregado, fecha_actualizacion: time },
});

describe('guard de base de pruebas', () => {
  it('rechaza nombres que no terminan en _test', () => {
    expect(() => exigirBaseDePruebas('aeroalpes')).toThrow(/no es de pruebas/);
    expect(() => exigirBaseDePruebas('aeroalpes_test_prod')).toThrow();
    expect(exigirBaseDePruebas('aeroalpes_test')).toBe('aeroalpes_test');
  });
});

describe('RepositorioReservasMongo', () => {
  it('crea los índices', async () => {
    const nombres = (await db.collection(reservas.nombre).listIndexes().toArray()).map((i) => i.name);
    expect(nombres).toContain('outbox_pendiente');
  });

  const flag = async (id: string) => (await db.collection(reservas.nombre).findOne({ _id: id as never }))?.outbox_pendiente;

  it('inserciones concurrentes van en lote y cada una tiene su propio resultado (un duplicado no arrastra a las demás)', async () => {
    const nuevas = Array.from({ length: 30 }, () => nuevaReserva());
    const repetida = nuevas[7]!;
    await reservas.guardar({ documento: reservas.aDocumento(repetida), versionEsperada: 0, versionNueva: 1, mensajes: [] });
    const resultados = await Promise.allSettled(
      nuevas.map((r) => reservas.guardar({ documento: reservas.aDocumento(r), versionEsperada: 0, versionNueva: 1, mensajes: [mensaje(r.id, 1, 1)] })),
    );
    expect(resultados.filter((r) => r.status === 'fulfilled')).toHaveLength(29);
    expect(resultados[7]).toMatchObject({ status: 'rejected', reason: expect.any(AgregadoDuplicadoExcepcion) });
    expect(await db.collection(reservas.nombre).countDocuments({})).toBe(30);
    for (const r of nuevas.filter((x) => x !== repetida)) {
      expect((await reservas.obtenerPorId(r.id))?.version).toBe(1);
      expect(await flag(r.id)).toBe(true);
    }
    expect(await flag(repetida.id)).toBe(false); // the first write, without messages, stands
  });

  it('marcar el outbox entero de su versión lo vacía y quita la marca; con una versión posterior la marca queda', async () => {
    const reserva = nuevaReserva();
    const a = mensaje(reserva.id, 1, 1);
    await reservas.guardar({ documento: reservas.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [a] });
    expect(await flag(reserva.id)).toBe(true);
    await reservas.marcarEnviados(reserva.id, [a], { outboxCompletoEnVersion: 1 });
    expect(await flag(reserva.id)).toBe(false);
    expect(await reservas.pendientes({ hasta: Number.MAX_SAFE_INTEGER, limite: 10 })).toEqual([]);

    // A second commit (version 2) adds b; marking a version-1 outbox "complete" must not hide b.
    const otra = nuevaReserva();
    const [x, y] = [mensaje(otra.id, 1, 1), mensaje(otra.id, 2, 2, 'ReservaAprobada')];
    await reservas.guardar({ documento: reservas.aDocumento(otra), versionEsperada: 0, versionNueva: 1, mensajes: [x] });
    await reservas.guardar({ documento: { ...reservas.aDocumento(otra), estado: 'Aprobada' }, versionEsperada: 1, versionNueva: 2, mensajes: [y] });
    await reservas.marcarEnviados(otra.id, [x], { outboxCompletoEnVersion: 1 });
    expect(await flag(otra.id)).toBe(true);
    const [pend] = await reservas.pendientes({ hasta: Number.MAX_SAFE_INTEGER, limite: 10 });
    expect(pend).toMatchObject({ idAgregado: otra.id, version: 2 });
    expect(pend?.mensajes.map((m) => m.id)).toEqual([y.id]); // x was removed all the same
  });

  it('una marca sin mensajes (quitados sin versión) la limpia el propio relay al mirar', async () => {
    const reserva = nuevaReserva();
    const a = mensaje(reserva.id, 1, 1);
    await reservas.guardar({ documento: reservas.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [a] });
    await reservas.marcarEnviados(reserva.id, [a]);
    expect(await flag(reserva.id)).toBe(true);
    expect(await reservas.pendientes({ hasta: Number.MAX_SAFE_INTEGER, limite: 10 })).toEqual([]);
    expect(await flag(reserva.id)).toBe(false);
  });

  it('la migración marca una sola vez los documentos anteriores a la marca que tienen outbox', async () => {
    const [conOutbox, sinOutbox] = [nuevaReserva(), nuevaReserva()];
    const coleccion = db.collection(reservas.nombre);
    const { _id: id1, ...doc1 } = reservas.aDocumento(conOutbox);
    const { _id: id2, ...doc2 } = reservas.aDocumento(sinOutbox);
    await coleccion.insertMany([
      { _id: id1 as never, ...doc1, version: 1, outbox: [mensaje(conOutbox.id, 1, 1)] },
      { _id: id2 as never, ...doc2, version: 1, outbox: [] },
    ]);
    await reservas.migrarMarcaPendiente(db);
    expect(await flag(conOutbox.id)).toBe(true);
    expect(await flag(sinOutbox.id)).toBeUndefined();
    expect((await reservas.pendientes({ hasta: Number.MAX_SAFE_INTEGER, limite: 10 })).map((p) => p.idAgregado)).toEqual([conOutbox.id]);
    await coleccion.updateOne({ _id: id2 as never }, { $set: { outbox: [mensaje(sinOutbox.id, 1, 1)] } });
    await reservas.migrarMarcaPendiente(db); // recorded: does not scan again
    expect(await flag(sinOutbox.id)).toBeUndefined();
  });

  it('dos réplicas que arrancan a la vez sobre una base nueva preparan las colecciones y migran sin error', async () => {
    const migraciones = db.collection<{ _id: string }>('migraciones');
    // What aeroalpes' main.ts does at start, on collections no replica has created yet.
    const arrancar = async (sufijoRonda: string) => {
      const r = RepositorioReservasMongo.enBase(db, `reservas_${sufijoRonda}`);
      await r.asegurarIndices();
      await r.migrarMarcaPendiente(db);
      await VistaReservasMongo.enBase(db, `reservas_vista_${sufijoRonda}`, undefined, 0).asegurarIndices();
      await ArriendosMongo.enBase(db, `arriendos_${sufijoRonda}`).asegurarIndices();
    };
    // FerretDB 1.x does not upsert atomically: two replicas that both found no record race to insert it.
    for (let ronda = 0; ronda < 10; ronda++) {
      const sufijoRonda = `${sufijo}_${ronda}`;
      await expect(Promise.all([arrancar(sufijoRonda), arrancar(sufijoRonda)])).resolves.toEqual([undefined, undefined]);
      expect(await migraciones.countDocuments({ _id: `reservas_${sufijoRonda}:outbox_pendiente` })).toBe(1);
    }
  });

  it('inserta el agregado con su outbox en un documento y lo relee igual', async () => {
    const reserva = nuevaReserva(randomUUID());
    const m = mensaje(reserva.id, 1, Date.now());
    await reservas.guardar({ documento: reservas.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [m] });
    const crudo = await db.collection(reservas.nombre).findOne({ _id: reserva.id as never });
    expect(crudo?.version).toBe(1);
    expect(crudo?.outbox).toEqual([m]);
    expect(crudo?.fecha_creacion).toBeInstanceOf(Date);
    const leida = await reservas.obtenerPorId(reserva.id);
    expect(leida?.version).toBe(1);
    expect(reservaADto(leida as Reserva)).toEqual({ ...reservaADto(reserva), version: 1 });
  });

  it('un id repetido es AgregadoDuplicadoExcepcion', async () => {
    const reserva = nuevaReserva();
    const escritura = { documento: reservas.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [] };
    await reservas.guardar(escritura);
    await expect(reservas.guardar(escritura)).rejects.toBeInstanceOf(AgregadoDuplicadoExcepcion);
  });

  it('actualiza solo con la versión esperada y agrega mensajes al outbox', async () => {
    const reserva = nuevaReserva();
    const m1 = mensaje(reserva.id, 1, 1000);
    await reservas.guardar({ documento: reservas.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [m1] });
    reserva.marcarPersistido(1);
    reserva.aprobar(new Date('2024-01-03T00:00:00Z'));
    const m2 = mensaje(reserva.id, 2, 2000, 'ReservaAprobada');
    await reservas.guardar({ documento: reservas.aDocumento(reserva), versionEsperada: 1, versionNueva: 2, mensajes: [m2] });
    const crudo = await db.collection(reservas.nombre).findOne({ _id: reserva.id as never });
    expect(crudo?.version).toBe(2);
    expect(crudo?.estado).toBe('Aprobada');
    expect((crudo?.outbox as MensajeIntegracion[]).map((m) => m.id)).toEqual([m1.id, m2.id]);

    // A writer that read version 1 loses: 409, nothing overwritten.
    await expect(
      reservas.guardar({ documento: reservas.aDocumento(reserva), versionEsperada: 1, versionNueva: 2, mensajes: [mensaje(reserva.id, 2, 3000)] }),
    ).rejects.toBeInstanceOf(ConflictoVersionExcepcion);
    const despues = await db.collection(reservas.nombre).findOne({ _id: reserva.id as never });
    expect((despues?.outbox as unknown[]).length).toBe(2);
  });

  it('marcarEnviados quita exactamente esos mensajes y es idempotente', async () => {
    const reserva = nuevaReserva();
    const [a, b, c] = [mensaje(reserva.id, 1, 1), mensaje(reserva.id, 1, 2), mensaje(reserva.id, 1, 3)] as const;
    await reservas.guardar({ documento: reservas.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [a, b, c] });
    await reservas.marcarEnviados(reserva.id, [a, c]);
    await reservas.marcarEnviados(reserva.id, [a, c]);
    const [pend] = await reservas.pendientes({ hasta: Number.MAX_SAFE_INTEGER, limite: 10 });
    expect(pend?.mensajes.map((m) => m.id)).toEqual([b.id]);
    // Messages read back from the database (as the relay has them) are removed too.
    await reservas.marcarEnviados(reserva.id, pend?.mensajes ?? []);
    expect(await reservas.pendientes({ hasta: Number.MAX_SAFE_INTEGER, limite: 10 })).toEqual([]);
  });

  it('pendientes respeta la edad y el límite', async () => {
    const ahora = Date.now();
    const viejas = [nuevaReserva(), nuevaReserva(), nuevaReserva()];
    for (const r of viejas) {
      await reservas.guardar({ documento: reservas.aDocumento(r), versionEsperada: 0, versionNueva: 1, mensajes: [mensaje(r.id, 1, ahora - 60000)] });
    }
    const fresca = nuevaReserva();
    await reservas.guardar({ documento: reservas.aDocumento(fresca), versionEsperada: 0, versionNueva: 1, mensajes: [mensaje(fresca.id, 1, ahora)] });
    const hasta = ahora - 10000;
    const todas = await reservas.pendientes({ hasta, limite: 100 });
    expect(todas.map((p) => p.idAgregado).sort()).toEqual(viejas.map((r) => r.id).sort());
    expect(await reservas.pendientes({ hasta, limite: 2 })).toHaveLength(2);
  });

  it('UoW + relay: un commit cuya publicación falla deja el outbox y el relay lo publica con los mismos ids', async () => {
    const caido = new PublicadorMemoria();
    caido.fallarCon();
    const uow = new UnidadDeTrabajo('corr-relay', {
      despachador: new DespachadorEventosDominio(),
      traductor: new TraductorEventosReserva('eventos-reserva'),
      publicador: caido,
    });
    const reserva = nuevaReserva(randomUUID());
    await uow.registrarAgregado(reserva, reservas);
    const informe = await uow.commit();
    expect(informe.pendientes).toBe(1);
    const idsCommit = informe.mensajes.map((m) => m.id);

    const publicador = new PublicadorMemoria();
    const relay = new RelayOutbox([reservas], publicador, { edadMinimaMs: 0, intervaloMs: 0 });
    expect(await relay.ejecutar()).toEqual({ publicados: 1, fallidos: 0, enCuarentena: 0 });
    expect(publicador.publicados.map((m) => m.id)).toEqual(idsCommit);
    expect(publicador.publicados[0]).toMatchObject({ type: 'ReservaCreada', correlationId: 'corr-relay', aggregateVersion: 1 });
    expect(await reservas.pendientes({ hasta: Number.MAX_SAFE_INTEGER, limite: 10 })).toEqual([]);
    expect(await relay.ejecutar()).toEqual({ publicados: 0, fallidos: 0, enCuarentena: 0 });
  });
});

describe('ArriendosMongo: los arriendos del relay de cada réplica', () => {
  it('descansan en un índice único de la clave', async () => {
    const indices = await db.collection(`arriendos_${sufijo}`).listIndexes().toArray();
    expect(indices.find((i) => i.name === 'clave')).toMatchObject({ key: { clave: 1 }, unique: true });
  });

  it('de varias tomas simultáneas de una clave gana exactamente una; vencido, de varias que lo toman gana una', async () => {
    const ahora = Date.now();
    const duenios = ['a', 'b', 'c', 'd', 'e'];
    for (let ronda = 0; ronda < 10; ronda++) {
      const clave = `reservas/${randomUUID()}`;
      const tomas = await Promise.all(duenios.map((duenio) => arriendos.tomar(clave, { duenio, ahora, vence: ahora + 1000 })));
      const ganadores = tomas.filter((t) => t !== null);
      expect(ganadores).toHaveLength(1);
      const primero = ganadores[0]!;
      // Still held: refused to the others, whatever they try.
      for (const duenio of duenios.filter((d) => d !== primero.duenio)) expect(await arriendos.tomar(clave, { duenio, ahora: ahora + 999, vence: ahora + 2000 })).toBeNull();
      // Expired (its owner died): the others race to take it over, one wins.
      const relevos = await Promise.all(duenios.filter((d) => d !== primero.duenio).map((duenio) => arriendos.tomar(clave, { duenio, ahora: ahora + 1000, vence: ahora + 2000 })));
      expect(relevos.filter((t) => t !== null)).toHaveLength(1);
      expect(await db.collection(`arriendos_${sufijo}`).countDocuments({ clave })).toBe(1);
    }
  });

  it('soltar quita ese arriendo y no el que lo relevó', async () => {
    const clave = `reservas/${randomUUID()}`;
    const viejo = (await arriendos.tomar(clave, { duenio: 'a', ahora: 0, vence: 100 }))!;
    const nuevo = (await arriendos.tomar(clave, { duenio: 'b', ahora: 100, vence: Number.MAX_SAFE_INTEGER }))!;
    expect(nuevo).toMatchObject({ duenio: 'b' });
    await arriendos.soltar(viejo);
    expect(await arriendos.tomar(clave, { duenio: 'a', ahora: 200, vence: 300 })).toBeNull();
    await arriendos.soltar(nuevo);
    expect(await arriendos.tomar(clave, { duenio: 'a', ahora: 200, vence: 300 })).toMatchObject({ duenio: 'a' });
  });

  it('dos relays (dos réplicas) sobre la misma base publican cada mensaje pendiente una vez, sin tocar los documentos de las reservas', async () => {
    const ahora = Date.now();
    const pendientes: MensajeIntegracion[] = [];
    for (let i = 0; i < 20; i++) {
      const r = nuevaReserva();
      const m = [mensaje(r.id, 1, ahora - 60000), mensaje(r.id, 1, ahora - 60000, 'ReservaAprobada')];
      pendientes.push(...m);
      await reservas.guardar({ documento: reservas.aDocumento(r), versionEsperada: 0, versionNueva: 1, mensajes: m });
    }
    const [a, b] = [new PublicadorMemoria(), new PublicadorMemoria()];
    const relays = [
      new RelayOutbox([reservas], a, { edadMinimaMs: 0, intervaloMs: 0, arriendos, duenio: 'replica-a' }),
      new RelayOutbox([reservas], b, { edadMinimaMs: 0, intervaloMs: 0, arriendos, duenio: 'replica-b' }),
    ];
    const informes = await Promise.all(relays.map((r) => r.ejecutar()));
    expect([...a.publicados, ...b.publicados].map((m) => m.id).sort()).toEqual(pendientes.map((m) => m.id).sort());
    expect(informes.map((i) => i.fallidos)).toEqual([0, 0]);
    expect(await reservas.pendientes({ hasta: Number.MAX_SAFE_INTEGER, limite: 100 })).toEqual([]);
    expect(await db.collection(`arriendos_${sufijo}`).countDocuments({})).toBe(0); // all given back
    const campos = new Set((await db.collection(reservas.nombre).find({}).toArray()).flatMap((d) => Object.keys(d)));
    expect([...campos].filter((c) => /arriendo|duenio|vence/.test(c))).toEqual([]);
  });

  it('pendientesDe lee el outbox de una reserva tal como está ahora', async () => {
    const reserva = nuevaReserva();
    const a = mensaje(reserva.id, 1, 1);
    await reservas.guardar({ documento: reservas.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [a] });
    expect(await reservas.pendientesDe(reserva.id)).toEqual({ idAgregado: reserva.id, version: 1, mensajes: [a] });
    await reservas.marcarEnviados(reserva.id, [a], { outboxCompletoEnVersion: 1 });
    expect(await reservas.pendientesDe(reserva.id)).toBeNull();
    expect(await reservas.pendientesDe(randomUUID())).toBeNull();
  });
});

describe('VistaReservasMongo', () => {
  const dto = (base: ReservaDTO, cambios: Partial<ReservaDTO>): ReservaDTO => ({ ...structuredClone(base), ...cambios });

  it('escribe solo versiones más nuevas (idempotente y ordenada)', async () => {
    const reserva = reservaADto(nuevaReserva());
    expect(await vista.guardarSiMasNueva(dto(reserva, { version: 2, estado: 'Aprobada' }))).toBe(true);
    expect(await vista.guardarSiMasNueva(dto(reserva, { version: 2, estado: 'Aprobada' }))).toBe(false);
    expect(await vista.guardarSiMasNueva(dto(reserva, { version: 1, estado: 'Pendiente' }))).toBe(false);
    expect((await vista.obtener(reserva.id))?.estado).toBe('Aprobada');
    expect(await vista.guardarSiMasNueva(dto(reserva, { version: 3, estado: 'Pagada' }))).toBe(true);
    expect(await vista.obtener(reserva.id)).toEqual(dto(reserva, { version: 3, estado: 'Pagada' }));
    expect(await vista.obtener(randomUUID())).toBeNull();
  });

  it('las versiones 1 concurrentes van en un lote; un id repetido es "ya estaba" (false), no un error', async () => {
    const reservasNuevas = Array.from({ length: 20 }, () => reservaADto(nuevaReserva()));
    const [primera] = await Promise.all([vista.guardarSiMasNueva(reservasNuevas[0]!), ...reservasNuevas.slice(1).map((r) => vista.guardarSiMasNueva(r))]);
    expect(primera).toBe(true);
    const otraVez = await Promise.all(reservasNuevas.map((r) => vista.guardarSiMasNueva(r)));
    expect(otraVez).toEqual(reservasNuevas.map(() => false));
    for (const r of reservasNuevas) expect(await vista.obtener(r.id)).toEqual(r);
  });

  it('lista por estado, más recientes primero, paginado, con total', async () => {
    const base = reservaADto(nuevaReserva());
    const fechas = ['2024-01-01T00:00:00Z', '2024-01-03T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-04T00:00:00Z'];
    const estados = ['Pendiente', 'Cancelada', 'Aprobada', 'Cancelada'] as const;
    const ids = fechas.map(() => randomUUID());
    for (let i = 0; i < fechas.length; i++) {
      await vista.guardarSiMasNueva(dto(base, { id: ids[i] as string, fecha_creacion: fechas[i] as string, estado: estados[i], version: 1 }));
    }
    const todas = await vista.listar({ pagina: 1, tamano: 10 });
    expect(todas.total).toBe(4);
    expect(todas.elementos.map((r) => r.fecha_creacion)).toEqual([...fechas].sort().reverse());
    const canceladas = await vista.listar({ estados: ['Cancelada'], pagina: 1, tamano: 1 });
    expect(canceladas.total).toBe(2);
    expect(canceladas.elementos.map((r) => r.id)).toEqual([ids[3]]);
    const segunda = await vista.listar({ estados: ['Cancelada'], pagina: 2, tamano: 1 });
    expect(segunda.elementos.map((r) => r.id)).toEqual([ids[1]]);
    const noPagadas = await vista.listar({ estados: ['Pendiente', 'Aprobada'], pagina: 1, tamano: 10 });
    expect(noPagadas.elementos.map((r) => r.id)).toEqual([ids[2], ids[0]]);
    expect(noPagadas.elementos[0]).not.toHaveProperty('_id');
  });
});

describe('RepositorioClientesMongo', () => {
  it('agrega reservas al cliente como un conjunto (idempotente)', async () => {
    const idCliente = randomUUID();
    const [r1, r2] = [randomUUID(), randomUUID()];
    expect(await clientes.obtener(idCliente)).toBeNull();
    await clientes.agregarReserva(idCliente, r1);
    await clientes.agregarReserva(idCliente, r1);
    await clientes.agregarReserva(idCliente, r2);
    expect(await clientes.obtener(idCliente)).toEqual({ id: idCliente, reservas: [r1, r2] });
  });
});

describe('maxTimeMS en cada lectura (el servidor real lo recibe y lo acepta)', () => {
  it('find, findOne y count de los tres adaptadores llevan maxTimeMS', async () => {
    const vigilado = new MongoClient(URI, { serverSelectionTimeoutMS: 10000, monitorCommands: true });
    const comandos: CommandStartedEvent[] = [];
    vigilado.on('commandStarted', (c) => comandos.push(c));
    try {
      const dbVigilada = vigilado.db(BASE);
      const sufijo = randomUUID().slice(0, 8);
      const r = RepositorioReservasMongo.enBase(dbVigilada, `reservas_${sufijo}`);
      const v = VistaReservasMongo.enBase(dbVigilada, `reservas_vista_${sufijo}`, undefined, 0);
      const c = RepositorioClientesMongo.enBase(dbVigilada, `clientes_${sufijo}`);
      const reserva = nuevaReserva();
      await r.guardar({ documento: r.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [] });
      await v.guardarSiMasNueva(reservaADto(reserva));
      await c.agregarReserva(randomUUID(), reserva.id);
      comandos.length = 0;
      expect(await r.obtenerPorId(reserva.id)).not.toBeNull();
      await r.pendientes({ hasta: Date.now(), limite: 10 });
      expect(await v.obtener(reserva.id)).not.toBeNull();
      expect((await v.listar({ pagina: 1, tamano: 10 })).total).toBe(1);
      expect(await c.obtener(randomUUID())).toBeNull();
      const lecturas = comandos.filter((e) => ['find', 'aggregate', 'count'].includes(e.commandName));
      expect(lecturas.length).toBeGreaterThanOrEqual(5);
      for (const e of lecturas)
        expect({ comando: e.commandName, maxTimeMS: e.command.maxTimeMS as unknown }).toEqual({ comando: e.commandName, maxTimeMS: TIEMPO_MAXIMO_CONSULTA_MS });
    } finally {
      await vigilado.close();
    }
  });
});
