import fs from 'node:fs';
import path from 'node:path';
import {
  ACCIONES_PERMITIDAS,
  ACCIONES_RESERVA,
  accionesPermitidas,
  esAccionReserva,
  esEstadoReserva,
  EstadoReserva,
  ESTADOS_RESERVA,
  estadoTrasAccion,
  puedeTransicionar,
} from './estados-reserva';

describe('estados y acciones de una reserva (el lenguaje publicado)', () => {
  it('los cuatro estados del contrato y las tres acciones', () => {
    expect(ESTADOS_RESERVA).toEqual(['Pendiente', 'Aprobada', 'Cancelada', 'Pagada']);
    expect(Object.values(EstadoReserva)).toEqual([...ESTADOS_RESERVA]);
    expect(ACCIONES_RESERVA).toEqual(['aprobar', 'cancelar', 'pagar']);
  });

  it('las acciones permitidas de cada estado, en el orden en que una página las ofrece', () => {
    expect(ACCIONES_PERMITIDAS).toEqual({ Pendiente: ['aprobar', 'cancelar'], Aprobada: ['pagar', 'cancelar'], Cancelada: [], Pagada: [] });
    expect(accionesPermitidas('Aprobada')).toEqual(['pagar', 'cancelar']);
    for (const ajeno of ['Rechazada', '', undefined, 3, 'pendiente']) expect(accionesPermitidas(ajeno)).toEqual([]);
  });

  it('cada acción lleva a su estado, solo desde donde está permitida', () => {
    const esperado: Record<string, string> = {
      'Pendiente aprobar': 'Aprobada',
      'Pendiente cancelar': 'Cancelada',
      'Aprobada pagar': 'Pagada',
      'Aprobada cancelar': 'Cancelada',
    };
    for (const desde of ESTADOS_RESERVA) {
      for (const accion of ACCIONES_RESERVA) expect([desde, accion, estadoTrasAccion(desde, accion)]).toEqual([desde, accion, esperado[`${desde} ${accion}`]]);
    }
  });

  it('puedeTransicionar: Pendiente -> Aprobada -> Pagada; Pendiente | Aprobada -> Cancelada; nada sale de Cancelada ni de Pagada', () => {
    const permitidas = ESTADOS_RESERVA.flatMap((d) => ESTADOS_RESERVA.filter((h) => puedeTransicionar(d, h)).map((h) => `${d}->${h}`));
    expect(permitidas).toEqual(['Pendiente->Aprobada', 'Pendiente->Cancelada', 'Aprobada->Cancelada', 'Aprobada->Pagada']);
  });

  it('guardas de tipo', () => {
    expect(ESTADOS_RESERVA.every(esEstadoReserva)).toBe(true);
    expect(ACCIONES_RESERVA.every(esAccionReserva)).toBe(true);
    for (const malo of ['Rechazada', 'aprobar', '', null, {}]) expect(esEstadoReserva(malo)).toBe(false);
    for (const malo of ['Aprobada', 'toString', 'constructor', '', null]) expect(esAccionReserva(malo)).toBe(false);
  });

  it('no se puede modificar', () => {
    expect(Object.isFrozen(ACCIONES_PERMITIDAS)).toBe(true);
    expect(Object.isFrozen(ACCIONES_PERMITIDAS.Pendiente)).toBe(true);
    expect(Object.isFrozen(ACCIONES_RESERVA)).toBe(true);
  });

  it('no importa nada: el dominio puede depender de él', () => {
    const fuente = fs.readFileSync(path.join(__dirname, 'estados-reserva.ts'), 'utf8');
    expect(fuente).not.toMatch(/^\s*import\b|\brequire\(/m);
  });
});
