import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loggerEnMemoria } from './log';
import { Salud } from './salud';
import { apagador } from './servidor';

interface Respuesta {
  status: number;
  cuerpo: string;
}

/** One request on its own connection (or on `agent`'s), read to the end. */
function pedir(port: number, ruta: string, agent: http.Agent | false = false): Promise<Respuesta> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: ruta, agent }, (res) => {
      let cuerpo = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (cuerpo += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cuerpo }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A server with a slow route (answers when `soltar` is called), a stuck one and a quick one. */
async function servidorDePrueba() {
  let soltar: () => void = () => undefined;
  let entro: () => void = () => undefined;
  const dentro = new Promise<void>((r) => (entro = r));
  const app = express();
  app.get('/lento', async (_req, res) => {
    entro();
    await new Promise<void>((r) => (soltar = r));
    res.send('hecho');
  });
  app.get('/colgado', () => entro());
  app.get('/rapido', (_req, res) => res.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { server, port: (server.address() as AddressInfo).port, dentro, soltar: () => soltar() };
}

let abierto: http.Server | undefined;
afterEach(() => {
  abierto?.closeAllConnections();
  abierto?.close();
  abierto = undefined;
});

describe('apagador (the graceful shutdown of escuchar)', () => {
  it('deja terminar la solicitud en curso, rechaza las nuevas, marca la salud como drenando y luego cierra', async () => {
    const s = await servidorDePrueba();
    abierto = s.server;
    const salud = new Salud({});
    const orden: string[] = [];
    const apagar = apagador(s.server, loggerEnMemoria(), {
      salud,
      apagadoMs: 5000,
      alDrenar: async () => void orden.push('alDrenar'),
      cerrar: async () => void orden.push('cerrar'),
    });

    // On a keep-alive connection: the drain closes it once its answer is out.
    const agente = new http.Agent({ keepAlive: true });
    const enCurso = pedir(s.port, '/lento', agente);
    await s.dentro;
    const fin = apagar('SIGTERM').then(() => orden.push('fin'));

    expect(salud.drenando).toBe(true);
    expect((await salud.listo()).status).toBe('draining');
    await expect(pedir(s.port, '/rapido')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(orden).toEqual(['alDrenar']);

    s.soltar();
    const soltada = Date.now();
    expect(await enCurso).toEqual({ status: 200, cuerpo: 'hecho' });
    await fin;
    // Not held by the (now idle) keep-alive connection until the deadline.
    expect(Date.now() - soltada).toBeLessThan(1000);
    agente.destroy();
    expect(orden).toEqual(['alDrenar', 'cerrar', 'fin']);
    expect(s.server.listening).toBe(false);
    // A second signal waits for the same shutdown, it does not start another.
    await expect(apagar('SIGINT')).resolves.toBeUndefined();
    expect(orden).toEqual(['alDrenar', 'cerrar', 'fin']);
  });

  it('una conexión keep-alive ociosa no retiene el apagado', async () => {
    const s = await servidorDePrueba();
    abierto = s.server;
    const agente = new http.Agent({ keepAlive: true });
    try {
      expect((await pedir(s.port, '/rapido', agente)).status).toBe(200);
      const inicio = Date.now();
      await apagador(s.server, loggerEnMemoria(), { apagadoMs: 5000 })('SIGTERM');
      expect(Date.now() - inicio).toBeLessThan(1000);
    } finally {
      agente.destroy();
    }
  });

  it('al vencer el plazo corta lo que quede, lo registra y termina igual', async () => {
    const s = await servidorDePrueba();
    abierto = s.server;
    const log = loggerEnMemoria();
    const colgada = pedir(s.port, '/colgado');
    await s.dentro;
    const inicio = Date.now();
    await apagador(s.server, log, { apagadoMs: 200 })('SIGTERM');
    expect(Date.now() - inicio).toBeGreaterThanOrEqual(150);
    expect(Date.now() - inicio).toBeLessThan(2000);
    await expect(colgada).rejects.toThrow();
    expect(log.lineas.map((l) => l.msg)).toEqual(['deteniendo', 'apagado: solicitudes cortadas al vencer el plazo', 'detenido']);
    expect(log.lineas[0]?.campos).toEqual({ signal: 'SIGTERM', deadline_ms: 200 });
  });
});
