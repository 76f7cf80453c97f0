/** The supervisor against real child processes (sleep), on a tiny platform of its own. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManagedProcess } from './processes';
import { Supervisado, Supervisor } from './supervisor';

class Plataforma implements Supervisado {
  readonly procesos = new Map<string, ManagedProcess>();
  readonly retenidos = new Set<string>();
  /** Commands of the next starts of a process (then it repeats the last one). */
  readonly guion = new Map<string, string[][]>();
  arranques = 0;
  constructor(readonly logDir: string) {}
  arrancar(nombre: string, argv: string[]): ManagedProcess {
    const p = ManagedProcess.start(nombre, argv[0]!, argv.slice(1), { logDir: this.logDir, stopGraceMs: 1000 });
    this.procesos.set(nombre, p);
    this.arranques++;
    return p;
  }
  process(nombre: string) {
    return this.procesos.get(nombre);
  }
  retenido(nombre: string) {
    return this.retenidos.has(nombre);
  }
  async relanzar(nombre: string) {
    const siguiente = this.guion.get(nombre);
    const argv = siguiente && siguiente.length > 1 ? siguiente.shift()! : (siguiente?.[0] ?? ['sleep', '60']);
    const p = this.arrancar(nombre, argv);
    // "Ready" once it has run for 100 ms (a process that exits at once never is).
    await new Promise((r) => setTimeout(r, 100));
    if (!p.running) throw new Error(`${nombre} exited before ready`);
    return p;
  }
  async parar() {
    for (const p of this.procesos.values()) await p.stop();
  }
}

const esperar = async (que: string, cond: () => boolean, ms = 10_000) => {
  const fin = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > fin) throw new Error(`timed out waiting for ${que}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

let dir: string;
let plataforma: Plataforma;
let supervisor: Supervisor | undefined;
let lineas: string[];
let rendidos: string[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-'));
  plataforma = new Plataforma(dir);
  lineas = [];
  rendidos = [];
});
afterEach(async () => {
  supervisor?.detener();
  await plataforma.parar();
  fs.rmSync(dir, { recursive: true, force: true });
});
const supervisar = (opciones: { maxFallosSeguidos?: number; estableMs?: number } = {}) => {
  supervisor = new Supervisor(plataforma, {
    log: (l) => lineas.push(l),
    alRendirse: (n, motivo) => rendidos.push(`${n}: ${motivo}`),
    esperaInicialMs: 20,
    esperaMaximaMs: 80,
    ...opciones,
  });
  return supervisor;
};

test('a process killed with SIGKILL is started again, logged, and watched again', async () => {
  const s = supervisar();
  const primero = plataforma.arrancar('broker', ['sleep', '60']);
  s.vigilar(primero);
  process.kill(primero.pid!, 'SIGKILL');
  await esperar('the restart', () => plataforma.process('broker') !== primero && plataforma.process('broker')!.running);
  const segundo = plataforma.process('broker')!;
  await esperar('the log line', () => lineas.some((l) => l.startsWith('broker is back')));
  expect(lineas[0]).toMatch(/^broker exited \(code 128, pid \d+\); restarting it in 0.02 s \(failure 1 of 5 in a row\)$/);
  // The new instance is watched too: a second crash heals as well.
  process.kill(segundo.pid!, 'SIGKILL');
  await esperar('the second restart', () => plataforma.process('broker') !== segundo && plataforma.process('broker')!.running);
  await esperar('the restart count', () => s.estado()[0]?.reinicios === 2);
  expect(s.estado()).toEqual([{ nombre: 'broker', reinicios: 2, fallosSeguidos: 2 }]);
  expect(rendidos).toEqual([]);
});

test('a process stopped on purpose (held) stays down', async () => {
  const s = supervisar();
  const p = plataforma.arrancar('db', ['sleep', '60']);
  s.vigilar(p);
  plataforma.retenidos.add('db');
  await p.kill();
  await new Promise((r) => setTimeout(r, 300));
  expect(plataforma.process('db')).toBe(p);
  expect(plataforma.arranques).toBe(1);
  expect(lineas).toEqual([]);
});

test('one that keeps dying quickly is given up after the allowed restarts, with its reason', async () => {
  const s = supervisar({ maxFallosSeguidos: 3 });
  plataforma.guion.set('app', [['false']]);
  const p = plataforma.arrancar('app', ['sleep', '60']);
  s.vigilar(p);
  process.kill(p.pid!, 'SIGKILL');
  await esperar('giving up', () => rendidos.length > 0);
  // The first crash, then three restarts that never became ready: the fourth failure gives up.
  expect(plataforma.arranques).toBe(4);
  expect(rendidos).toHaveLength(1);
  expect(rendidos[0]).toMatch(/^app: app exited \(code 1\) 4 times in a row without staying up 60 s/);
  expect(lineas.filter((l) => l.includes('did not come back'))).toHaveLength(3);
  // Nothing more is tried once given up.
  await new Promise((r) => setTimeout(r, 300));
  expect(plataforma.arranques).toBe(4);
});

test('a process that stayed up long enough starts its failure count over', async () => {
  const s = supervisar({ maxFallosSeguidos: 1, estableMs: 200 });
  const p = plataforma.arrancar('ui', ['sleep', '60']);
  s.vigilar(p);
  await new Promise((r) => setTimeout(r, 250));
  process.kill(p.pid!, 'SIGKILL');
  await esperar('the restart', () => plataforma.process('ui') !== p && lineas.some((l) => l.startsWith('ui is back')));
  const q = plataforma.process('ui')!;
  await new Promise((r) => setTimeout(r, 250));
  process.kill(q.pid!, 'SIGKILL');
  await esperar('the second restart', () => plataforma.process('ui') !== q && lineas.filter((l) => l.startsWith('ui is back')).length === 2);
  expect(rendidos).toEqual([]);
});

test('stopped: nothing is restarted', async () => {
  const s = supervisar();
  const p = plataforma.arrancar('sentry', ['sleep', '60']);
  s.vigilar(p);
  s.detener();
  await p.kill();
  await new Promise((r) => setTimeout(r, 200));
  expect(plataforma.arranques).toBe(1);
});
