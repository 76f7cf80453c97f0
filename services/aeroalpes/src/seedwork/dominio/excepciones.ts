/**
 * Domain exceptions. They describe what went wrong in domain terms; the application layer turns
 * the expected ones into Result values (see seedwork/aplicacion/resultado.ts).
 */
class ExcepcionDominio extends Error {
  constructor(mensaje: string) {
    super(mensaje);
    this.name = new.target.name;
  }
}

/** A business rule (ReglaNegocio) was violated: carries the rule's name, its message and the field path. */
export class ReglaNegocioExcepcion extends ExcepcionDominio {
  constructor(
    readonly regla: string,
    mensaje: string,
    readonly campo: string,
  ) {
    super(mensaje);
  }
}

/** An aggregate was asked to move to a state its state machine does not allow from where it is. */
export class TransicionInvalidaExcepcion extends ExcepcionDominio {
  constructor(
    readonly agregado: string,
    readonly id: string,
    readonly estadoActual: string,
    readonly accion: string,
  ) {
    super(`no se puede ${accion} la ${agregado.toLowerCase()} ${id}: está en estado ${estadoActual}`);
  }
}

/** Optimistic concurrency: the aggregate changed since it was read (a lost update is refused). */
export class ConflictoVersionExcepcion extends ExcepcionDominio {
  constructor(
    readonly idAgregado: string,
    readonly versionEsperada: number,
  ) {
    super(`el agregado ${idAgregado} cambió: se esperaba la versión ${versionEsperada}`);
  }
}

/** An aggregate with the same id already exists (insert of a "new" aggregate collided). */
export class AgregadoDuplicadoExcepcion extends ExcepcionDominio {
  constructor(readonly idAgregado: string) {
    super(`ya existe un agregado con id ${idAgregado}`);
  }
}
