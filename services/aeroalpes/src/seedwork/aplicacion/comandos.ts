import { Logger } from '@aeroalpes/comun';
import { Bus, Manejador, Mensaje } from './bus';

/** A command: an intention to change state, handled by exactly one handler. */
export abstract class Comando<R = void> extends Mensaje<R> {}

export type ManejadorComando<C extends Comando<unknown>> = Manejador<C>;

export class BusComandos extends Bus<Comando<unknown>> {
  constructor(logger?: Logger) {
    super('comando', logger);
  }
}
