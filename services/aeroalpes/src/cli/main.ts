/**
 * Command-line client of the gRPC API `vuelos.Vuelos` (replaces the old adapter's client):
 *
 *   npm run cli -- crear examples/reserva.json         CrearReserva with a reserva in the REST JSON shape
 *   npm run cli -- consultar <id>                      ConsultarReserva
 *
 * It calls the caller's own Dapr sidecar (127.0.0.1:$DAPR_GRPC_PORT, default 50004: the sidecar of
 * the local API clients, app id `gateway`, in `npm start`) with metadata `dapr-app-id: aeroalpes`
 * and the sidecar's API token ($DAPR_API_TOKEN; `npm run cli` fills it in from the local run), and
 * daprd forwards the call over mTLS to aeroalpes' sidecar, whose access policy lets `gateway` call
 * vuelos.Vuelos. `--direct host:port` calls a vuelos.Vuelos server directly instead ($APP_API_TOKEN).
 * Exit status: 0 OK, 1 the call failed (status name and message on stderr), 2 bad usage or input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { crearClienteVuelos, erroresDeLlamada, ErrorLlamada, nombreCodigo, RespuestaReserva } from '../api/grpc/contrato';
import { ErrorSolicitud, reservaProtoAJson, solicitudAProto } from '../api/grpc/traduccion';

const USO = `uso:
  npm run cli -- crear <archivo.json> [opciones]   crea una reserva (JSON con la forma REST, p. ej. examples/reserva.json)
  npm run cli -- consultar <id> [opciones]         consulta una reserva por id

opciones:
  --direct <host:puerto>  llama al servidor gRPC directamente, sin pasar por daprd
  --app-id <id>           app de Dapr destino (por defecto aeroalpes)
  --timeout <ms>          plazo de la llamada (por defecto 10000)
  --json                  imprime la respuesta completa como una línea JSON
  -h, --help              esta ayuda

entorno:
  DAPR_GRPC_PORT          puerto gRPC del daprd local (por defecto 50004: el de los clientes, app id gateway, en npm start)
  DAPR_API_TOKEN          token de la API de ese daprd (npm run cli lo toma de la ejecución local)
  APP_API_TOKEN           con --direct: el token de la app que exige el servidor gRPC`;

export interface EntornoCliente {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  escribir: (texto: string) => void;
  escribirError: (texto: string) => void;
}

interface Opciones {
  comando: 'crear' | 'consultar';
  argumento: string;
  direct?: string;
  appId: string;
  timeoutMs: number;
  json: boolean;
}

class ErrorUso extends Error {}

function leerOpciones(argv: readonly string[]): Opciones | 'ayuda' {
  const posicionales: string[] = [];
  const opciones: Partial<Opciones> = { appId: 'aeroalpes', timeoutMs: 10_000, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const valor = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ErrorUso(`${a} necesita un valor`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'ayuda';
    else if (a === '--json') opciones.json = true;
    else if (a === '--direct') {
      const v = valor();
      if (!/^(\[[0-9A-Fa-f:]+\]|[^\s:[\]]+):[0-9]{1,5}$/.test(v)) throw new ErrorUso(`--direct debe ser host:puerto (es '${v}')`);
      opciones.direct = v;
    } else if (a === '--app-id') opciones.appId = valor();
    else if (a === '--timeout') {
      const v = Number(valor());
      if (!Number.isInteger(v) || v < 1) throw new ErrorUso('--timeout debe ser un entero positivo (milisegundos)');
      opciones.timeoutMs = v;
    } else if (a.startsWith('-') && a !== '-') throw new ErrorUso(`opción desconocida: ${a}`);
    else posicionales.push(a);
  }
  const [comando, argumento, ...sobrantes] = posicionales;
  if (comando === undefined) throw new ErrorUso('falta el comando (crear o consultar)');
  if (comando !== 'crear' && comando !== 'consultar') throw new ErrorUso(`comando desconocido: ${comando}`);
  if (argumento === undefined) throw new ErrorUso(comando === 'crear' ? 'falta el archivo JSON de la reserva' : 'falta el id de la reserva');
  if (sobrantes.length > 0) throw new ErrorUso(`argumentos de más: ${sobrantes.join(' ')}`);
  return { ...opciones, comando, argumento } as Opciones;
}

function destino(opciones: Opciones, env: NodeJS.ProcessEnv): { direccion: string; metadata: Record<string, string> } {
  // Direct to the gRPC server: its app token (APP_API_TOKEN), which it requires of daprd too.
  if (opciones.direct) return { direccion: opciones.direct, metadata: env.APP_API_TOKEN ? { 'dapr-api-token': env.APP_API_TOKEN } : {} };
  const crudo = env.DAPR_GRPC_PORT?.trim() || '50004';
  const puerto = Number(crudo);
  if (!Number.isInteger(puerto) || puerto < 1 || puerto > 65535) throw new ErrorUso(`DAPR_GRPC_PORT debe ser un puerto (es '${crudo}')`);
  return { direccion: `127.0.0.1:${puerto}`, metadata: { 'dapr-app-id': opciones.appId, ...(env.DAPR_API_TOKEN ? { 'dapr-api-token': env.DAPR_API_TOKEN } : {}) } };
}

/**
 * A relative path is taken from where the user ran `npm run` (INIT_CWD: npm runs scripts from the
 * repository root), else from the current folder.
 */
function rutaArchivo(archivo: string, entorno: EntornoCliente): string {
  if (path.isAbsolute(archivo)) return archivo;
  const inicial = entorno.env.INIT_CWD;
  if (inicial && fs.existsSync(path.resolve(inicial, archivo))) return path.resolve(inicial, archivo);
  return path.resolve(entorno.cwd, archivo);
}

function leerSolicitud(archivo: string, entorno: EntornoCliente) {
  const ruta = rutaArchivo(archivo, entorno);
  let texto: string;
  try {
    texto = fs.readFileSync(ruta, 'utf8');
  } catch (error) {
    throw new ErrorUso(`no se pudo leer ${ruta}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(texto);
  } catch (error) {
    throw new ErrorUso(`${ruta} no es JSON válido: ${(error as Error).message}`);
  }
  try {
    return solicitudAProto(json);
  } catch (error) {
    if (error instanceof ErrorSolicitud) throw new ErrorUso(`${ruta}: ${error.message}`);
    throw error;
  }
}

function imprimir(respuesta: RespuestaReserva, opciones: Opciones, escribir: (t: string) => void): void {
  const reserva = respuesta.reserva ? reservaProtoAJson(respuesta.reserva) : undefined;
  if (opciones.json) {
    escribir(`${JSON.stringify({ mensaje: respuesta.mensaje, ...(reserva ? { reserva } : {}) })}\n`);
    return;
  }
  escribir(`mensaje: ${respuesta.mensaje}\n`);
  if (reserva) escribir(`id: ${String(reserva.id ?? '')}\nreserva:\n${JSON.stringify(reserva, null, 2)}\n`);
}

function describirError(error: ErrorLlamada, direccion: string, directo: boolean): string {
  const lineas = [`error: ${nombreCodigo(error.code)}: ${error.details || error.message}`];
  for (const e of erroresDeLlamada(error)) lineas.push(`  - ${e.campo}: ${e.mensaje} (regla ${e.regla})`);
  if (error.code === status.UNAVAILABLE && !directo) {
    lineas.push(`  (¿está corriendo la plataforma, npm start? se llamó al daprd local en ${direccion}; ajuste DAPR_GRPC_PORT o use --direct)`);
  }
  return `${lineas.join('\n')}\n`;
}

/** Runs one command; resolves to the process exit status (never rejects). */
export async function ejecutarCliente(entorno: EntornoCliente): Promise<number> {
  let opciones: Opciones | 'ayuda';
  let objetivo: ReturnType<typeof destino>;
  try {
    opciones = leerOpciones(entorno.argv);
    if (opciones === 'ayuda') {
      entorno.escribir(`${USO}\n`);
      return 0;
    }
    objetivo = destino(opciones, entorno.env);
  } catch (error) {
    entorno.escribirError(`error: ${(error as Error).message}\n${USO}\n`);
    return 2;
  }

  const cliente = crearClienteVuelos(objetivo.direccion, objetivo.metadata);
  try {
    let respuesta: RespuestaReserva;
    if (opciones.comando === 'crear') {
      const { reserva, ignorados } = leerSolicitud(opciones.argumento, entorno);
      if (ignorados.length > 0) {
        entorno.escribirError(`aviso: el contrato gRPC no lleva estos campos (o los asigna el servidor), se ignoran: ${ignorados.join(', ')}\n`);
      }
      respuesta = await cliente.crearReserva(reserva, { plazoMs: opciones.timeoutMs });
    } else {
      respuesta = await cliente.consultarReserva({ id: opciones.argumento }, { plazoMs: opciones.timeoutMs });
    }
    imprimir(respuesta, opciones, entorno.escribir);
    return 0;
  } catch (error) {
    if (error instanceof ErrorUso) {
      entorno.escribirError(`error: ${error.message}\n`);
      return 2;
    }
    if (typeof error === 'object' && error !== null && typeof (error as ErrorLlamada).code === 'number') {
      entorno.escribirError(describirError(error as ErrorLlamada, objetivo.direccion, opciones.direct !== undefined));
      return 1;
    }
    entorno.escribirError(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    cliente.cerrar();
  }
}

if (require.main === module) {
  ejecutarCliente({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    escribir: (t) => process.stdout.write(t),
    escribirError: (t) => process.stderr.write(t),
  }).then(
    (codigo) => {
      process.exitCode = codigo;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
