/**
 * The local PostgreSQL (Debian's package) that stores FerretDB's data and the Dapr state: one
 * cluster per run folder, on its own port, TCP on loopback only, password authentication
 * (scram-sha-256, a random password per cluster kept in the cluster's folder), durable commits.
 *
 * PostgreSQL refuses to run as root. As root, the cluster runs as the `postgres` system user that
 * Debian's package creates, and it lives under /var/lib/aeroalpes/postgres (root's home, where the
 * cache usually is, is not readable by that user); as any other user it lives in the run folder.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CONFLICTO_DE_VERSION } from '@aeroalpes/contratos';
import { ManagedProcess, StartupError } from './processes';

const run = promisify(execFile);

/** How to reach the cluster; what the bench and the tests read statistics and plans with. */
export interface PostgresInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The database FerretDB keeps its MongoDB databases in (one schema each, one table per collection). */
  ferretDatabase: string;
  /** The database of the Dapr state stores (state.postgresql v2). */
  stateDatabase: string;
}

export interface PostgresBinaries {
  /** Folder with initdb, postgres, psql (e.g. /usr/lib/postgresql/15/bin). */
  bin: string;
}

const ADMIN_USER = 'aeroalpes';
export const FERRET_DATABASE = 'ferretdb';
export const STATE_DATABASE = 'dapr_state';

/** Where the PostgreSQL clusters of root's runs live (see the module comment). */
export const ROOT_PG_DIR = '/var/lib/aeroalpes/postgres';

const asRoot = () => process.getuid?.() === 0;

/** Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise. */
function asOwner(command: string, args: string[]): [string, string[]] {
  return asRoot() ? ['setpriv', ['--reuid', 'postgres', '--regid', 'postgres', '--init-groups', '--', command, ...args]] : [command, args];
}

/**
 * Deletes a run folder and its PostgreSQL cluster (which, as root, lives outside it). The run's
 * processes must be stopped first.
 */
export function removeRunData(runDir: string): void {
  fs.rmSync(clusterDir(runDir), { recursive: true, force: true });
  fs.rmSync(runDir, { recursive: true, force: true });
}

/** The cluster folder of a run folder. */
export function clusterDir(runDir: string): string {
  if (!asRoot()) return path.join(runDir, 'postgres');
  const key = createHash('sha256').update(path.resolve(runDir)).digest('hex').slice(0, 12);
  return path.join(ROOT_PG_DIR, `${path.basename(runDir)}-${key}`);
}

function chownToPostgres(target: string): void {
  if (!asRoot()) return;
  const pw = postgresIds();
  fs.chownSync(target, pw.uid, pw.gid);
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (ids) return ids;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new StartupError("running as root, but there is no 'postgres' user to run PostgreSQL as (Debian's postgresql package creates it: npm run setup)");
  const [, , uid, gid] = line.split(':');
  ids = { uid: Number(uid), gid: Number(gid) };
  return ids;
}

/**
 * Creates the cluster once (initdb, UTF-8, C.UTF-8 collation, scram-sha-256 with a generated
 * password) and writes our settings into it. Returns the folder and the password.
 */
export async function initCluster(bins: PostgresBinaries, runDir: string, logDir: string): Promise<{ dir: string; data: string; password: string }> {
  const dir = clusterDir(runDir);
  const data = path.join(dir, 'data');
  const pwFile = path.join(dir, 'password');
  if (asRoot()) {
    fs.mkdirSync(ROOT_PG_DIR, { recursive: true, mode: 0o755 });
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  chownToPostgres(dir);
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    fs.rmSync(data, { recursive: true, force: true });
    const password = randomBytes(18).toString('base64url');
    fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    chownToPostgres(pwFile);
    const [cmd, args] = asOwner(path.join(bins.bin, 'initdb'), ['-D', data, '-U', ADMIN_USER, '--pwfile', pwFile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C.UTF-8']);
    try {
      const { stdout } = await run(cmd, args, { cwd: os.tmpdir() });
      fs.writeFileSync(path.join(logDir, 'postgres-initdb.log'), stdout);
    } catch (err) {
      throw new StartupError(`initdb of ${data} failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
    }
  }
  return { dir, data, password: fs.readFileSync(pwFile, 'utf8').trim() };
}

/**
 * The server's settings for the local run (command-line -c flags, so an existing cluster gets them
 * too). Durable commits stay on: a killed postmaster must not lose what was acknowledged.
 * force_custom_plan: FerretDB queries `_jsonb->$1 @> $2` with the field name as a parameter; only
 * a custom plan, with the value substituted, can match the expression indexes we add.
 */
export function serverSettings(port: number): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: '',
    max_connections: '200',
    shared_buffers: '256MB',
    plan_cache_mode: 'force_custom_plan',
    synchronous_commit: 'on',
    logging_collector: 'off',
    log_min_messages: 'warning',
    log_min_error_statement: 'panic',
    autovacuum_naptime: '10s',
  };
  return Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

export function startServer(bins: PostgresBinaries, data: string, port: number, logDir: string): ManagedProcess {
  const [cmd, args] = asOwner(path.join(bins.bin, 'postgres'), ['-D', data, ...serverSettings(port)]);
  // SIGINT is PostgreSQL's "fast" shutdown (disconnects clients, checkpoints); SIGTERM's "smart"
  // one would wait for every client.
  return ManagedProcess.start('postgres', cmd, args, { logDir, cwd: os.tmpdir(), stopGraceMs: 30_000, stopSignal: 'SIGINT' });
}

/** Runs SQL through psql (-At: unaligned, tuples only; fields tab-separated). */
export async function sql(pg: PostgresInfo, database: string, query: string, psqlBin = psqlPath()): Promise<string[][]> {
  try {
    const { stdout } = await run(psqlBin, ['-X', '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', '-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', database, '-c', query], {
      env: { ...process.env, PGPASSWORD: pg.password, PGCONNECT_TIMEOUT: '5' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
  } catch (err) {
    throw new Error(`psql on ${database}: ${(err as { stderr?: string }).stderr?.trim() ?? String(err)}`, { cause: err });
  }
}

let psqlBinPath: string | undefined;
/** Set by the provisioning (the package's psql, not whatever psql is first on PATH). */
export function setPsqlPath(p: string): void {
  psqlBinPath = p;
}
function psqlPath(): string {
  return psqlBinPath ?? 'psql';
}

export function postgresInfo(port: number, password: string): PostgresInfo {
  return { host: '127.0.0.1', port, user: ADMIN_USER, password, ferretDatabase: FERRET_DATABASE, stateDatabase: STATE_DATABASE };
}

/** Percent-encoded, for connection URLs. */
export function postgresUrl(pg: PostgresInfo, database: string): string {
  return `postgres://${encodeURIComponent(pg.user)}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/${database}`;
}

/** Key/value connection string (what Dapr's state.postgresql documents). */
export function postgresConnectionString(pg: PostgresInfo, database: string): string {
  return `host=${pg.host} port=${pg.port} user=${pg.user} password=${pg.password} database=${database} sslmode=disable`;
}

/**
 * What FerretDB's PostgreSQL backend needs and does not create. It filters a top-level field with
 * `_jsonb->'field' @> value` (FerretDB issue 4646), but the index it creates for a MongoDB index on
 * that field is a btree on `_jsonb->'field'`, which cannot serve `@>`: without more, every lookup
 * by _id scans the whole table. So every single-field index FerretDB creates (its unique `_id`
 * index on each new collection, and each one the application declares, such as the write model's
 * `outbox_pendiente`) gets a GIN (jsonb_path_ops) twin on the same expression, which serves `@>`.
 * Compound indexes get none: FerretDB pushes no compound filter down that one could serve.
 *
 * And FerretDB 1.24 applies a conditional update as read, check in Go, then `UPDATE … SET _jsonb =
 * $1 WHERE _id = $2`, without a lock: two writers that both read version n both write (measured:
 * 8 concurrent updateOne({_id, version: 1}) gave up to 8 winners), so an optimistic version check
 * or a "replace only if newer" would silently lose an update. On every collection's table a row
 * trigger keeps the order of documents that carry a numeric `version`: an update may raise it, or
 * keep it and change only the outbox (`outbox`, `outbox_pendiente`); anything else (a lower
 * version, or another state at the same version) fails with CONFLICTO_DE_VERSION, which FerretDB
 * returns to the client as an error and the repositories read as a version conflict. MongoDB
 * applies each update atomically and needs none of this.
 *
 * Idempotent: an event trigger adds the twin and the row trigger in the same transaction as
 * FerretDB's CREATE INDEX, from now on; the loop adds those of the indexes that already exist.
 */
export function storeSetupSql(): string {
  return `
CREATE OR REPLACE FUNCTION aeroalpes_version_ordenada() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  antes numeric;
  despues numeric;
BEGIN
  IF jsonb_typeof(OLD._jsonb -> 'version') IS DISTINCT FROM 'number' OR jsonb_typeof(NEW._jsonb -> 'version') IS DISTINCT FROM 'number' THEN
    RETURN NEW;
  END IF;
  antes := (OLD._jsonb ->> 'version')::numeric;
  despues := (NEW._jsonb ->> 'version')::numeric;
  IF despues < antes OR (despues = antes AND (NEW._jsonb - '$s' - 'outbox' - 'outbox_pendiente') IS DISTINCT FROM (OLD._jsonb - '$s' - 'outbox' - 'outbox_pendiente')) THEN
    RAISE EXCEPTION '${CONFLICTO_DE_VERSION}: % version % over version %', TG_TABLE_NAME, despues, antes USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN NEW;
END
$fn$;

CREATE OR REPLACE FUNCTION aeroalpes_gin_twin(idx regclass) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  m text[];
  rel record;
BEGIN
  SELECT c.relname, n.nspname, i.indrelid INTO rel
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indexrelid = idx AND i.indnatts = 1;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  m := regexp_match(pg_get_indexdef(idx), 'USING btree \\(\\(\\(_jsonb -> ''([A-Za-z0-9_]+)''::text\\)\\)\\)$');
  IF m IS NULL THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops)',
    left(rel.relname, 40) || '_' || replace(m[1], '_', '') || '_gin', rel.nspname, rel.relname, m[1]);
  -- Every collection's table gets its _id index when FerretDB creates it: the moment to make its
  -- updates keep the document versions in order.
  IF m[1] = '_id' THEN
    EXECUTE format('CREATE OR REPLACE TRIGGER aeroalpes_version_ordenada BEFORE UPDATE ON %I.%I FOR EACH ROW EXECUTE FUNCTION aeroalpes_version_ordenada()', rel.nspname, rel.relname);
  END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION aeroalpes_gin_twins() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    PERFORM aeroalpes_gin_twin(r.objid::regclass);
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS aeroalpes_index_new_tables;
DROP FUNCTION IF EXISTS aeroalpes_index_new_tables();
DROP FUNCTION IF EXISTS aeroalpes_index_table(regclass);
DROP EVENT TRIGGER IF EXISTS aeroalpes_gin_twins;
CREATE EVENT TRIGGER aeroalpes_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION aeroalpes_gin_twins();

SELECT aeroalpes_gin_twin(i.indexrelid::regclass)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%';
`;
}

/** Creates the databases once and (re)installs the store's indexes; safe on every start. */
export async function prepareDatabases(pg: PostgresInfo): Promise<void> {
  const existing = new Set((await sql(pg, 'postgres', 'SELECT datname FROM pg_database')).map((r) => r[0]));
  for (const db of [FERRET_DATABASE, STATE_DATABASE]) {
    if (!existing.has(db)) await sql(pg, 'postgres', `CREATE DATABASE ${db}`);
  }
  await sql(pg, FERRET_DATABASE, storeSetupSql());
}

export async function serverReady(pg: PostgresInfo): Promise<boolean> {
  try {
    await sql(pg, 'postgres', 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** MongoDB database (FerretDB schema) and collection -> the PostgreSQL table FerretDB stores it in. */
export async function ferretTables(pg: PostgresInfo, mongoDb: string): Promise<Map<string, string>> {
  const exists = await sql(pg, FERRET_DATABASE, `SELECT 1 FROM pg_namespace WHERE nspname = '${mongoDb.replace(/'/g, "''")}'`);
  if (exists.length === 0) return new Map();
  const rows = await sql(pg, FERRET_DATABASE, `SELECT _jsonb->>'_id', _jsonb->>'table' FROM "${mongoDb.replace(/"/g, '""')}"._ferretdb_database_metadata`);
  return new Map(rows.map(([coll, table]) => [coll!, table!]));
}
