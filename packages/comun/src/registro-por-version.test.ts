import { AlmacenMemoria } from './estado-memoria';
import { RegistroPorVersion, VERSION_MAXIMA } from './registro-por-version';

interface Registro {
  id_mensaje: string;
  texto: string;
}

const ID = 'reserva-1';
const entrada = (version: number, idMensaje: string, id = ID) => ({ id, version, valor: { id_mensaje: idMensaje, texto: `${idMensaje}@${version}` } });

const nuevo = () => {
  const almacen = new AlmacenMemoria();
  return { almacen, registro: new RegistroPorVersion<Registro>(almacen, 'prueba') };
};

describe('RegistroPorVersion', () => {
  test('a new record is ONE state operation (a first-write transaction), under <prefijo>:<id>:<version>', async () => {
    const { almacen, registro } = nuevo();
    expect(await registro.registrar([entrada(1, 'm1')])).toEqual([{ tipo: 'nuevo' }]);
    expect(almacen.transacciones).toBe(1);
    expect(almacen.lecturas).toBe(0);
    expect([...almacen.datos.keys()]).toEqual(['prueba:reserva-1:1']);
  });

  test('the same message again is repetido; another message id at that version is conflicto, and nothing is overwritten', async () => {
    const { almacen, registro } = nuevo();
    await registro.registrar([entrada(1, 'm1')]);
    expect(await registro.registrar([entrada(1, 'm1')])).toEqual([{ tipo: 'repetido' }]);
    expect(await registro.registrar([entrada(1, 'otro')])).toEqual([{ tipo: 'conflicto', previo: { id_mensaje: 'm1', texto: 'm1@1' } }]);
    // Each duplicate costs its failed transaction and one read; the first write cost one operation.
    expect({ transacciones: almacen.transacciones, lecturas: almacen.lecturas }).toEqual({ transacciones: 3, lecturas: 2 });
    expect(await registro.leer(ID)).toEqual([{ id_mensaje: 'm1', texto: 'm1@1' }]);
  });

  test('a batch is one transaction; after a conflict one read sorts out the existing keys and one more transaction writes the rest', async () => {
    const { almacen, registro } = nuevo();
    await registro.registrar([entrada(1, 'm1')]);
    const transaccionesAntes = almacen.transacciones;
    const lecturasAntes = almacen.lecturas;
    const resultados = await registro.registrar([
      entrada(2, 'm2'), // new
      entrada(1, 'm1'), // redelivered
      entrada(1, 'intruso'), // another id for version 1
      entrada(2, 'm2'), // the same message twice in this batch
      entrada(3, 'm3b'), // new...
      entrada(3, 'm3c'), // ...and, in the same batch, another id for that version
      entrada(VERSION_MAXIMA + 1, 'lejos'),
      entrada(-1, 'negativa'),
      entrada(1.5, 'fraccion'),
      entrada(1, 'clave', 'a||b'),
    ]);
    expect(resultados).toEqual([
      { tipo: 'nuevo' },
      { tipo: 'repetido' },
      { tipo: 'conflicto', previo: { id_mensaje: 'm1', texto: 'm1@1' } },
      { tipo: 'repetido' },
      { tipo: 'nuevo' },
      { tipo: 'conflicto', previo: { id_mensaje: 'm3b', texto: 'm3b@3' } },
      { tipo: 'invalido', motivo: expect.stringContaining(`0..${VERSION_MAXIMA}`) },
      { tipo: 'invalido', motivo: expect.stringContaining('fuera') },
      { tipo: 'invalido', motivo: expect.stringContaining('fuera') },
      { tipo: 'invalido', motivo: expect.stringContaining('||') },
    ]);
    expect(almacen.transacciones - transaccionesAntes).toBe(2);
    expect(almacen.lecturas - lecturasAntes).toBe(1);
    expect((await registro.leer(ID)).map((r) => r.id_mensaje)).toEqual(['m1', 'm2', 'm3b']);
  });

  test('a batch of new records only: one transaction, no read', async () => {
    const { almacen, registro } = nuevo();
    const lote = Array.from({ length: 50 }, (_, i) => entrada(1, `m${i}`, `reserva-${i}`));
    expect((await registro.registrar(lote)).every((r) => r.tipo === 'nuevo')).toBe(true);
    expect({ transacciones: almacen.transacciones, lecturas: almacen.lecturas }).toEqual({ transacciones: 1, lecturas: 0 });
    expect(almacen.datos.size).toBe(50);
  });

  test('concurrent deliveries of the whole lifecycle, twice over: every version once, in version order', async () => {
    const { registro } = nuevo();
    const ciclo = [entrada(3, 'pagada'), entrada(1, 'creada'), entrada(2, 'aprobada'), entrada(0, 'rechazada')];
    const resultados = await Promise.all([...ciclo, ...ciclo].map((e) => registro.registrar([e])));
    expect(
      resultados
        .flat()
        .map((r) => r.tipo)
        .sort(),
    ).toEqual([...Array(4).fill('nuevo'), ...Array(4).fill('repetido')]);
    expect((await registro.leer(ID)).map((r) => r.id_mensaje)).toEqual(['rechazada', 'creada', 'aprobada', 'pagada']);
  });

  test('reads several aggregates in one bulk get of versions 0..VERSION_MAXIMA; unknown or unkeyable ids give empty histories', async () => {
    const { almacen, registro } = nuevo();
    await registro.registrar([entrada(2, 'a2', 'a'), entrada(VERSION_MAXIMA, 'a-ultima', 'a'), entrada(1, 'b1', 'b'), entrada(1, 'a1', 'a')]);
    const lecturas = almacen.lecturas;
    const leidos = await registro.leerVarios(['a', 'b', 'nadie', 'a||b', 'a']);
    expect(almacen.lecturas - lecturas).toBe(1);
    expect([...leidos.entries()].map(([id, rs]) => [id, rs.map((r) => r.id_mensaje)])).toEqual([
      ['a', ['a1', 'a2', 'a-ultima']],
      ['b', ['b1']],
      ['nadie', []],
      ['a||b', []],
    ]);
  });

  test('a store that fails makes registrar throw (the caller answers RETRY) and writes nothing', async () => {
    const { almacen, registro } = nuevo();
    almacen.fallar = true;
    await expect(registro.registrar([entrada(1, 'm1')])).rejects.toThrow(/no disponible/);
    await expect(registro.leer(ID)).rejects.toThrow(/no disponible/);
    almacen.fallar = false;
    expect(almacen.datos.size).toBe(0);
  });

  test('conflicts that never resolve (a store that keeps refusing, nothing to read) end as agotado, not as success', async () => {
    const { almacen, registro } = nuevo();
    almacen.transaccion = async () => 'conflicto';
    expect(await registro.registrar([entrada(1, 'm1'), entrada(1, 'm1')])).toEqual([{ tipo: 'agotado' }, { tipo: 'agotado' }]);
  });
});

describe('AlmacenMemoria behaves like daprd for first-write and ETags', () => {
  test('a second first-write of one key inside one transaction conflicts, and the transaction writes nothing', async () => {
    const almacen = new AlmacenMemoria();
    const r = await almacen.transaccion([
      { tipo: 'upsert', clave: 'otra', valor: 1, primeraEscritura: true },
      { tipo: 'upsert', clave: 'k', valor: 1, primeraEscritura: true },
      { tipo: 'upsert', clave: 'k', valor: 2, primeraEscritura: true },
    ]);
    expect(r).toBe('conflicto');
    expect(almacen.datos.size).toBe(0);
  });

  test('a stale ETag conflicts and writes nothing; the current one writes; an operation sees the earlier ones of its transaction', async () => {
    const almacen = new AlmacenMemoria();
    await almacen.transaccion([{ tipo: 'upsert', clave: 'k', valor: 'v1' }]);
    const { etag } = await almacen.leer<string>('k');
    await almacen.transaccion([{ tipo: 'upsert', clave: 'k', valor: 'v2', etag: etag! }]);
    expect(
      await almacen.transaccion([
        { tipo: 'upsert', clave: 'nueva', valor: 1 },
        { tipo: 'upsert', clave: 'k', valor: 'v3', etag: etag! },
      ]),
    ).toBe('conflicto');
    expect((await almacen.leer('k')).valor).toBe('v2');
    expect(almacen.datos.has('nueva')).toBe(false);
    expect(
      await almacen.transaccion([
        { tipo: 'delete', clave: 'k' },
        { tipo: 'upsert', clave: 'k', valor: 'v4', primeraEscritura: true },
      ]),
    ).toBe('ok');
    expect((await almacen.leer('k')).valor).toBe('v4');
  });

  test('refuses keys with ||, like the sidecar', async () => {
    await expect(new AlmacenMemoria().leerVarios(['a||b'])).rejects.toThrow('DAPR_STATE_ILLEGAL_KEY');
  });
});
