import * as grpc from '@grpc/grpc-js';
import { esquemaError } from './esquemas';
import { ErrorAplicacion, TipoError } from '../seedwork/aplicacion/resultado';
import { resultadoDapr, TABLA_ERRORES, transporteDe, transporteDeCodigo } from './tabla-errores';

/** One error of every type (a new type makes this object fail to type-check, like the table). */
const EJEMPLOS: { [T in TipoError]: Extract<ErrorAplicacion, { tipo: T }> } = {
  NoEncontrado: { tipo: 'NoEncontrado', mensaje: 'Reserva x no existe', recurso: 'Reserva', id: 'x' },
  ReglaNegocio: { tipo: 'ReglaNegocio', mensaje: 'm', regla: 'RutaValida', campo: 'c' },
  TransicionInvalida: { tipo: 'TransicionInvalida', mensaje: 'no se puede pagar', estadoActual: 'Pendiente', accion: 'pagar' },
  ConflictoVersion: { tipo: 'ConflictoVersion', mensaje: 'cambió', versionEsperada: 1 },
  Conflicto: { tipo: 'Conflicto', mensaje: 'ya existe' },
  DependenciaNoDisponible: { tipo: 'DependenciaNoDisponible', mensaje: 'la base de datos no responde' },
};

describe('la tabla de errores de aplicación -> transportes', () => {
  const codigosRest = (esquemaError.properties as { error: { enum: string[] } }).error.enum;

  it('tiene una fila por tipo, y cada fila llena cada columna con un valor válido', () => {
    expect(Object.keys(TABLA_ERRORES).sort()).toEqual(Object.keys(EJEMPLOS).sort());
    for (const [tipo, fila] of Object.entries(TABLA_ERRORES)) {
      expect([tipo, Number.isInteger(fila.http) && fila.http >= 400 && fila.http < 600]).toEqual([tipo, true]);
      expect([tipo, codigosRest.includes(fila.codigo)]).toEqual([tipo, true]); // a code the REST error schema declares
      expect([tipo, typeof grpc.status[fila.grpc]]).toEqual([tipo, 'number']);
      expect([tipo, ['SUCCESS', 'RETRY', 'DROP'].includes(fila.dapr)]).toEqual([tipo, true]);
    }
  });

  it('los códigos REST son únicos (OnInvoke reconoce una fila por su código)', () => {
    const codigos = Object.values(TABLA_ERRORES).map((f) => f.codigo);
    expect(new Set(codigos).size).toBe(codigos.length);
    for (const fila of Object.values(TABLA_ERRORES)) expect(transporteDeCodigo(fila.codigo)).toBe(fila);
    expect(transporteDeCodigo('validacion')).toBeUndefined();
    expect(transporteDeCodigo(undefined)).toBeUndefined();
  });

  it.each([
    ['NoEncontrado', 404, 'no_encontrado', 'NOT_FOUND', 'DROP'],
    ['ReglaNegocio', 400, 'regla_negocio', 'INVALID_ARGUMENT', 'DROP'],
    ['TransicionInvalida', 409, 'transicion_invalida', 'FAILED_PRECONDITION', 'DROP'],
    ['ConflictoVersion', 409, 'conflicto_version', 'ABORTED', 'RETRY'],
    ['Conflicto', 409, 'conflicto', 'ALREADY_EXISTS', 'SUCCESS'],
    ['DependenciaNoDisponible', 503, 'no_disponible', 'UNAVAILABLE', 'RETRY'],
  ] as const)('%s: %i %s / %s / %s', (tipo, http, codigo, codigoGrpc, dapr) => {
    expect(transporteDe(EJEMPLOS[tipo])).toEqual({ http, codigo, grpc: codigoGrpc, dapr });
    expect(resultadoDapr(EJEMPLOS[tipo])).toBe(dapr);
  });
});
