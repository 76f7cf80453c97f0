import { diferencia, interpretar } from './almacen';
import { cpuPorUnidad } from './analisis';
import { leerConfig } from './config';
import { cpuArbol, leerStat, Stat, UsoFase } from './procesos';
import { comparar, Sonda } from './sonda';

// /proc/<pid>/stat of a postgres backend: utime 150, stime 50, cutime 7, cstime 3 (ticks of 1/100 s).
const STAT = '4242 (postgres: aeroalpes ferretdb 127.0.0.1(5) idle) S 4200 4200 4200 0 -1 4194560 1 0 0 0 150 50 7 3 20 0 1 0 100 0 0';

describe('leerStat', () => {
  it('reads ppid and CPU after the last parenthesis of the command name', () => {
    expect(leerStat(STAT)).toEqual({ ppid: 4200, propios: 2, hijosTerminados: 0.1 });
  });
});

describe('cpuArbol', () => {
  const p = (ppid: number, propios: number, hijosTerminados = 0): Stat => ({ ppid, propios, hijosTerminados });
  it('sums a postmaster with its backends and what it reaped, leaving other roots apart', () => {
    const procesos = new Map<number, Stat>([
      [1, p(0, 9)], // the benchmark
      [10, p(1, 1, 0.5)], // postmaster, child of the benchmark
      [11, p(10, 2)],
      [12, p(11, 3)],
      [20, p(1, 4)], // another platform process, also a child of the benchmark
    ]);
    expect(cpuArbol(10, procesos, new Set([1, 10, 20]))).toEqual({ segundos: 6.5, descendientes: 2 });
    expect(cpuArbol(1, procesos, new Set([1, 10, 20]))).toEqual({ segundos: 9, descendientes: 0 });
    expect(cpuArbol(99, procesos)).toBeUndefined();
  });
});

describe('diferencia (PostgreSQL statistics)', () => {
  const antes = interpretar(
    [
      ['t', 'reservas_abc', '10', '20', '0', '1', '30'],
      ['t', 'quieta', '5', '0', '0', '0', '0'],
      ['d', 'ferretdb', '100', '2', '0', '0', '0'],
    ],
    3,
  );
  const despues = interpretar(
    [
      ['t', 'reservas_abc', '110', '220', '0', '1', '330'],
      ['t', 'reservas_vista_def', '100', '0', '0', '0', '100'],
      ['t', 'quieta', '5', '0', '0', '0', '0'],
      ['t', 'nueva', '0', '0', '0', '2', '0'],
      ['d', 'ferretdb', '700', '2', '0', '0', '0'],
    ],
    4,
  );
  const c = diferencia(
    'ferretdb',
    'aeroalpes_bench',
    antes,
    despues,
    new Map([
      ['reservas_abc', 'reservas'],
      ['reservas_vista_def', 'reservas_vista'],
    ]),
    100,
  );

  it('gives per-collection deltas per unit, busiest first; a new table counts from zero, one without activity is left out', () => {
    expect(c.filas.map((f) => f.nombre)).toEqual(['reservas', 'reservas_vista', 'nueva']);
    expect(c.filas[0]!.porUnidad).toEqual({ insertadas: 1, actualizadas: 2, borradas: 0, lecturasSecuenciales: 0, lecturasIndice: 3 });
    expect(c.filas[1]!.total.insertadas).toBe(100);
  });

  it("takes the benchmark's own readings off the commits", () => {
    expect(c.commits).toBe(599);
    expect(c.commitsPorUnidad).toBe(5.99);
  });

  it('has no per-unit figures without units', () => {
    expect(diferencia('x', null, antes, despues, new Map(), 0).filas[0]!.porUnidad).toBeNull();
  });
});

describe('cpuPorUnidad', () => {
  it('divides each process CPU by the completed units, in ms', () => {
    const uso = {
      procesos: [
        { nombre: 'postgres', cpuSegundos: 1.5 },
        { nombre: 'ui', cpuSegundos: null },
      ],
    } as unknown as UsoFase;
    expect(cpuPorUnidad(uso, 300)).toEqual({ postgres: 5, ui: null });
    expect(cpuPorUnidad(uso, 0)).toEqual({ postgres: null, ui: null });
  });
});

describe('comparar (latency probe)', () => {
  const r = (p50: number, p99: number) => ({ n: 200, p50, p95: p99, p99, max: p99 });
  it('gives end/start ratios, and the end-only lookups without a ratio', () => {
    const inicio: Sonda = { momento: 'start', reservas: 0, segundos: 1, operaciones: [{ operacion: 'findOne sonda', latencia: r(1, 2) }] };
    const fin: Sonda = {
      momento: 'end',
      reservas: 10,
      segundos: 1,
      operaciones: [
        { operacion: 'findOne reservas', latencia: r(3, 9) },
        { operacion: 'findOne sonda', latencia: r(1.5, 8) },
      ],
    };
    expect(comparar(inicio, fin)).toEqual([
      { operacion: 'findOne reservas', inicio: null, fin: r(3, 9), razonP50: null, razonP99: null },
      { operacion: 'findOne sonda', inicio: r(1, 2), fin: r(1.5, 8), razonP50: 1.5, razonP99: 4 },
    ]);
  });
});

describe('leerConfig: query phase and defaults', () => {
  it('runs the query phase in a full run and not in a quick one unless asked', () => {
    expect(leerConfig([], {}).consultas).toMatchObject({ activa: true, documentos: 100_000, tasa: 500, segundos: 20 });
    expect(leerConfig([], {}).fija.tasa).toBe(100);
    expect(leerConfig(['--quick'], {}).consultas.activa).toBe(false);
    expect(leerConfig(['--quick', '--query-load'], {}).consultas.activa).toBe(true);
    expect(leerConfig(['--query-load=0'], {}).consultas.activa).toBe(false);
    expect(leerConfig([], { BENCH_QUERY_LOAD: '0' }).consultas.activa).toBe(false);
    expect(leerConfig(['--query-docs', '5000', '--query-rate=200'], {}).consultas).toMatchObject({ documentos: 5000, tasa: 200 });
  });
});

describe('leerConfig: --replicas', () => {
  it('is a single run by default, and 2 to 5 replicas of aeroalpes to compare with one', () => {
    expect(leerConfig([], {}).replicas).toBe(1);
    expect(leerConfig(['--replicas', '2'], {}).replicas).toBe(2);
    expect(leerConfig(['--replicas=5'], {}).replicas).toBe(5);
    expect(leerConfig([], { BENCH_REPLICAS: '3' }).replicas).toBe(3);
    expect(leerConfig(['--replicas', '2'], { BENCH_REPLICAS: '3' }).replicas).toBe(2);
  });

  it('refuses anything but a whole number from 1 to 5, naming the option', () => {
    for (const v of ['0', '6', '1.5', 'two', '-2', ' ']) {
      expect(() => leerConfig(['--replicas', v], {})).toThrow(`--replicas / BENCH_REPLICAS must be a whole number from 1 to 5 (got '${v}')`);
    }
    expect(() => leerConfig(['--replicas'], {})).toThrow('--replicas needs a value');
  });
});
