import { CORPUS_HOSTIL, peticionDeCaso, RUTAS_CORPUS } from './corpus-hostil';
import { iniciarServidorPruebas, ServidorPruebas } from './servidor-pruebas';
import { MAXIMO_ERRORES } from './validacion';

let servidor: ServidorPruebas;

beforeAll(async () => {
  servidor = await iniciarServidorPruebas();
});

afterAll(async () => {
  await servidor.cerrar();
});

test('el corpus tiene al menos 50 cuerpos hostiles con nombres únicos', () => {
  expect(CORPUS_HOSTIL.length).toBeGreaterThanOrEqual(50);
  expect(new Set(CORPUS_HOSTIL.map((c) => c.nombre)).size).toBe(CORPUS_HOSTIL.length);
});

describe.each(RUTAS_CORPUS)('POST %s con cuerpos hostiles', (ruta) => {
  test.each(CORPUS_HOSTIL.map((c) => [c.nombre, c] as const))('%s', async (_nombre, caso) => {
    const respuesta = await fetch(`${servidor.base}${ruta}`, { method: 'POST', ...peticionDeCaso(caso) });
    const texto = await respuesta.text();
    expect({ estado: respuesta.status, texto: texto.slice(0, 300) }).toMatchObject({ estado: caso.esperado.estado });
    expect(respuesta.headers.get('content-type')).toMatch(/^application\/json/);
    const cuerpo = JSON.parse(texto) as { error: string; mensaje: string; errores?: { campo: string; regla: string; mensaje: string }[] };
    expect(cuerpo.error).toBe(caso.esperado.error);
    expect(typeof cuerpo.mensaje).toBe('string');
    expect(texto).not.toMatch(/\bat .+\(.+:\d+:\d+\)|<html|node_modules/i); // no stack, no HTML
    if (caso.esperado.campo !== undefined) {
      expect(cuerpo.errores).toEqual(
        expect.arrayContaining([expect.objectContaining({ campo: caso.esperado.campo, ...(caso.esperado.regla ? { regla: caso.esperado.regla } : {}) })]),
      );
      expect((cuerpo.errores ?? []).length).toBeLessThanOrEqual(MAXIMO_ERRORES);
      for (const e of cuerpo.errores ?? []) expect(e.mensaje.length).toBeGreaterThan(0);
    }
    // Nothing was written, nothing was published, nothing leaked into Object.prototype.
    const { reservas, vista, clientes, publicador } = servidor.nucleo;
    expect(reservas.documentos.size).toBe(0);
    expect(vista.documentos.size).toBe(0);
    expect(clientes.clientes.size).toBe(0);
    expect(publicador.publicados).toHaveLength(0);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('estado');
  });
});
