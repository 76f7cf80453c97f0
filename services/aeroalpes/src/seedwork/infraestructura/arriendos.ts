import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A relay's lease on one aggregate (ArriendosRelay.tomar). */
export interface Arriendo {
  /** This lease, and no other taken on the same key since: what `soltar` removes. */
  readonly id: string;
  readonly clave: string;
  readonly duenio: string;
  /** Epoch ms after which another owner may take the key over. */
  readonly vence: number;
}

/** Who asks for a lease, and until when (epoch ms, by the owner's clock). */
export interface SolicitudArriendo {
  duenio: string;
  ahora: number;
  vence: number;
}

/**
 * The relays' leases, so that at most one replica's relay drains a given aggregate at a time (key
 * `store/idAgregado`). A lease is taken before the drain and given back after it; one never given
 * back (its replica died) is taken over once it has expired, so that aggregate waits at most the
 * lease's duration. Owners compare their own clocks with `vence`: clocks kept well within the
 * duration of each other (NTP) are assumed.
 */
export interface ArriendosRelay {
  /**
   * The lease on `clave` for `duenio` until `vence`, unless another owner holds one that has not
   * expired at `ahora` (null). Atomic: of concurrent takers of one key, at most one gets it.
   */
  tomar(clave: string, solicitud: SolicitudArriendo): Promise<Arriendo | null>;
  /** Gives this lease back (never one taken over since: it names the lease, not the key). */
  soltar(arriendo: Arriendo): Promise<void>;
}

/** An owner id unique to this process (host, pid and a random part): a restarted process is another owner. */
export function duenioDeProceso(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

/** Whether a lease found on the key lets `solicitud` take it: it expired, or it is the asker's own. */
export function arriendoCedible(actual: Pick<Arriendo, 'duenio' | 'vence'>, solicitud: SolicitudArriendo): boolean {
  return actual.duenio === solicitud.duenio || actual.vence <= solicitud.ahora;
}

/**
 * Leases in memory: for relays that share one process (the unit tests, and a relay built without
 * a shared store, which then leases only against itself).
 */
export class ArriendosMemoria implements ArriendosRelay {
  readonly #porClave = new Map<string, Arriendo>();

  async tomar(clave: string, solicitud: SolicitudArriendo): Promise<Arriendo | null> {
    const actual = this.#porClave.get(clave);
    if (actual && !arriendoCedible(actual, solicitud)) return null;
    const arriendo: Arriendo = { id: randomUUID(), clave, duenio: solicitud.duenio, vence: solicitud.vence };
    this.#porClave.set(clave, arriendo);
    return arriendo;
  }

  async soltar(arriendo: Arriendo): Promise<void> {
    if (this.#porClave.get(arriendo.clave)?.id === arriendo.id) this.#porClave.delete(arriendo.clave);
  }

  /** The leases held now (test helper). */
  get vigentes(): Arriendo[] {
    return [...this.#porClave.values()];
  }
}
