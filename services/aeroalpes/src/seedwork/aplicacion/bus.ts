import type { Campos, Logger } from '@aeroalpes/comun';
import { errorEsperado, fallo, Resultado } from './resultado';

/**
 * A message (command or query) that declares the type of its result. The phantom `__resultado`
 * field only exists for the type checker, so `bus.ejecutar(new CrearReserva(...))` is typed.
 */
export abstract class Mensaje<R> {
  declare readonly __resultado?: R;
  protected constructor(readonly idCorrelacion: string) {}
}

export type ResultadoDe<M> = M extends Mensaje<infer R> ? R : never;

export interface Manejador<M extends Mensaje<unknown>> {
  manejar(mensaje: M): Promise<Resultado<ResultadoDe<M>>>;
}

export type ClaseMensaje<M> = new (...args: never[]) => M;

/**
 * One typed handler per message class: the TypeScript answer to the seed's `singledispatch`
 * registration. Expected domain exceptions thrown by a handler become failed Results here, in one
 * place; anything else propagates (never swallowed into a side channel).
 */
export class Bus<Base extends Mensaje<unknown>> {
  readonly #manejadores = new Map<object, Manejador<Base>>();

  constructor(
    private readonly clase: string,
    private readonly logger?: Logger,
  ) {}

  registrar<M extends Base>(tipo: ClaseMensaje<M>, manejador: Manejador<M>): this {
    if (this.#manejadores.has(tipo)) throw new Error(`${this.clase}: ya hay un manejador para ${tipo.name}`);
    this.#manejadores.set(tipo, manejador as unknown as Manejador<Base>);
    return this;
  }

  registrado(tipo: ClaseMensaje<Base>): boolean {
    return this.#manejadores.has(tipo);
  }

  async ejecutar<M extends Base>(mensaje: M): Promise<Resultado<ResultadoDe<M>>> {
    const tipo = mensaje.constructor;
    const manejador = this.#manejadores.get(tipo) as Manejador<M> | undefined;
    if (!manejador) throw new Error(`${this.clase}: no hay manejador registrado para ${tipo.name}`);
    const inicio = performance.now();
    const campos: Campos = { type: tipo.name, correlation_id: mensaje.idCorrelacion };
    try {
      const resultado = await manejador.manejar(mensaje);
      this.logger?.info(`${this.clase} ejecutado`, {
        ...campos,
        ok: resultado.ok,
        ...(resultado.ok ? {} : { error_type: resultado.error.tipo }),
        duration_ms: Math.round(performance.now() - inicio),
      });
      return resultado;
    } catch (error) {
      const esperado = errorEsperado(error);
      if (esperado) {
        this.logger?.info(`${this.clase} rechazado`, { ...campos, error_type: esperado.tipo, reason: esperado.mensaje });
        return fallo(esperado);
      }
      this.logger?.error(`${this.clase} falló`, { ...campos, err: error });
      throw error;
    }
  }
}
