/**
 * JSON Schemas of the REST API. The same objects validate requests (ajv, api/validacion.ts) and
 * describe the API (OpenAPI 3.1 at GET /spec, api/openapi.ts): one source of truth.
 * Depth is bounded by the schema itself (reserva > itinerarios > odos > segmentos > legs > aeropuerto),
 * every object has `additionalProperties: false`, every array and string a maximum size.
 */
import { ESTADOS_RESERVA } from '../modulos/vuelos/dominio/estado-reserva';
import { CLASES_PASAJERO, TIPOS_PASAJERO } from '../modulos/vuelos/dominio/objetos-valor';
import { LONGITUD_MAXIMA_NOMBRE } from '../modulos/vuelos/dominio/reglas';
import { PAGINA_MAXIMA, PROFUNDIDAD_MAXIMA, TAMANO_PAGINA_MAXIMO } from '../modulos/vuelos/aplicacion/queries/paginacion';

export type Esquema = Record<string, unknown>;

const LIMITES = {
  itinerarios: 10,
  odos: 10,
  segmentos: 10,
  legs: 20,
  pasajeros: 20,
} as const;

export const esquemaUuid: Esquema = {
  type: 'string',
  format: 'uuid',
  maxLength: 36,
  description: 'UUID (8-4-4-4-12 hexadecimal)',
};

const esquemaFechaUTC: Esquema = {
  type: 'string',
  format: 'date-time',
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$',
  maxLength: 20,
  description: 'Fecha y hora UTC, formato YYYY-MM-DDTHH:MM:SSZ',
  examples: ['2022-11-22T13:10:00Z'],
};

const esquemaAeropuerto: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['codigo', 'nombre'],
  properties: {
    codigo: { type: 'string', pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3, description: 'Código IATA (3 letras mayúsculas)' },
    nombre: {
      type: 'string',
      minLength: 1,
      maxLength: LONGITUD_MAXIMA_NOMBRE,
      pattern: '\\S',
      format: 'texto-imprimible',
      description: 'Sin caracteres de control (C0/C1), de formato (Unicode Cf) ni sustitutos sueltos',
    },
  },
};

const esquemaLeg: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['fecha_salida', 'fecha_llegada', 'origen', 'destino'],
  properties: {
    fecha_salida: esquemaFechaUTC,
    fecha_llegada: esquemaFechaUTC,
    origen: esquemaAeropuerto,
    destino: esquemaAeropuerto,
  },
};

const lista = (items: Esquema, maximo: number): Esquema => ({ type: 'array', minItems: 1, maxItems: maximo, items });

const esquemaItinerario: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['odos'],
  properties: {
    odos: lista(
      {
        type: 'object',
        additionalProperties: false,
        required: ['segmentos'],
        properties: {
          segmentos: lista(
            {
              type: 'object',
              additionalProperties: false,
              required: ['legs'],
              properties: { legs: lista(esquemaLeg, LIMITES.legs) },
            },
            LIMITES.segmentos,
          ),
        },
      },
      LIMITES.odos,
    ),
  },
};

const esquemaPasajero: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['clase', 'tipo'],
  properties: {
    clase: { type: 'string', enum: [...CLASES_PASAJERO] },
    tipo: { type: 'string', enum: [...TIPOS_PASAJERO] },
  },
};

/** Body of POST /vuelos/reserva and POST /vuelos/reserva-comando. */
export const esquemaSolicitudReserva: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['itinerarios'],
  properties: {
    id_cliente: { ...esquemaUuid, description: 'Cliente que reserva; ausente = anónimo' },
    itinerarios: lista(esquemaItinerario, LIMITES.itinerarios),
    pasajeros: { ...lista(esquemaPasajero, LIMITES.pasajeros), description: 'Opcional; si se da, al menos un Adulto' },
  },
};

/** The reserva document every endpoint returns. */
export const esquemaReserva: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'estado', 'fecha_creacion', 'fecha_actualizacion', 'version', 'itinerarios'],
  properties: {
    id: esquemaUuid,
    id_cliente: esquemaUuid,
    estado: { type: 'string', enum: [...ESTADOS_RESERVA] },
    fecha_creacion: esquemaFechaUTC,
    fecha_actualizacion: esquemaFechaUTC,
    version: { type: 'integer', minimum: 1 },
    itinerarios: lista(esquemaItinerario, LIMITES.itinerarios),
    pasajeros: lista(esquemaPasajero, LIMITES.pasajeros),
  },
};

/** Optional body of POST /vuelos/reserva/{id}/aprobar|cancelar|pagar. */
export const esquemaCuerpoAccion: Esquema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: {
      type: 'integer',
      minimum: 1,
      maximum: 2147483647,
      description: 'Versión que el cliente leyó: si la reserva cambió desde entonces, 409',
    },
  },
};

/** Query string of the list endpoints (it arrives as text: canonical integers are read as numbers). */
export const esquemaParametrosPagina: Esquema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pagina: {
      type: 'integer',
      minimum: 1,
      maximum: PAGINA_MAXIMA,
      default: 1,
      description: `Entero decimal (1, 2, ...; no 01, +1 ni 1e3). pagina × tamano ≤ ${PROFUNDIDAD_MAXIMA}: más allá, 400 (filtre por estado)`,
    },
    tamano: { type: 'integer', minimum: 1, maximum: TAMANO_PAGINA_MAXIMO, default: 20, description: 'Entero decimal: reservas por página' },
  },
};

export const esquemaParametrosListado: Esquema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    estado: { type: 'string', enum: [...ESTADOS_RESERVA] },
    ...(esquemaParametrosPagina.properties as Esquema),
  },
};

export const esquemaParametrosId: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: esquemaUuid },
};

export const esquemaPaginaReservas: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['reservas', 'pagina', 'tamano', 'total', 'total_paginas'],
  properties: {
    reservas: { type: 'array', items: esquemaReserva },
    pagina: { type: 'integer', minimum: 1 },
    tamano: { type: 'integer', minimum: 1 },
    total: { type: 'integer', minimum: 0 },
    total_paginas: { type: 'integer', minimum: 0 },
  },
};

export const esquemaAceptado: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'mensaje', 'consulta'],
  properties: {
    id: esquemaUuid,
    mensaje: { type: 'string' },
    consulta: { type: 'string', description: 'Dónde consultar la reserva (igual que la cabecera Location)' },
  },
};

export const esquemaCliente: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'reservas'],
  properties: { id: { type: 'string' }, reservas: { type: 'array', items: esquemaUuid } },
};

export const esquemaSalud: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: ['up'] } },
};

export const esquemaError: Esquema = {
  type: 'object',
  additionalProperties: false,
  required: ['error', 'mensaje'],
  properties: {
    error: {
      type: 'string',
      enum: [
        'validacion',
        'regla_negocio',
        'json_invalido',
        'no_encontrado',
        'ruta_no_encontrada',
        'metodo_no_permitido',
        'transicion_invalida',
        'conflicto_version',
        'conflicto',
        'cuerpo_demasiado_grande',
        'tipo_contenido_no_soportado',
        'origen_no_permitido',
        'interno',
        'no_disponible',
      ],
    },
    mensaje: { type: 'string' },
    errores: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['campo', 'regla', 'mensaje'],
        properties: { campo: { type: 'string' }, regla: { type: 'string' }, mensaje: { type: 'string' } },
      },
    },
    estado_actual: { type: 'string' },
    accion: { type: 'string' },
    limite_bytes: { type: 'integer' },
    id_correlacion: { type: 'string' },
  },
};
