import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SOLICITUD_DOS_LEGS, SOLICITUD_MINIMA } from '../modulos/vuelos/aplicacion/ejemplos';
import { iniciarServidorGrpcPruebas, ServidorGrpcPruebas } from '../api/grpc/servidor-pruebas-grpc';
import { PATRON_UUID } from '../api/validacion';
import { ejecutarCliente } from './main';

const RAIZ = path.resolve(__dirname, '../../../..');

let s: ServidorGrpcPruebas;
let tmp: string;

beforeEach(async () => {
  s = await iniciarServidorGrpcPruebas();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-grpc-'));
});

afterEach(async () => {
  await s.cerrar();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function correr(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = RAIZ) {
  let salida = '';
  let errores = '';
  const codigo = await ejecutarCliente({
    argv,
    env,
    cwd,
    escribir: (t) => void (salida += t),
    escribirError: (t) => void (errores += t),
  });
  return { codigo, salida, errores };
}

/** `reserva:` is followed by the reserva as indented JSON. */
const reservaImpresa = (salida: string): Record<string, unknown> => JSON.parse(salida.slice(salida.indexOf('reserva:\n') + 9));
const directo = () => ['--direct', s.direccion];

describe('npm run cli -- crear | consultar', () => {
  it('crear examples/reserva.json imprime OK, el id y la reserva; consultar <id> imprime la misma reserva', async () => {
    const crear = await correr(['crear', 'examples/reserva.json', ...directo()]);
    expect(crear).toMatchObject({ codigo: 0, errores: '' });
    expect(crear.salida).toMatch(/^mensaje: OK\nid: [0-9a-f-]{36}\nreserva:\n\{/);
    const creada = reservaImpresa(crear.salida);
    expect(creada.id).toMatch(PATRON_UUID);
    expect(creada).toMatchObject({ itinerarios: SOLICITUD_MINIMA.itinerarios });
    expect(creada.fecha_creacion).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(s.nucleo.reservas.documentos.has(creada.id as string)).toBe(true);

    const consultar = await correr(['consultar', creada.id as string, ...directo()]);
    expect(consultar.codigo).toBe(0);
    expect(reservaImpresa(consultar.salida)).toEqual(creada);
    expect(consultar.salida.split('\n').slice(0, 2)).toEqual(['mensaje: OK', `id: ${creada.id as string}`]);
  });

  it('por defecto llama al daprd local (DAPR_GRPC_PORT) con la metadata dapr-app-id: aeroalpes', async () => {
    const puerto = s.direccion.split(':')[1] as string;
    const r = await correr(['crear', 'examples/reserva-dos-legs.json', '--json'], { DAPR_GRPC_PORT: puerto });
    expect(r.codigo).toBe(0);
    const json = JSON.parse(r.salida) as { mensaje: string; reserva: { itinerarios: unknown } };
    expect(json).toMatchObject({ mensaje: 'OK', reserva: { itinerarios: SOLICITUD_DOS_LEGS.itinerarios } });
    expect(s.metadatas.at(-1)?.get('dapr-app-id')).toEqual(['aeroalpes']);
    // --direct: no Dapr metadata; --app-id changes it.
    await correr(['consultar', '00000000-0000-4000-8000-000000000000', ...directo()]);
    expect(s.metadatas.at(-1)?.get('dapr-app-id')).toEqual([]);
    await correr(['consultar', '00000000-0000-4000-8000-000000000000', '--app-id', 'otra'], { DAPR_GRPC_PORT: puerto });
    expect(s.metadatas.at(-1)?.get('dapr-app-id')).toEqual(['otra']);
  });

  it('una ruta relativa se toma de INIT_CWD (donde se ejecutó npm run) si existe allí', async () => {
    fs.writeFileSync(path.join(tmp, 'mia.json'), JSON.stringify(SOLICITUD_DOS_LEGS));
    const r = await correr(['crear', 'mia.json', ...directo()], { INIT_CWD: tmp });
    expect(r.codigo).toBe(0);
    expect(reservaImpresa(r.salida)).toMatchObject({ itinerarios: SOLICITUD_DOS_LEGS.itinerarios });
  });

  it('INVALID_ARGUMENT: sale con 1 y muestra el código, el mensaje y cada campo con su regla', async () => {
    const malo = structuredClone(SOLICITUD_MINIMA);
    malo.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.codigo = 'BOG';
    fs.writeFileSync(path.join(tmp, 'mala.json'), JSON.stringify({ ...malo, id_cliente: 'x' }));
    const r = await correr(['crear', path.join(tmp, 'mala.json'), ...directo()]);
    expect(r.codigo).toBe(1);
    expect(r.salida).toBe('');
    expect(r.errores).toContain('aviso: el contrato gRPC no lleva estos campos (o los asigna el servidor), se ignoran: id_cliente');
    expect(r.errores).toContain('error: INVALID_ARGUMENT: la solicitud no es válida:');
    expect(r.errores).toContain('  - itinerarios[0].odos[0].segmentos[0].legs[0].destino.codigo: el origen (BOG) y el destino (BOG) deben ser distintos (regla RutaValida)');
  });

  it('NOT_FOUND: sale con 1', async () => {
    const r = await correr(['consultar', '00000000-0000-4000-8000-000000000000', ...directo()]);
    expect(r).toMatchObject({ codigo: 1, salida: '' });
    expect(r.errores).toBe('error: NOT_FOUND: Reserva 00000000-0000-4000-8000-000000000000 no existe\n');
  });

  it('UNAVAILABLE si no hay nada escuchando: sale con 1 y sugiere npm start', async () => {
    const libre = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });
    const r = await correr(['consultar', '00000000-0000-4000-8000-000000000000', '--timeout', '3000'], { DAPR_GRPC_PORT: String(libre) });
    expect(r.codigo).toBe(1);
    expect(r.errores).toMatch(/^error: UNAVAILABLE: /);
    expect(r.errores).toContain(`daprd local en 127.0.0.1:${libre}`);
  });

  it.each([
    [[], 'falta el comando'],
    [['borrar', 'x'], 'comando desconocido: borrar'],
    [['crear'], 'falta el archivo JSON'],
    [['consultar'], 'falta el id'],
    [['consultar', 'a', 'b'], 'argumentos de más: b'],
    [['consultar', 'a', '--direct'], '--direct necesita un valor'],
    [['consultar', 'a', '--direct', 'sinpuerto'], '--direct debe ser host:puerto'],
    [['consultar', 'a', '--timeout', '0'], '--timeout debe ser un entero positivo'],
    [['consultar', 'a', '--verbose'], 'opción desconocida: --verbose'],
    [['crear', 'no-existe.json'], 'no se pudo leer'],
  ])('uso incorrecto %j: sale con 2 y lo explica', async (argv, mensaje) => {
    const r = await correr(argv);
    expect(r.codigo).toBe(2);
    expect(r.errores).toContain(mensaje);
  });

  it('DAPR_GRPC_PORT inválido, JSON inválido o una fecha imposible: sale con 2 nombrando el problema', async () => {
    expect((await correr(['consultar', 'a'], { DAPR_GRPC_PORT: 'abc' })).errores).toContain("DAPR_GRPC_PORT debe ser un puerto (es 'abc')");
    fs.writeFileSync(path.join(tmp, 'rota.json'), '{"itinerarios": [');
    expect(await correr(['crear', path.join(tmp, 'rota.json'), ...directo()])).toMatchObject({ codigo: 2, errores: expect.stringContaining('no es JSON válido') });
    const imposible = structuredClone(SOLICITUD_MINIMA);
    imposible.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.fecha_salida = '2022-02-30T10:00:00Z';
    fs.writeFileSync(path.join(tmp, 'fecha.json'), JSON.stringify(imposible));
    const r = await correr(['crear', path.join(tmp, 'fecha.json'), ...directo()]);
    expect(r.codigo).toBe(2);
    expect(r.errores).toContain('itinerarios[0].odos[0].segmentos[0].legs[0].fecha_salida: debe ser una fecha UTC real');
    expect(s.metadatas).toEqual([]);
  });

  it('--help imprime el uso y sale con 0', async () => {
    const r = await correr(['--help']);
    expect(r.codigo).toBe(0);
    expect(r.salida).toContain('npm run cli -- crear <archivo.json>');
  });
});
