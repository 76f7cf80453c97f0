import { AgregacionRaiz, Entidad } from './entidades';
import { EventoDominio } from './eventos';
import { ReglaNegocioExcepcion } from './excepciones';
import { igualdadProfunda, ObjetoValor } from './objetos-valor';
import { MinimoUnElemento, ReglaNegocio, validarRegla, validarReglas } from './reglas';

class Cosa extends Entidad {
  constructor(id: string) {
    super(id);
  }
}

class Otra extends Entidad {
  constructor(id: string) {
    super(id);
  }
}

class Algo extends EventoDominio {
  readonly tipo = 'Algo';
  constructor() {
    super(new Date('2024-01-01T00:00:00Z'));
  }
}

class Agregado extends AgregacionRaiz {
  constructor(id: string, version = 0) {
    super(id, version);
  }
  hacer(): void {
    this.agregarEvento(new Algo());
  }
}

class Punto extends ObjetoValor<{ x: number; cuando: Date; etiquetas: string[] }> {
  constructor(x: number, cuando: Date, etiquetas: string[]) {
    super({ x, cuando, etiquetas });
  }
  get etiquetas(): readonly string[] {
    return this.props.etiquetas;
  }
}

class Positivo extends ReglaNegocio {
  constructor(private readonly n: number) {
    super('Positivo', 'debe ser positivo', 'n');
  }
  esValido(): boolean {
    return this.n > 0;
  }
}

describe('Entidad', () => {
  it('tiene un id inmutable', () => {
    const c = new Cosa('a');
    expect(() => {
      (c as unknown as { id: string }).id = 'b';
    }).toThrow(TypeError);
    expect(c.id).toBe('a');
  });

  it('exige un id', () => {
    expect(() => new Cosa('')).toThrow();
  });

  it('es igual a otra del mismo tipo con el mismo id', () => {
    expect(new Cosa('a').igual(new Cosa('a'))).toBe(true);
    expect(new Cosa('a').igual(new Cosa('b'))).toBe(false);
    expect(new Cosa('a').igual(new Otra('a'))).toBe(false);
    expect(new Cosa('a').igual(null)).toBe(false);
  });
});

describe('AgregacionRaiz', () => {
  it('registra eventos y los entrega una sola vez', () => {
    const a = new Agregado('x');
    a.hacer();
    a.hacer();
    expect(a.eventos).toHaveLength(2);
    const eventos = a.extraerEventos();
    expect(eventos.map((e) => e.tipo)).toEqual(['Algo', 'Algo']);
    expect(a.eventos).toHaveLength(0);
    expect(a.extraerEventos()).toEqual([]);
  });

  it('la copia de eventos que expone no altera los pendientes', () => {
    const a = new Agregado('x');
    a.hacer();
    (a.eventos as EventoDominio[]).pop();
    expect(a.eventos).toHaveLength(1);
  });

  it('lleva la versión: 0 es nuevo, solo avanza', () => {
    const a = new Agregado('x');
    expect(a.esNuevo).toBe(true);
    a.marcarPersistido(1);
    expect(a.version).toBe(1);
    expect(a.esNuevo).toBe(false);
    expect(() => a.marcarPersistido(1)).toThrow();
    expect(() => new Agregado('y', -1)).toThrow();
  });
});

describe('EventoDominio', () => {
  it('tiene id único, fecha y correlación asignable una sola vez', () => {
    const a = new Algo();
    const b = new Algo();
    expect(a.id).not.toBe(b.id);
    expect(a.fechaEvento.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    a.correlacionar('c1');
    a.correlacionar('c1');
    expect(a.idCorrelacion).toBe('c1');
    expect(() => a.correlacionar('c2')).toThrow();
  });
});

describe('ObjetoValor', () => {
  it('se compara por valor', () => {
    const cuando = new Date('2024-01-01T00:00:00Z');
    expect(new Punto(1, cuando, ['a']).igual(new Punto(1, new Date(cuando.getTime()), ['a']))).toBe(true);
    expect(new Punto(1, cuando, ['a']).igual(new Punto(2, cuando, ['a']))).toBe(false);
    expect(new Punto(1, cuando, ['a']).igual(new Punto(1, cuando, ['b']))).toBe(false);
  });

  it('es inmutable aunque se modifique lo que se le pasó', () => {
    const etiquetas = ['a'];
    const p = new Punto(1, new Date(0), etiquetas);
    etiquetas.push('b');
    expect(p.etiquetas).toEqual(['a']);
    expect(() => (p.etiquetas as string[]).push('c')).toThrow(TypeError);
  });

  it('igualdadProfunda trata fechas, listas, objetos y undefined', () => {
    expect(igualdadProfunda({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(igualdadProfunda([1, 2], [1, 2, 3])).toBe(false);
    expect(igualdadProfunda(new Date(1), new Date(1))).toBe(true);
    expect(igualdadProfunda(new Date(1), 1)).toBe(false);
  });
});

describe('ReglaNegocio', () => {
  it('validarRegla lanza ReglaNegocioExcepcion con nombre, mensaje y campo', () => {
    expect(() => validarRegla(new Positivo(1))).not.toThrow();
    try {
      validarRegla(new Positivo(-1));
      throw new Error('no lanzó');
    } catch (e) {
      expect(e).toBeInstanceOf(ReglaNegocioExcepcion);
      expect(e).toMatchObject({ regla: 'Positivo', message: 'debe ser positivo', campo: 'n' });
    }
  });

  it('validarReglas se detiene en la primera violada', () => {
    expect(() => validarReglas(new Positivo(1), new Positivo(0), new MinimoUnElemento('X', [], 'lista'))).toThrow(expect.objectContaining({ regla: 'Positivo' }));
    expect(() => validarReglas(new MinimoUnElemento('MinimoUnLeg', [], 'legs'))).toThrow(expect.objectContaining({ regla: 'MinimoUnLeg', campo: 'legs' }));
    expect(new MinimoUnElemento('X', undefined, 'c').esValido()).toBe(false);
    expect(new MinimoUnElemento('X', [1], 'c').esValido()).toBe(true);
  });
});
