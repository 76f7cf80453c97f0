import {
  Esquema,
  esquemaAceptado,
  esquemaCliente,
  esquemaCuerpoAccion,
  esquemaError,
  esquemaPaginaReservas,
  esquemaReserva,
  esquemaSalud,
  esquemaSolicitudReserva,
  esquemaUuid,
} from './esquemas';
import { DefinicionRuta, RespuestaRuta } from './rutas';

/** Named schemas become components; the rest are inlined. Same objects as the validators use. */
const COMPONENTES = new Map<Esquema, string>([
  [esquemaSolicitudReserva, 'SolicitudReserva'],
  [esquemaReserva, 'Reserva'],
  [esquemaCuerpoAccion, 'CuerpoAccion'],
  [esquemaPaginaReservas, 'PaginaReservas'],
  [esquemaAceptado, 'Aceptado'],
  [esquemaCliente, 'Cliente'],
  [esquemaSalud, 'Salud'],
  [esquemaError, 'Error'],
]);

const ref = (esquema: Esquema): Esquema => {
  const nombre = COMPONENTES.get(esquema);
  return nombre ? { $ref: `#/components/schemas/${nombre}` } : esquema;
};

const json = (esquema: Esquema) => ({ 'application/json': { schema: ref(esquema) } });

const ERRORES: Record<number, string> = {
  400: 'Solicitud inválida: errores de validación (campo y regla) o regla de negocio violada',
  404: 'No existe',
  409: 'Conflicto',
  413: 'Cuerpo demasiado grande',
  415: 'El cuerpo debe ser application/json',
  500: 'Error interno',
};

function respuestas(ruta: DefinicionRuta): Record<string, unknown> {
  const salida: Record<string, unknown> = {};
  const agregar = (codigo: number, r: RespuestaRuta) => {
    salida[String(codigo)] = {
      description: r.descripcion,
      ...(r.cabeceras ? { headers: Object.fromEntries(Object.entries(r.cabeceras).map(([k, d]) => [k, { description: d, schema: { type: 'string' } }])) } : {}),
      ...(r.esquema ? { content: json(r.esquema) } : {}),
    };
  };
  for (const [codigo, r] of Object.entries(ruta.respuestas)) {
    const n = Number(codigo);
    agregar(n, n >= 400 ? { ...r, esquema: esquemaError } : r);
  }
  const errores: number[] = [];
  if (ruta.cuerpo || ruta.conId || ruta.parametrosQuery) errores.push(400);
  if (ruta.conId) errores.push(404);
  if (ruta.cuerpo) errores.push(413, 415);
  errores.push(500);
  for (const codigo of errores) if (!(String(codigo) in salida)) agregar(codigo, { descripcion: ERRORES[codigo] ?? '', esquema: esquemaError });
  return salida;
}

function parametros(ruta: DefinicionRuta): unknown[] {
  const lista: unknown[] = [];
  if (ruta.conId) lista.push({ name: 'id', in: 'path', required: true, schema: esquemaUuid });
  const propiedades = (ruta.parametrosQuery?.properties ?? {}) as Record<string, Esquema>;
  for (const [nombre, esquema] of Object.entries(propiedades)) {
    lista.push({ name: nombre, in: 'query', required: false, schema: esquema });
  }
  lista.push({
    name: 'x-correlation-id',
    in: 'header',
    required: false,
    description: 'Id de correlación; se genera si falta y se devuelve en la respuesta',
    schema: { type: 'string', maxLength: 128 },
  });
  return lista;
}

/** OpenAPI 3.1 document generated from the route table and the validation schemas. */
export function construirOpenApi(rutas: readonly DefinicionRuta[], version = '1.0.0'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const ruta of rutas) {
    paths[ruta.ruta] ??= {};
    (paths[ruta.ruta] as Record<string, unknown>)[ruta.metodo] = {
      operationId: ruta.id,
      summary: ruta.resumen,
      tags: [ruta.etiqueta],
      parameters: parametros(ruta),
      ...(ruta.cuerpo ? { requestBody: { required: ruta.cuerpo.obligatorio, content: json(ruta.cuerpo.esquema) } } : {}),
      responses: respuestas(ruta),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'AeroAlpes',
      version,
      description:
        'Reservas de vuelos (CQRS). Errores: 400 validación/regla de negocio (campo y regla), 404, ' +
        '409 transición no permitida o conflicto de versión, 413, 415, 500; siempre JSON.',
    },
    paths,
    components: { schemas: Object.fromEntries([...COMPONENTES].map(([esquema, nombre]) => [nombre, esquema])) },
  };
}
