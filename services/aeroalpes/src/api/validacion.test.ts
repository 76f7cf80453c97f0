import { copiaSolicitud, SOLICITUD_MINIMA } from '../modulos/vuelos/aplicacion/ejemplos';
import { esquemaParametrosListado, esquemaSolicitudReserva } from './esquemas';
import { MAXIMO_ERRORES, Validador } from './validacion';

const solicitud = new Validador(esquemaSolicitudReserva);
const listado = new Validador<{ pagina: number; tamano: number }>(esquemaParametrosListado, { parametros: true });

/**
 * `valor` with every object and list inside it behind a Proxy that records when the validator
 * touches it (reads a property or an element, lists its keys): the work is measured as nodes
 * visited, not as time.
 */
function medido(valor: unknown, visitados: Set<unknown>): unknown {
  if (typeof valor !== 'object' || valor === null) return valor;
  const copia: unknown = Array.isArray(valor) ? valor.map((v) => medido(v, visitados)) : Object.fromEntries(Object.entries(valor).map(([k, v]) => [k, medido(v, visitados)]));
  const proxy: object = new Proxy(copia as object, {
    get(destino, clave, receptor) {
      if (clave !== 'length') visitados.add(proxy);
      return Reflect.get(destino, clave, receptor) as unknown;
    },
    ownKeys(destino) {
      visitados.add(proxy);
      return Reflect.ownKeys(destino);
    },
    getOwnPropertyDescriptor(destino, clave) {
      visitados.add(proxy);
      return Reflect.getOwnPropertyDescriptor(destino, clave);
    },
  });
  return proxy;
}

const legsVacios = (n: number) => ({ itinerarios: [{ odos: [{ segmentos: [{ legs: Array.from({ length: n }, () => ({})) }] }] }] });

describe('Validador: el trabajo no crece con el número de errores', () => {
  it('87000 legs vacíos: un solo error (maxItems) y ningún leg visitado', () => {
    const visitados = new Set<unknown>();
    const v = solicitud.validar(medido(legsVacios(87_000), visitados));
    expect(v).toEqual({
      ok: false,
      errores: [{ campo: 'itinerarios[0].odos[0].segmentos[0].legs', regla: 'maxItems', mensaje: 'debe tener como máximo 20 elementos' }],
    });
    // The body, its itinerario, odo and segmento (and the lists holding them); none of the 87,000 legs.
    expect(visitados.size).toBeLessThanOrEqual(7);
  });

  it('20000 legs vacíos dentro de los máximos: se detiene en MAXIMO_ERRORES tras visitar unos pocos legs', () => {
    const segmento = () => ({ legs: Array.from({ length: 20 }, () => ({})) });
    const odo = () => ({ segmentos: Array.from({ length: 10 }, segmento) });
    const cuerpo = { itinerarios: Array.from({ length: 10 }, () => ({ odos: Array.from({ length: 10 }, odo) })) };
    const visitados = new Set<unknown>();
    const v = solicitud.validar(medido(cuerpo, visitados));
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errores).toHaveLength(MAXIMO_ERRORES);
    expect(v.errores[0]).toEqual({ campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].fecha_salida', regla: 'required', mensaje: 'campo obligatorio ausente' });
    // Four missing fields per leg: 13 legs give the 50 errors; the other 19,987 are never read.
    expect(visitados.size).toBeLessThan(30);
  });

  it('10000 campos desconocidos: MAXIMO_ERRORES errores, los primeros', () => {
    const cuerpo: Record<string, unknown> = { ...copiaSolicitud() };
    for (let i = 0; i < 10_000; i++) cuerpo[`c${i}`] = i;
    const v = solicitud.validar(cuerpo);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errores).toHaveLength(MAXIMO_ERRORES);
    expect(v.errores.map((e) => e.campo)).toEqual(Array.from({ length: MAXIMO_ERRORES }, (_, i) => `c${i}`));
  });

  it('un texto de 100000 caracteres: un error por regla que rompe, no uno por carácter', () => {
    const cuerpo = copiaSolicitud();
    cuerpo.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.nombre = '\u0000'.repeat(100_000);
    const v = solicitud.validar(cuerpo);
    const campo = 'itinerarios[0].odos[0].segmentos[0].legs[0].destino.nombre';
    expect(v).toMatchObject({
      ok: false,
      errores: [
        { campo, regla: 'maxLength' },
        { campo, regla: 'format' },
      ],
    });
  });

  it('una solicitud válida pasa intacta', () => {
    expect(solicitud.validar(copiaSolicitud())).toEqual({ ok: true, valor: SOLICITUD_MINIMA });
  });
});

describe('Validador: nombres', () => {
  const conNombre = (nombre: string) => {
    const cuerpo = copiaSolicitud();
    cuerpo.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.origen.nombre = nombre;
    return solicitud.validar(cuerpo);
  };

  it.each([
    ['\u0001', 'C0'],
    ['\u001f', 'C0'],
    ['\u007f', 'DEL'],
    ['\u0080', 'C1'],
    ['\u009f', 'C1'],
    ['\u200e', 'marca de izquierda a derecha (Cf)'],
    ['\u2066', 'aislamiento bidi (Cf)'],
    ['\u2060', 'unión de palabras (Cf)'],
    ['\ud800', 'sustituto alto suelto'],
    ['\udfff', 'sustituto bajo suelto'],
    ['\udc00\ud800', 'sustitutos en orden inverso'],
  ])('rechaza %j (%s) con la regla format', (caracter) => {
    expect(conNombre(`Aero${caracter}puerto`)).toMatchObject({
      ok: false,
      errores: [{ campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].origen.nombre', regla: 'format', mensaje: expect.stringContaining('caracteres de control') }],
    });
  });

  it.each(['José María Córdova', 'Aeropuerto Internacional 北京首都', 'Ben Gurion נמל התעופה', '✈️ El Dorado 😀', 'Zürich-Flughafen'])('acepta %j', (nombre) => {
    expect(conNombre(nombre).ok).toBe(true);
  });
});

describe('Validador de parámetros: solo enteros canónicos', () => {
  it.each([
    [{}, { pagina: 1, tamano: 20 }],
    [
      { pagina: '1', tamano: '20' },
      { pagina: 1, tamano: 20 },
    ],
    [
      { pagina: '10000', tamano: '100' },
      { pagina: 10000, tamano: 100 },
    ],
  ])('%j -> %j', (consulta, leido) => {
    expect(listado.validar({ ...consulta })).toEqual({ ok: true, valor: leido });
  });

  it.each(['01', '1e3', ' 2', '2 ', '+3', '0x10', '1.0', '1.5', '', '-0', '١', '٢٠'])('pagina=%j: 400 type', (pagina) => {
    expect(listado.validar({ pagina })).toMatchObject({ ok: false, errores: [{ campo: 'pagina', regla: 'type', mensaje: expect.stringContaining('sin ceros a la izquierda') }] });
  });

  it('un canónico fuera de rango es su regla, no type', () => {
    expect(listado.validar({ pagina: '0', tamano: '101' })).toMatchObject({
      ok: false,
      errores: [
        { campo: 'pagina', regla: 'minimum' },
        { campo: 'tamano', regla: 'maximum' },
      ],
    });
  });
});

describe('Validador: esquemas', () => {
  it('rechaza al compilar una palabra clave que no conoce (como el modo estricto de ajv)', () => {
    expect(() => new Validador({ type: 'object', patternProperties: {} })).toThrow(/patternProperties/);
    expect(() => new Validador({ type: 'string', format: 'email' })).toThrow(/email/);
    expect(() => new Validador({ type: ['string', 'null'] })).toThrow(/tipo no soportado/);
  });
});
