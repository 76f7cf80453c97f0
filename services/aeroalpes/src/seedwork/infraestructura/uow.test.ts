import { loggerEnMemoria } from '@aeroalpes/comun';
import { ConflictoVersionExcepcion, AgregadoDuplicadoExcepcion } from '../dominio/excepciones';
import { MapeadorSolicitudReserva } from '../../modulos/vuelos/aplicacion/mapeadores';
import { SOLICITUD_MINIMA } from '../../modulos/vuelos/aplicacion/ejemplos';
import { ReservaCreada } from '../../modulos/vuelos/dominio/eventos';
import { Reserva } from '../../modulos/vuelos/dominio/reserva';
import { RepositorioReservasMemoria } from '../../modulos/vuelos/infraestructura/memoria';
import { TraductorEventosReserva } from '../../modulos/vuelos/infraestructura/traductor';
import { DespachadorEventosDominio } from './despachador-eventos';
import { MensajeIntegracion, PublicadorMensajes } from './mensajes';
import { ArriendosMemoria } from './arriendos';
import { EscrituraConOutbox, OutboxPendiente, RelayOutbox } from './outbox';
import { PublicadorMemoria } from './publicadores';
import { DependenciasUoW, UnidadDeTrabajo } from './uow';

const AHORA = new Date('2024-05-01T10:00:00Z');
let secuencia = 0;
const nueva = (id = `r-${++secuencia}`) => new MapeadorSolicitudReserva({ id, ahora: AHORA }).externoAEntidad(SOLICITUD_MINIMA);

/** Records the order of what happens: writes, publications, reactions. */
function entorno(publicador: PublicadorMensajes = new PublicadorMemoria()) {
  const diario: string[] = [];
  const repo = new RepositorioReservasMemoria();
  const guardar = repo.guardar.bind(repo);
  const escrituras: EscrituraConOutbox<unknown>[] = [];
  repo.guardar = async (e) => {
    await guardar(e);
    escrituras.push(structuredClone(e));
    diario.push(`escribir v${e.versionNueva} (${e.mensajes.map((m) => m.type).join(',')})`);
  };
  const despachador = new DespachadorEventosDominio();
  let ids = 0;
  const deps: DependenciasUoW = {
    despachador,
    traductor: new TraductorEventosReserva('eventos-reserva'),
    publicador: {
      publicar: async (m) => {
        await publicador.publicar(m);
        diario.push(`publicar ${m.type} (en outbox: ${repo.outbox.some((o) => o.id === m.id)})`);
      },
    },
    reloj: () => AHORA.getTime(),
    generarId: () => `m-${++ids}`,
  };
  return { repo, despachador, deps, diario, escrituras, uow: new UnidadDeTrabajo('corr-1', deps) };
}

describe('UnidadDeTrabajo: commit', () => {
  it('escribe el agregado y su outbox en UNA escritura, y publica después', async () => {
    const publicador = new PublicadorMemoria();
    const { repo, uow, diario, escrituras } = entorno(publicador);
    const reserva = nueva();
    await uow.registrarAgregado(reserva, repo);
    expect(repo.documentos.size).toBe(0); // nothing before commit
    const informe = await uow.commit();

    expect(escrituras).toHaveLength(1);
    expect(escrituras[0]).toMatchObject({ versionEsperada: 0, versionNueva: 1, mensajes: [{ id: 'm-1', type: 'ReservaCreada' }] });
    expect(diario).toEqual(['escribir v1 (ReservaCreada)', 'publicar ReservaCreada (en outbox: true)']);
    expect(publicador.publicados).toEqual([
      {
        id: 'm-1',
        topic: 'eventos-reserva',
        type: 'ReservaCreada',
        time: AHORA.getTime(),
        correlationId: 'corr-1',
        aggregateId: reserva.id,
        aggregateVersion: 1,
        payload: expect.objectContaining({ id_reserva: reserva.id, id_cliente: '', estado: 'Pendiente', fecha_creacion: AHORA.getTime() }),
      },
    ]);
    expect(repo.outbox).toEqual([]); // marked sent
    expect(reserva.version).toBe(1);
    expect(informe).toMatchObject({ escritos: 1, publicados: 1, pendientes: 0 });
    expect(uow.batches).toEqual([]);
  });

  it('una publicación fallida no falla el commit y deja el mensaje en el outbox', async () => {
    const publicador = new PublicadorMemoria();
    publicador.fallarCon();
    const { repo, uow } = entorno(publicador);
    const reserva = nueva();
    await uow.registrarAgregado(reserva, repo);
    const informe = await uow.commit();
    expect(informe).toMatchObject({ publicados: 0, pendientes: 1 });
    expect(repo.outbox.map((m) => m.id)).toEqual(informe.mensajes.map((m) => m.id));
    expect(repo.documentos.get(reserva.id)?.estado).toBe('Pendiente');
  });

  it('publica en orden por agregado y se detiene en el primer fallo (el relay sigue en orden)', async () => {
    const publicador = new PublicadorMemoria();
    const { repo, uow } = entorno(publicador);
    const reserva = nueva();
    reserva.aprobar(AHORA);
    reserva.pagar(AHORA);
    await uow.registrarAgregado(reserva, repo);
    publicador.fallarCon((m) => m.type === 'ReservaAprobada');
    const informe = await uow.commit();
    expect(publicador.publicados.map((m) => m.type)).toEqual(['ReservaCreada']);
    expect(repo.outbox.map((m) => m.type)).toEqual(['ReservaAprobada', 'ReservaPagada']);
    expect(informe.mensajes.map((m) => m.aggregateVersion)).toEqual([1, 1, 1]);

    publicador.restablecer();
    await new RelayOutbox([repo], publicador, { edadMinimaMs: 0 }).ejecutar();
    expect(publicador.publicados.map((m) => m.type)).toEqual(['ReservaCreada', 'ReservaAprobada', 'ReservaPagada']);
    expect(publicador.publicados.map((m) => m.id)).toEqual(informe.mensajes.map((m) => m.id));
  });

  it('caída entre la escritura y la publicación: un relay nuevo publica exactamente lo pendiente con los mismos ids', async () => {
    // The "process" dies while publishing: the publication never completes.
    const colgado: PublicadorMensajes = { publicar: () => new Promise<void>(() => undefined) };
    const { repo, uow } = entorno(colgado);
    const otra = nueva();
    // Another aggregate, already fully published before the crash: must not be republished.
    const previo = entorno();
    await previo.uow.registrarAgregado(otra, repo);
    await previo.uow.commit();

    const reserva = nueva();
    reserva.aprobar(AHORA);
    await uow.registrarAgregado(reserva, repo);
    void uow.commit(); // never resolves
    await new Promise((r) => setImmediate(r));
    const pendientes = repo.outbox;
    expect(pendientes.map((m) => m.type)).toEqual(['ReservaCreada', 'ReservaAprobada']);

    // "Restart": a new relay over the same store.
    const publicador = new PublicadorMemoria();
    const relay = new RelayOutbox([repo], publicador, { edadMinimaMs: 0, intervaloMs: 0 });
    expect(await relay.ejecutar()).toEqual({ publicados: 2, fallidos: 0, enCuarentena: 0 });
    expect(publicador.publicados).toEqual(pendientes);
    expect(repo.outbox).toEqual([]);
    expect(await relay.ejecutar()).toEqual({ publicados: 0, fallidos: 0, enCuarentena: 0 });
    expect(publicador.publicados).toHaveLength(2);
  });

  it('un fallo al quitar lo publicado del outbox no falla el commit; el relay lo publica de nuevo con los mismos ids', async () => {
    const publicador = new PublicadorMemoria();
    const { repo, uow } = entorno(publicador);
    const marcar = repo.marcarEnviados.bind(repo);
    repo.marcarEnviados = async () => Promise.reject(new Error('base caída'));
    await uow.registrarAgregado(nueva(), repo);
    const informe = await uow.commit();
    expect(informe).toMatchObject({ publicados: 1, pendientes: 0 });
    expect(repo.outbox.map((m) => m.id)).toEqual(informe.mensajes.map((m) => m.id));

    repo.marcarEnviados = marcar;
    expect(await new RelayOutbox([repo], publicador, { edadMinimaMs: 0 }).ejecutar()).toEqual({ publicados: 1, fallidos: 0, enCuarentena: 0 });
    expect(publicador.publicados.map((m) => m.id)).toEqual([informe.mensajes[0]!.id, informe.mensajes[0]!.id]);
    expect(repo.outbox).toEqual([]);
  });

  it('conflicto de versión: una escritura basada en una lectura vieja se rechaza y no publica nada', async () => {
    const publicador = new PublicadorMemoria();
    const { repo, uow, deps } = entorno(publicador);
    await uow.registrarAgregado(nueva('r-conflicto'), repo);
    await uow.commit();

    const a = (await repo.obtenerPorId('r-conflicto')) as Reserva;
    const b = (await repo.obtenerPorId('r-conflicto')) as Reserva;
    a.aprobar(AHORA);
    const uowA = new UnidadDeTrabajo('corr-a', deps);
    await uowA.registrarAgregado(a, repo);
    await uowA.commit();

    b.cancelar(AHORA);
    const uowB = new UnidadDeTrabajo('corr-b', deps);
    await uowB.registrarAgregado(b, repo);
    await expect(uowB.commit()).rejects.toBeInstanceOf(ConflictoVersionExcepcion);
    expect(repo.documentos.get('r-conflicto')).toMatchObject({ estado: 'Aprobada', version: 2 });
    expect(publicador.publicados.map((m) => m.type)).toEqual(['ReservaCreada', 'ReservaAprobada']);
    expect(repo.outbox).toEqual([]);
  });

  it('un id repetido para un agregado nuevo es AgregadoDuplicadoExcepcion', async () => {
    const { repo, uow, deps } = entorno();
    await uow.registrarAgregado(nueva('r-dup'), repo);
    await uow.commit();
    const otra = new UnidadDeTrabajo('corr-2', deps);
    await otra.registrarAgregado(nueva('r-dup'), repo);
    await expect(otra.commit()).rejects.toBeInstanceOf(AgregadoDuplicadoExcepcion);
  });

  it('varias registraciones del mismo agregado son una escritura con todos sus mensajes', async () => {
    const { repo, uow, escrituras } = entorno();
    const reserva = nueva();
    await uow.registrarAgregado(reserva, repo);
    reserva.aprobar(AHORA);
    await uow.registrarAgregado(reserva, repo);
    await uow.commit();
    expect(escrituras).toHaveLength(1);
    expect(escrituras[0]?.mensajes.map((m) => [m.type, m.aggregateVersion])).toEqual([
      ['ReservaCreada', 1],
      ['ReservaAprobada', 1],
    ]);
    expect(repo.documentos.get(reserva.id)?.estado).toBe('Aprobada');
  });

  it('un agregado cambiado después de registrarse y no vuelto a registrar no se confirma (nunca pierde eventos en silencio)', async () => {
    const { repo, uow } = entorno();
    const reserva = nueva();
    await uow.registrarAgregado(reserva, repo);
    reserva.aprobar(AHORA);
    await expect(uow.commit()).rejects.toThrow(/eventos sin registrar/);
    expect(repo.documentos.size).toBe(0);
  });

  it('rechaza dos instancias distintas del mismo agregado', async () => {
    const { repo, uow } = entorno();
    await uow.registrarAgregado(nueva('r-x'), repo);
    await expect(uow.registrarAgregado(nueva('r-x'), repo)).rejects.toThrow(/dos instancias/);
  });
});

describe('UnidadDeTrabajo: batches, rollback y savepoints', () => {
  it('los eventos de dominio se despachan al registrar; las reacciones se escriben después del agregado', async () => {
    const { repo, uow, despachador, diario } = entorno();
    const recibidos: { tipo: string; correlacion?: string }[] = [];
    despachador.suscribir(ReservaCreada, (evento, { uow: u, idCorrelacion }) => {
      recibidos.push({ tipo: evento.tipo, ...(evento.idCorrelacion ? { correlacion: evento.idCorrelacion } : {}) });
      u.registrarBatch('reaccion', async () => void diario.push(`reaccion (${idCorrelacion})`));
    });
    await uow.registrarAgregado(nueva(), repo);
    expect(recibidos).toEqual([{ tipo: 'ReservaCreada', correlacion: 'corr-1' }]);
    expect(uow.batches.map((b) => b.tipo)).toEqual(['agregado', 'operacion']);
    await uow.commit();
    expect(diario).toEqual(['escribir v1 (ReservaCreada)', 'reaccion (corr-1)', 'publicar ReservaCreada (en outbox: true)']);
  });

  it('rollback() descarta todo, también las reacciones', async () => {
    const { repo, uow, despachador } = entorno();
    const reaccion = jest.fn(async () => undefined);
    despachador.suscribir(ReservaCreada, (_e, { uow: u }) => u.registrarBatch('reaccion', reaccion));
    await uow.registrarAgregado(nueva(), repo);
    uow.rollback();
    expect(uow.batches).toEqual([]);
    await uow.commit();
    expect(repo.documentos.size).toBe(0);
    expect(reaccion).not.toHaveBeenCalled();
  });

  it('rollback(savepoint) descarta solo lo registrado después del savepoint', async () => {
    const publicador = new PublicadorMemoria();
    const { repo, uow } = entorno(publicador);
    const a = nueva();
    const b = nueva();
    await uow.registrarAgregado(a, repo);
    const sp = uow.savepoint();
    await uow.registrarAgregado(b, repo);
    uow.registrarBatch('otra', async () => undefined);
    uow.rollback(sp);
    expect(uow.batches.map((x) => x.descripcion)).toEqual([`reservas:${a.id}`]);
    await uow.commit();
    expect([...repo.documentos.keys()]).toEqual([a.id]);
    expect(publicador.publicados.map((m) => m.aggregateId)).toEqual([a.id]);
  });

  it('rollback a un savepoint restaura la instantánea anterior del agregado y descarta sus eventos posteriores', async () => {
    const publicador = new PublicadorMemoria();
    const { repo, uow } = entorno(publicador);
    const reserva = nueva();
    await uow.registrarAgregado(reserva, repo);
    const sp = uow.savepoint();
    reserva.aprobar(AHORA);
    await uow.registrarAgregado(reserva, repo);
    uow.rollback(sp);
    await uow.commit();
    expect(repo.documentos.get(reserva.id)?.estado).toBe('Pendiente');
    expect(publicador.publicados.map((m) => m.type)).toEqual(['ReservaCreada']);
  });

  it('savepoints ajenos o inválidos se rechazan', async () => {
    const { uow, deps } = entorno();
    const otra = new UnidadDeTrabajo('x', deps);
    expect(() => uow.rollback(otra.savepoint())).toThrow(/savepoint inválido/);
    uow.registrarBatch('a', async () => undefined);
    const sp = uow.savepoint();
    uow.rollback();
    expect(() => uow.rollback(sp)).toThrow(/savepoint inválido/);
  });

  it('si un batch posterior falla, lo ya escrito queda y se publica; el commit falla', async () => {
    const publicador = new PublicadorMemoria();
    const { repo, uow } = entorno(publicador);
    const reserva = nueva();
    await uow.registrarAgregado(reserva, repo);
    uow.registrarBatch('rompe', async () => {
      throw new Error('falla de red');
    });
    const despues = jest.fn(async () => undefined);
    uow.registrarBatch('nunca', despues);
    await expect(uow.commit()).rejects.toThrow('falla de red');
    expect(repo.documentos.has(reserva.id)).toBe(true);
    expect(publicador.publicados.map((m) => m.type)).toEqual(['ReservaCreada']);
    expect(despues).not.toHaveBeenCalled();
    expect(uow.batches).toEqual([]);
  });

  it('no admite registrar durante el commit y es reutilizable después', async () => {
    const { repo, uow } = entorno();
    uow.registrarBatch('reentrante', async () => {
      expect(() => uow.registrarBatch('x', async () => undefined)).toThrow(/confirmando/);
    });
    await uow.commit();
    await uow.registrarAgregado(nueva(), repo);
    await uow.commit();
    expect(repo.documentos.size).toBe(1);
  });
});

async function esperarHasta(condicion: () => boolean, maximoMs = 3000): Promise<void> {
  const limite = Date.now() + maximoMs;
  while (!condicion()) {
    if (Date.now() > limite) throw new Error('la condición no se cumplió a tiempo');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('RelayOutbox', () => {
  async function conPendientes(n: number, reloj: () => number = () => AHORA.getTime()) {
    const caido = new PublicadorMemoria();
    caido.fallarCon();
    const { repo, deps } = entorno(caido);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const uow = new UnidadDeTrabajo(`c${i}`, { ...deps, reloj });
      const r = nueva();
      ids.push(r.id);
      await uow.registrarAgregado(r, repo);
      await uow.commit();
    }
    return { repo, ids };
  }

  it('deja los mensajes recientes a su commit (edad mínima)', async () => {
    const { repo } = await conPendientes(1);
    let ahora = AHORA.getTime() + 1000;
    const publicador = new PublicadorMemoria();
    const relay = new RelayOutbox([repo], publicador, { edadMinimaMs: 5000, reloj: () => ahora });
    expect(await relay.ejecutar()).toEqual({ publicados: 0, fallidos: 0, enCuarentena: 0 });
    ahora += 5000;
    expect(await relay.ejecutar()).toEqual({ publicados: 1, fallidos: 0, enCuarentena: 0 });
  });

  it('recorre todos los agregados aunque superen el límite por pasada', async () => {
    const { repo } = await conPendientes(5);
    const publicador = new PublicadorMemoria();
    expect(await new RelayOutbox([repo], publicador, { edadMinimaMs: 0, limite: 2 }).ejecutar()).toEqual({ publicados: 5, fallidos: 0, enCuarentena: 0 });
    expect(repo.outbox).toEqual([]);
  });

  it('con el broker caído no publica ni marca nada, y no lanza', async () => {
    const { repo } = await conPendientes(2);
    const publicador = new PublicadorMemoria();
    publicador.fallarCon();
    expect(await new RelayOutbox([repo], publicador, { edadMinimaMs: 0 }).ejecutar()).toEqual({ publicados: 0, fallidos: 2, enCuarentena: 0 });
    expect(repo.outbox).toHaveLength(2);
  });

  it('un almacén ilegible cuenta como fallo, no rompe', async () => {
    const roto = { nombre: 'roto', pendientes: async () => Promise.reject(new Error('sin red')), pendientesDe: async () => null, marcarEnviados: async () => undefined };
    expect(await new RelayOutbox([roto], new PublicadorMemoria()).ejecutar()).toEqual({ publicados: 0, fallidos: 1, enCuarentena: 0 });
  });

  it('un almacén que no quita lo publicado cuenta un fallo y se deja para la próxima pasada (no vuelve a leerlo)', async () => {
    const { repo } = await conPendientes(3);
    repo.marcarEnviados = async () => Promise.reject(new Error('base caída'));
    const publicador = new PublicadorMemoria();
    expect(await new RelayOutbox([repo], publicador, { edadMinimaMs: 0, limite: 1 }).ejecutar()).toEqual({ publicados: 1, fallidos: 1, enCuarentena: 0 });
    expect(repo.outbox).toHaveLength(3);
  });

  it('un agregado cuya publicación falla siempre se aparca tras N pasadas fallidas, se lista y no detiene a los demás', async () => {
    const { repo, ids } = await conPendientes(3);
    const [veneno, ...sanos] = ids as [string, ...string[]];
    const publicador = new PublicadorMemoria();
    publicador.fallarCon((m) => m.aggregateId === veneno);
    const log = loggerEnMemoria();
    // limite 1 and the poisoned aggregate the oldest: without stepping over it the others would wait.
    const relay = new RelayOutbox([repo], publicador, { edadMinimaMs: 0, limite: 1, intentosMaximos: 3, logger: log });
    expect(await relay.ejecutar()).toEqual({ publicados: 2, fallidos: 1, enCuarentena: 0 });
    expect(new Set(publicador.publicados.map((m) => m.aggregateId))).toEqual(new Set(sanos));
    // Two more failed passes in which something else went out (a new healthy aggregate each time).
    const caido = new PublicadorMemoria();
    caido.fallarCon();
    for (let i = 0; i < 2; i++) {
      const uow = new UnidadDeTrabajo(`n${i}`, { ...entorno(caido).deps, reloj: () => AHORA.getTime() });
      await uow.registrarAgregado(nueva(), repo);
      await uow.commit();
      await relay.ejecutar();
    }
    expect(relay.cuarentena()).toEqual([{ store: repo.nombre, idAgregado: veneno, intentos: 3, desde: expect.any(Number) }]);
    expect(log.lineas.filter((l) => l.nivel === 'error' && /cuarentena/.test(l.msg))).toHaveLength(1);
    // Parked: no longer tried, though it is still in the outbox (nothing lost).
    const antes = publicador.publicados.length;
    expect(await relay.ejecutar()).toEqual({ publicados: 0, fallidos: 0, enCuarentena: 1 });
    expect(publicador.publicados).toHaveLength(antes);
    expect(repo.outbox.some((m) => m.aggregateId === veneno)).toBe(true);
    // Released once its cause is fixed: published, and gone from the list.
    publicador.restablecer();
    expect(relay.liberar(repo.nombre, veneno)).toBe(true);
    expect(await relay.ejecutar()).toEqual({ publicados: 1, fallidos: 0, enCuarentena: 0 });
    expect(relay.cuarentena()).toEqual([]);
  });

  it('con el broker caído no aparca nada, por muchas pasadas que fallen', async () => {
    const { repo } = await conPendientes(2);
    const publicador = new PublicadorMemoria();
    publicador.fallarCon();
    const relay = new RelayOutbox([repo], publicador, { edadMinimaMs: 0, intentosMaximos: 2 });
    for (let i = 0; i < 5; i++) expect(await relay.ejecutar()).toEqual({ publicados: 0, fallidos: 2, enCuarentena: 0 });
    publicador.restablecer();
    expect(await relay.ejecutar()).toEqual({ publicados: 2, fallidos: 0, enCuarentena: 0 });
  });

  it('las ejecuciones simultáneas comparten una sola pasada (no duplica)', async () => {
    const { repo } = await conPendientes(3);
    const publicados: MensajeIntegracion[] = [];
    const lento: PublicadorMensajes = {
      publicar: async (m) => {
        await new Promise((r) => setTimeout(r, 5));
        publicados.push(m);
      },
    };
    const relay = new RelayOutbox([repo], lento, { edadMinimaMs: 0 });
    const [a, b] = await Promise.all([relay.ejecutar(), relay.ejecutar()]);
    expect(a).toBe(b);
    expect(publicados).toHaveLength(3);
  });

  it('iniciar publica al arrancar y periódicamente; detener para', async () => {
    const { repo } = await conPendientes(1);
    const publicador = new PublicadorMemoria();
    const relay = new RelayOutbox([repo], publicador, { edadMinimaMs: 0, intervaloMs: 10 });
    relay.iniciar();
    await esperarHasta(() => publicador.publicados.length === 1);
    // A message left pending later is picked up by the periodic run.
    const caido = new PublicadorMemoria();
    caido.fallarCon();
    const { deps } = entorno(caido);
    const uow = new UnidadDeTrabajo('tarde', deps);
    await uow.registrarAgregado(nueva(), repo);
    await uow.commit();
    await esperarHasta(() => publicador.publicados.length === 2);
    await relay.detener();
    // Stopped: a new pending message stays pending.
    const otra = new UnidadDeTrabajo('despues', deps);
    await otra.registrarAgregado(nueva(), repo);
    await otra.commit();
    await new Promise((r) => setTimeout(r, 50));
    expect(publicador.publicados).toHaveLength(2);
    expect(repo.outbox).toHaveLength(1);
  });

  describe('varias réplicas sobre el mismo almacén (arriendos)', () => {
    /** A publisher slow enough for two relays' passes to overlap. */
    function lento() {
      const publicados: MensajeIntegracion[] = [];
      const publicador: PublicadorMensajes = {
        publicar: async (m) => {
          await new Promise((r) => setTimeout(r, 2));
          publicados.push(m);
        },
      };
      return { publicador, publicados };
    }

    it('dos relays con arriendos compartidos publican cada mensaje pendiente una sola vez, y se reparten el trabajo', async () => {
      const { repo } = await conPendientes(12);
      const pendientes = repo.outbox.map((m) => m.id).sort();
      const arriendos = new ArriendosMemoria();
      const a = lento();
      const b = lento();
      const relayA = new RelayOutbox([repo], a.publicador, { edadMinimaMs: 0, arriendos, duenio: 'replica-a' });
      const relayB = new RelayOutbox([repo], b.publicador, { edadMinimaMs: 0, arriendos, duenio: 'replica-b' });
      const [informeA, informeB] = await Promise.all([relayA.ejecutar(), relayB.ejecutar()]);
      const publicados = [...a.publicados, ...b.publicados].map((m) => m.id).sort();
      expect(publicados).toEqual(pendientes);
      expect(informeA.publicados + informeB.publicados).toBe(12);
      expect(a.publicados.length).toBeGreaterThan(0);
      expect(b.publicados.length).toBeGreaterThan(0);
      expect(repo.outbox).toEqual([]);
      expect(arriendos.vigentes).toEqual([]); // every lease given back
    });

    it('sin arriendos compartidos (cada relay los suyos) los dos publican lo mismo: lo que el arriendo evita', async () => {
      const { repo } = await conPendientes(4);
      const a = lento();
      const b = lento();
      await Promise.all([new RelayOutbox([repo], a.publicador, { edadMinimaMs: 0 }).ejecutar(), new RelayOutbox([repo], b.publicador, { edadMinimaMs: 0 }).ejecutar()]);
      expect(a.publicados.length + b.publicados.length).toBeGreaterThan(4);
    });

    it('publica lo pendiente al tomar el arriendo, no lo que leyó el barrido: lo que otra réplica publicó mientras tanto no se repite', async () => {
      const { repo } = await conPendientes(3);
      const arriendos = new ArriendosMemoria();
      const publicador = new PublicadorMemoria();
      const otra = new RelayOutbox([repo], publicador, { edadMinimaMs: 0, arriendos, duenio: 'replica-b' });
      // Between this relay's sweep and its leases, the other replica drains everything.
      const desfasado: OutboxPendiente = {
        nombre: repo.nombre,
        pendientes: async (o) => {
          const lote = await repo.pendientes(o);
          await otra.ejecutar();
          return lote;
        },
        pendientesDe: (id) => repo.pendientesDe(id),
        marcarEnviados: (id, m) => repo.marcarEnviados(id, m),
      };
      const relay = new RelayOutbox([desfasado], publicador, { edadMinimaMs: 0, arriendos, duenio: 'replica-a' });
      expect(await relay.ejecutar()).toEqual({ publicados: 0, fallidos: 0, enCuarentena: 0 });
      expect(publicador.publicados).toHaveLength(3);
      expect(new Set(publicador.publicados.map((m) => m.id)).size).toBe(3);
    });

    it('respeta un arriendo vigente de otra réplica y lo toma cuando vence (una réplica caída solo retrasa)', async () => {
      const { repo, ids } = await conPendientes(2);
      const [tomado, libre] = ids as [string, string];
      let ahora = AHORA.getTime();
      const arriendos = new ArriendosMemoria();
      // A replica that died while draining `tomado`: its lease is never given back.
      await arriendos.tomar(`${repo.nombre}/${tomado}`, { duenio: 'replica-caida', ahora, vence: ahora + 30000 });
      const publicador = new PublicadorMemoria();
      const relay = new RelayOutbox([repo], publicador, { edadMinimaMs: 0, arriendos, duenio: 'replica-a', arriendoMs: 30000, reloj: () => ahora });
      expect(await relay.ejecutar()).toEqual({ publicados: 1, fallidos: 0, enCuarentena: 0 });
      expect(publicador.publicados.map((m) => m.aggregateId)).toEqual([libre]);
      ahora += 29999;
      expect(await relay.ejecutar()).toEqual({ publicados: 0, fallidos: 0, enCuarentena: 0 });
      ahora += 1;
      expect(await relay.ejecutar()).toEqual({ publicados: 1, fallidos: 0, enCuarentena: 0 });
      expect(publicador.publicados.map((m) => m.aggregateId)).toEqual([libre, tomado]);
      expect(repo.outbox).toEqual([]);
      expect(arriendos.vigentes).toEqual([]);
    });

    it('un agregado en manos de otra réplica no cuenta como fallo (ni lleva a la cuarentena)', async () => {
      const { repo, ids } = await conPendientes(1);
      const ajeno = ids[0]!;
      const arriendos = new ArriendosMemoria();
      await arriendos.tomar(`${repo.nombre}/${ajeno}`, { duenio: 'replica-b', ahora: 0, vence: Number.MAX_SAFE_INTEGER });
      const publicador = new PublicadorMemoria();
      const relay = new RelayOutbox([repo], publicador, { edadMinimaMs: 0, intentosMaximos: 1, arriendos, duenio: 'replica-a' });
      const caido = new PublicadorMemoria();
      caido.fallarCon();
      for (let i = 0; i < 3; i++) {
        // Something else goes out in each pass (the condition under which failures count).
        const uow = new UnidadDeTrabajo(`otra${i}`, { ...entorno(caido).deps, reloj: () => AHORA.getTime() });
        await uow.registrarAgregado(nueva(), repo);
        await uow.commit();
        expect(await relay.ejecutar()).toEqual({ publicados: 1, fallidos: 0, enCuarentena: 0 });
      }
      expect(relay.cuarentena()).toEqual([]);
      expect(repo.outbox.map((m) => m.aggregateId)).toEqual([ajeno]);
    });

    it('sin nada pendiente no toma ningún arriendo (el coste sigue a lo pendiente)', async () => {
      const { repo } = await conPendientes(2);
      const arriendos = new ArriendosMemoria();
      const tomar = jest.spyOn(arriendos, 'tomar');
      const relay = new RelayOutbox([repo], new PublicadorMemoria(), { edadMinimaMs: 0, arriendos });
      await relay.ejecutar();
      expect(tomar).toHaveBeenCalledTimes(2); // one per aggregate drained
      tomar.mockClear();
      for (let i = 0; i < 3; i++) await relay.ejecutar();
      expect(tomar).not.toHaveBeenCalled();
    });

    it('un arriendo que no se puede soltar se registra y no detiene la pasada (vencerá solo)', async () => {
      const { repo } = await conPendientes(2);
      const arriendos = new ArriendosMemoria();
      arriendos.soltar = async () => Promise.reject(new Error('base caída'));
      const log = loggerEnMemoria();
      const relay = new RelayOutbox([repo], new PublicadorMemoria(), { edadMinimaMs: 0, arriendos, logger: log });
      expect(await relay.ejecutar()).toEqual({ publicados: 2, fallidos: 0, enCuarentena: 0 });
      expect(log.lineas.filter((l) => l.nivel === 'warn' && /arriendo/.test(l.msg))).toHaveLength(2);
    });

    it('un almacén de arriendos caído cuenta como fallo del almacén y no publica nada', async () => {
      const { repo } = await conPendientes(1);
      const arriendos = new ArriendosMemoria();
      arriendos.tomar = async () => Promise.reject(new Error('sin red'));
      const publicador = new PublicadorMemoria();
      expect(await new RelayOutbox([repo], publicador, { edadMinimaMs: 0, arriendos }).ejecutar()).toEqual({ publicados: 0, fallidos: 1, enCuarentena: 0 });
      expect(publicador.publicados).toEqual([]);
      expect(repo.outbox).toHaveLength(1);
    });
  });
});
