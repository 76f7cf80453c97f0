import type { Fase } from './analisis';
import { porTurno } from './carga';
import { compararReplicas, CorridaReplicas, faseLimite, fasesComparables, grupoProceso, informeReplicas, maximaSostenida } from './comparacion';

/** The fields of a phase the comparison reads: per process [name, % of one core, CPU ms per reserva]. */
function fase(
  nombre: string,
  tipo: Fase['tipo'],
  tasa: number,
  procesos: [string, number, number][],
  o: { ok?: boolean; motivos?: string[]; maquina?: number; p50?: number; p99?: number; porSegundo?: number } = {},
): Fase {
  return {
    nombre,
    tipo,
    tasaObjetivo: tasa,
    ...(tipo === 'escalon' ? { sostenida: { ok: o.ok ?? true, motivos: o.motivos ?? [] } } : {}),
    uso: {
      procesos: procesos.map(([n, porciento]) => ({ nombre: n, cpuPorciento: porciento })),
      maquinaPorciento: o.maquina ?? 50,
      propioPorciento: Math.round(procesos.reduce((a, [, p]) => a + p, 0) / 2),
      nucleos: 2,
    },
    cpuMsPorUnidad: Object.fromEntries(procesos.map(([n, , cpu]) => [n, cpu])),
    latencias: { postNotificacion: { n: 1, p50: o.p50 ?? 50, p95: o.p99 ?? 100, p99: o.p99 ?? 100, max: o.p99 ?? 100 } },
    extremoAExtremo: { notificadas: 0, porSegundo: o.porSegundo ?? tasa, drenajeMs: 0 },
  } as unknown as Fase;
}

describe('porTurno (round-robin over the aeroalpes replicas)', () => {
  it('gives each replica every n-th request, and refuses an empty list', () => {
    expect([0, 1, 2, 3, 4].map((i) => porTurno(['a', 'b'], i))).toEqual(['a', 'b', 'a', 'b', 'a']);
    expect(porTurno(['solo'], 7)).toBe('solo');
    expect(() => porTurno([], 0)).toThrow('no destination');
  });
});

describe('grupoProceso', () => {
  it("sums a service's replicas and their sidecars, and leaves every other process alone", () => {
    expect(['aeroalpes', 'aeroalpes-2', 'aeroalpes-5'].map(grupoProceso)).toEqual(['aeroalpes', 'aeroalpes', 'aeroalpes']);
    expect(['aeroalpes-daprd', 'aeroalpes-2-daprd', 'ui-3-daprd'].map(grupoProceso)).toEqual(['aeroalpes-daprd', 'aeroalpes-daprd', 'ui-daprd']);
    expect(['pulsar', 'postgres', 'gateway-daprd', 'bench (load generator)', 'aeroalpes-9'].map(grupoProceso)).toEqual([
      'pulsar',
      'postgres',
      'gateway-daprd',
      'bench (load generator)',
      'aeroalpes-9',
    ]);
  });
});

describe('the phases a comparison reads', () => {
  const uno = [
    fase('warm-up', 'calentamiento', 50, []),
    fase('step 50/s', 'escalon', 50, []),
    fase('step 100/s', 'escalon', 100, []),
    fase('step 150/s', 'escalon', 150, [], { ok: false, motivos: ['backlog growing'] }),
  ];
  const dos = [fase('step 50/s', 'escalon', 50, []), fase('step 100/s', 'escalon', 100, [], { ok: false }), fase('step 150/s', 'escalon', 150, [])];

  it('takes the highest step sustained, and as the limit the first step not sustained', () => {
    expect(maximaSostenida(uno)).toBe(100);
    expect(faseLimite(uno)?.nombre).toBe('step 150/s');
    // Every step sustained: the highest one run; no steps: the fixed phase.
    expect(faseLimite(uno.slice(0, 3))?.nombre).toBe('step 100/s');
    expect(faseLimite([fase('fixed 100/s', 'fija', 100, [])])?.nombre).toBe('fixed 100/s');
    expect(maximaSostenida([fase('fixed 100/s', 'fija', 100, [])])).toBeNull();
  });

  it('compares CPU at the highest step both runs sustained, else at fixed phases of the same rate', () => {
    expect(fasesComparables(uno, dos)?.map((f) => f.nombre)).toEqual(['step 50/s', 'step 50/s']);
    expect(fasesComparables([fase('fixed 100/s', 'fija', 100, [])], [fase('fixed 100/s', 'fija', 100, [])])?.map((f) => f.nombre)).toEqual(['fixed 100/s', 'fixed 100/s']);
    expect(fasesComparables([fase('fixed 100/s', 'fija', 100, [])], [fase('fixed 50/s', 'fija', 50, [])])).toBeUndefined();
  });
});

describe('compararReplicas', () => {
  // One replica: aeroalpes near a full core at 150/s; two: the machine full at 200/s.
  const una: CorridaReplicas = {
    replicas: 1,
    fases: [
      fase('step 100/s', 'escalon', 100, [
        ['pulsar', 30, 2],
        ['aeroalpes', 60, 3],
        ['aeroalpes-daprd', 20, 1],
      ]),
      fase(
        'step 150/s',
        'escalon',
        150,
        [
          ['pulsar', 40, 2],
          ['aeroalpes', 95, 3],
          ['aeroalpes-daprd', 30, 1],
        ],
        { ok: false, motivos: ['backlog growing'], maquina: 80, porSegundo: 120 },
      ),
    ],
    picoRssMb: { pulsar: 400, aeroalpes: 140, 'aeroalpes-daprd': 60 },
  };
  const dos: CorridaReplicas = {
    replicas: 2,
    fases: [
      fase('step 100/s', 'escalon', 100, [
        ['pulsar', 30, 2],
        ['aeroalpes', 35, 1.8],
        ['aeroalpes-daprd', 12, 0.6],
        ['aeroalpes-2', 35, 1.9],
        ['aeroalpes-2-daprd', 12, 0.6],
      ]),
      fase(
        'step 200/s',
        'escalon',
        200,
        [
          ['pulsar', 70, 2],
          ['aeroalpes', 60, 1.8],
          ['aeroalpes-daprd', 20, 0.6],
          ['aeroalpes-2', 60, 1.9],
          ['aeroalpes-2-daprd', 20, 0.6],
        ],
        { ok: false, motivos: ['p99 too high'], maquina: 97, porSegundo: 150 },
      ),
    ],
    picoRssMb: { pulsar: 410, aeroalpes: 120, 'aeroalpes-daprd': 55, 'aeroalpes-2': 118, 'aeroalpes-2-daprd': 54 },
  };
  const c = compararReplicas([una, dos], 100);

  it('sums the replicas of a service and lists each after the sum', () => {
    expect(c.fasesCpu).toEqual(['step 100/s', 'step 100/s']);
    expect(c.procesos.map((f) => [f.proceso, f.replicaDe ?? null])).toEqual([
      ['pulsar', null],
      ['aeroalpes', null],
      ['aeroalpes', 'aeroalpes'],
      ['aeroalpes-2', 'aeroalpes'],
      ['aeroalpes-daprd', null],
      ['aeroalpes-daprd', 'aeroalpes-daprd'],
      ['aeroalpes-2-daprd', 'aeroalpes-daprd'],
    ]);
    const suma = c.procesos[1]!;
    expect(suma).toMatchObject({ suma: true, cpuMsPorReserva: [3, 3.7], porcientoNucleo: [95, 120], picoRssMb: [140, 238] });
    expect(c.procesos[3]).toMatchObject({ suma: false, cpuMsPorReserva: [null, 1.9], porcientoNucleo: [null, 60] });
    // The total counts each process once (the sums, not their replicas again).
    expect(c.total).toMatchObject({ cpuMsPorReserva: [6, 6.9], porcientoNucleo: [165, 230], picoRssMb: [600, 757] });
  });

  it('reads each run: highest sustained, p99 at the fixed rate, and where the limit is', () => {
    expect(c.corridas.map((r) => [r.replicas, r.maximaSostenida, r.latencia?.fase, r.latencia?.p99])).toEqual([
      [1, 100, 'step 100/s', 100],
      [2, 100, 'step 100/s', 100],
    ]);
    expect(c.corridas[0].limite).toMatchObject({ fase: 'step 150/s', sostenida: false, tipo: 'proceso', procesosLlenos: ['aeroalpes'], notificacionesPorSegundo: 120 });
    expect(c.corridas[1].limite).toMatchObject({ fase: 'step 200/s', tipo: 'maquina', procesosLlenos: [], maquinaPorciento: 97 });
    expect(c.corridas[1].limite?.mayores).toEqual([
      { grupo: 'aeroalpes', porciento: 120 },
      { grupo: 'pulsar', porciento: 70 },
      { grupo: 'aeroalpes-daprd', porciento: 40 },
    ]);
  });

  it('says where the limit moved and which processes grew or shrank', () => {
    expect(c.conclusiones[0]).toContain("aeroalpes ×1: at 'step 150/s' (not sustained: backlog growing): aeroalpes near a full core");
    expect(c.conclusiones[1]).toContain('the whole machine is the limit: 97 % of its 2 cores busy');
    expect(c.conclusiones[2]).toBe('The limit moves from aeroalpes to the whole machine; highest rate sustained 100 -> 100/s.');
    // aeroalpes 3 -> 3.7 ms (+23 %) grew, its daprd 1 -> 1.2 ms (+20 %) grew, pulsar unchanged.
    expect(c.conclusiones[3]).toBe(
      "CPU per reserva at 'step 100/s' (the same load in both): every process 6.00 -> 6.90 ms; grew: aeroalpes 3.00 -> 3.70 ms, aeroalpes-daprd 1.00 -> 1.20 ms; shrank: none.",
    );
    expect(c.conclusiones[4]).toBe(
      "Share of the machine at the limit ('step 150/s' / 'step 200/s', % of one core): grew: pulsar 40.0 -> 70.0, aeroalpes 95.0 -> 120, aeroalpes-daprd 30.0 -> 40.0; shrank: none.",
    );
  });

  it('prints the summary, one row per process with the change, and the conclusions', () => {
    const texto = informeReplicas(c);
    const linea = (inicio: string) =>
      texto
        .split('\n')
        .find((l) => l.trimStart().startsWith(inicio))
        ?.trim()
        .split(/\s{2,}/);
    expect(linea('highest rate sustained /s')).toEqual(['highest rate sustained /s', '100', '100']);
    expect(linea('aeroalpes (all replicas)')).toEqual(['aeroalpes (all replicas)', '3.00', '3.70', '+0.70 (+23 %)', '95', '120', '140', '238']);
    expect(linea('aeroalpes-2 ')).toEqual(['aeroalpes-2', '-', '1.90', '-', '-', '60', '-', '118']);
    expect(linea('all processes')).toEqual(['all processes', '6.00', '6.90', '+0.90 (+15 %)', '165', '230', '600', '757']);
    expect(texto).toContain('The limit moves from aeroalpes to the whole machine');
  });

  it('keeps a run that stopped part-way: the phases it finished, and where and why it stopped', () => {
    const parada: CorridaReplicas = { ...dos, fases: dos.fases.slice(0, 1), fallo: { fase: 'step 200/s', mensaje: 'the store did not answer\n    at stack' } };
    const p = compararReplicas([una, parada], 100);
    expect(p.corridas[1]).toMatchObject({ maximaSostenida: 100, limite: null, fallo: { fase: 'step 200/s' } });
    expect(p.fasesCpu).toEqual(['step 100/s', 'step 100/s']);
    // No figures of the phase it stopped in.
    expect(p.procesos[1]!.porcientoNucleo).toEqual([95, null]);
    expect(p.conclusiones[1]).toBe("aeroalpes ×2: the run stopped in 'step 200/s': the store did not answer.");
    expect(p.conclusiones[2]).toBe("The limit moves from aeroalpes to a failure in 'step 200/s'; highest rate sustained 100 -> 100/s.");
    expect(informeReplicas(p)).toContain('step 200/s (run stopped in it)');
  });
});
