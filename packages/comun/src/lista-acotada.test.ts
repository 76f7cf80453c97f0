import type { OperacionEstado } from './estado';
import { AlmacenMemoria } from './estado-memoria';
import { ListaAcotada } from './lista-acotada';

interface Item {
  id: string;
  t: number;
}

const item = (id: string, t = 0): Item => ({ id, t });
const ids = (lista: Item[]) => lista.map((i) => i.id);

describe('ListaAcotada: a bounded list under one key, appended to by concurrent writers', () => {
  test('appends once per id, in arrival order, keeping the newest `maximo`', async () => {
    const almacen = new AlmacenMemoria();
    const lista = new ListaAcotada<Item>(almacen, 'k', { maximo: 3, id: (i) => i.id });
    expect(await lista.leer()).toEqual([]);
    expect(await lista.agregar([item('a'), item('b')])).toBe('nuevo');
    expect(await lista.agregar([item('b')])).toBe('repetido');
    expect(await lista.agregar([item('b'), item('c'), item('d')])).toBe('nuevo');
    expect(ids(await lista.leer())).toEqual(['b', 'c', 'd']);
    expect(almacen.transacciones).toBe(2); // 'repetido' writes nothing
  });

  test('with an order the list is sorted and the oldest go first, whatever the arrival', async () => {
    const lista = new ListaAcotada<Item>(new AlmacenMemoria(), 'k', { maximo: 2, id: (i) => i.id, orden: (x, y) => x.t - y.t });
    await lista.agregar([item('tarde', 30), item('antes', 10)]);
    await lista.agregar([item('medio', 20)]);
    expect(ids(await lista.leer())).toEqual(['medio', 'tarde']);
    expect(ids(lista.unir([item('x', 5), item('y', 1)], [item('x', 9)]))).toEqual(['y', 'x']);
    expect(lista.unir([item('x', 5)], [item('x', 9)])).toEqual([item('x', 5)]); // the first of an id is kept
  });

  test('maximo 0 keeps nothing (slice(-0) would keep everything)', () => {
    const lista = new ListaAcotada<Item>(new AlmacenMemoria(), 'k', { maximo: 0, id: (i) => i.id });
    expect(lista.unir([item('a')], [item('b')])).toEqual([]);
  });

  test('concurrent writers: every element ends up in the list exactly once (ETag conflicts are read again)', async () => {
    const almacen = new AlmacenMemoria();
    const lista = new ListaAcotada<Item>(almacen, 'k', { maximo: 100, id: (i) => i.id });
    const resultados = await Promise.all(Array.from({ length: 8 }, (_, n) => lista.agregar([item(`e${n}`)])));
    expect(resultados).toEqual(Array(8).fill('nuevo'));
    expect(ids(await lista.leer()).sort()).toEqual(Array.from({ length: 8 }, (_, n) => `e${n}`).sort());
    expect(almacen.transacciones).toBeGreaterThan(8); // some writes conflicted and were retried
  });

  test("'agotado' when every attempt conflicts, having written nothing; a store that fails throws", async () => {
    const almacen = new AlmacenMemoria();
    const siempreConflicto = Object.assign(Object.create(almacen) as AlmacenMemoria, {
      transaccion: async (_ops: OperacionEstado[]) => 'conflicto' as const,
    });
    const lista = new ListaAcotada<Item>(siempreConflicto, 'k', { maximo: 10, id: (i) => i.id });
    expect(await lista.agregar([item('a')])).toBe('agotado');
    expect(almacen.datos.size).toBe(0);
    almacen.fallar = true;
    await expect(new ListaAcotada<Item>(almacen, 'k', { maximo: 10, id: (i) => i.id }).agregar([item('a')])).rejects.toThrow(/no disponible/);
  });

  test('a key holding something else than a list reads as empty and is replaced', async () => {
    const almacen = new AlmacenMemoria();
    await almacen.transaccion([{ tipo: 'upsert', clave: 'k', valor: { no: 'lista' } }]);
    const lista = new ListaAcotada<Item>(almacen, 'k', { maximo: 10, id: (i) => i.id });
    expect(await lista.leer()).toEqual([]);
    expect(await lista.agregar([item('a')])).toBe('nuevo');
    expect(ids(await lista.leer())).toEqual(['a']);
  });
});
