/**
 * Store operations per reserva, counted by the server: PostgreSQL's cumulative statistics
 * (pg_stat_user_tables per table, pg_stat_database for commits) read before a phase and after its
 * drain, for FerretDB's database (the schema of the bench's MongoDB database, tables mapped back to
 * collections) and for the Dapr state stores' database. Each reading is a fresh psql, so it sees
 * the current counters (no cached snapshot); each is also one committed transaction in the database
 * it reads, which is taken off the commit count. PostgreSQL backends publish their counters at
 * most once a second, and an idle one up to 10 s late: the reading after a drain waits for that.
 */
import { ferretTables, PostgresInfo, sql } from '@aeroalpes/platform';

export interface Contadores {
  /** n_tup_ins, n_tup_upd, n_tup_del: rows inserted, updated, deleted. */
  insertadas: number;
  actualizadas: number;
  borradas: number;
  /** seq_scan, idx_scan: scans started (a find, update or delete by FerretDB is at least one). */
  lecturasSecuenciales: number;
  lecturasIndice: number;
}

const CAMPOS: (keyof Contadores)[] = ['insertadas', 'actualizadas', 'borradas', 'lecturasSecuenciales', 'lecturasIndice'];

export const NOMBRES_CONTADORES: Record<keyof Contadores, string> = {
  insertadas: 'rows inserted',
  actualizadas: 'rows updated',
  borradas: 'rows deleted',
  lecturasSecuenciales: 'sequential scans',
  lecturasIndice: 'index scans',
};

/** The counters of one database at one moment. */
export interface Lectura {
  /** Per PostgreSQL table. */
  tablas: Map<string, Contadores>;
  commits: number;
  rollbacks: number;
  /** Readings of this database this benchmark made before this one (one committed transaction each). */
  propias: number;
}

export interface FilaConsumo {
  /** Collection (FerretDB's database) or table (state database). */
  nombre: string;
  tabla: string;
  total: Contadores;
  porUnidad: Contadores | null;
}

export interface ConsumoBase {
  base: string;
  /** The PostgreSQL schema read (FerretDB: the MongoDB database), or every schema. */
  esquema: string | null;
  /** Tables with any activity in the window, busiest first. */
  filas: FilaConsumo[];
  /** Transactions committed in the database, the benchmark's own readings taken off. */
  commits: number;
  commitsPorUnidad: number | null;
  rollbacks: number;
}

export interface ConsumoAlmacen {
  /** From the reading before the phase to the one after its drain. */
  segundos: number;
  /** What the figures are divided by: reservas completed (query phase: GETs answered 200). */
  unidades: number;
  /** FerretDB's database, then the state stores' (when it could be read). */
  bases: ConsumoBase[];
}

/** One statement (one transaction): the tables of `esquema` (every user table when null), then the database's row. */
export function consultaEstadisticas(esquema: string | null): string {
  const filtro = esquema === null ? '' : ` WHERE schemaname = '${esquema.replace(/'/g, "''")}'`;
  return (
    `SELECT 't', relname, n_tup_ins, n_tup_upd, n_tup_del, coalesce(seq_scan, 0), coalesce(idx_scan, 0) FROM pg_stat_user_tables${filtro} ` +
    `UNION ALL SELECT 'd', datname, xact_commit, xact_rollback, 0, 0, 0 FROM pg_stat_database WHERE datname = current_database()`
  );
}

export function interpretar(filas: string[][], propias: number): Lectura {
  const l: Lectura = { tablas: new Map(), commits: 0, rollbacks: 0, propias };
  for (const [tipo, nombre, ...valores] of filas) {
    const v = valores.map(Number);
    if (tipo === 'd') {
      l.commits = v[0] ?? 0;
      l.rollbacks = v[1] ?? 0;
    } else if (tipo === 't' && nombre !== undefined) {
      l.tablas.set(nombre, { insertadas: v[0] ?? 0, actualizadas: v[1] ?? 0, borradas: v[2] ?? 0, lecturasSecuenciales: v[3] ?? 0, lecturasIndice: v[4] ?? 0 });
    }
  }
  return l;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * What happened between two readings, per table (named by `nombres`: table -> collection, when
 * known) and divided by `unidades`. A table created in between counts from zero.
 */
export function diferencia(base: string, esquema: string | null, antes: Lectura, despues: Lectura, nombres: Map<string, string>, unidades: number): ConsumoBase {
  const filas: FilaConsumo[] = [];
  for (const [tabla, d] of despues.tablas) {
    const a = antes.tablas.get(tabla);
    const total = Object.fromEntries(CAMPOS.map((c) => [c, Math.max(0, d[c] - (a?.[c] ?? 0))])) as unknown as Contadores;
    if (CAMPOS.every((c) => total[c] === 0)) continue;
    const porUnidad = unidades > 0 ? (Object.fromEntries(CAMPOS.map((c) => [c, r3(total[c] / unidades)])) as unknown as Contadores) : null;
    filas.push({ nombre: nombres.get(tabla) ?? tabla, tabla, total, porUnidad });
  }
  const suma = (f: FilaConsumo) => CAMPOS.reduce((s, c) => s + f.total[c], 0);
  filas.sort((x, y) => suma(y) - suma(x) || x.nombre.localeCompare(y.nombre));
  const commits = Math.max(0, despues.commits - antes.commits - (despues.propias - antes.propias));
  return {
    base,
    esquema,
    filas,
    commits,
    commitsPorUnidad: unidades > 0 ? r3(commits / unidades) : null,
    rollbacks: Math.max(0, despues.rollbacks - antes.rollbacks),
  };
}

export interface LecturaAlmacen {
  instante: number;
  ferret: Lectura;
  /** Undefined when the state database could not be read. */
  estado: Lectura | undefined;
}

/** Reads the statistics of the platform's PostgreSQL for one MongoDB database. */
export class EstadisticasAlmacen {
  private readonly propias = new Map<string, number>();
  /** table -> collection, refreshed after each reading that follows a phase. */
  private colecciones = new Map<string, string>();

  constructor(
    private readonly pg: PostgresInfo,
    private readonly mongoDb: string,
  ) {}

  private async leerBase(base: string, esquema: string | null): Promise<Lectura> {
    const previas = this.propias.get(base) ?? 0;
    this.propias.set(base, previas + 1);
    return interpretar(await sql(this.pg, base, consultaEstadisticas(esquema)), previas);
  }

  async leer(): Promise<LecturaAlmacen> {
    const instante = Date.now();
    const ferret = await this.leerBase(this.pg.ferretDatabase, this.mongoDb);
    const estado = await this.leerBase(this.pg.stateDatabase, null).catch(() => undefined);
    return { instante, ferret, estado };
  }

  /**
   * The consumption between two readings. Reads FerretDB's collection -> table mapping first (a
   * query of its own, after `despues`, so outside the window).
   */
  async consumo(antes: LecturaAlmacen, despues: LecturaAlmacen, unidades: number): Promise<ConsumoAlmacen> {
    try {
      this.colecciones = new Map([...(await ferretTables(this.pg, this.mongoDb))].map(([coleccion, tabla]) => [tabla, coleccion]));
    } catch {
      /* keep the last mapping: the tables are then shown under their PostgreSQL names */
    }
    const bases = [diferencia(this.pg.ferretDatabase, this.mongoDb, antes.ferret, despues.ferret, this.colecciones, unidades)];
    if (antes.estado && despues.estado) bases.push(diferencia(this.pg.stateDatabase, null, antes.estado, despues.estado, new Map(), unidades));
    return { segundos: Math.round((despues.instante - antes.instante) / 100) / 10, unidades, bases };
  }
}
