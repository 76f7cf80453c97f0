/** Composition root of the ui BFF: Dapr adapters, the app, one HTTP server for page, API and websocket. */
import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import { ClienteEstado, comprobarSidecar, crearLogger, escuchar, tokenDapr } from '@aeroalpes/comun';
import { crearUi } from './app';
import { leerConfigUi } from './config';
import { AeroAlpesPorDapr } from './reservas/aeroalpes';

const log = crearLogger({ servicio: 'ui' });
const config = leerConfigUi();
const client = new DaprClient({
  daprHost: config.dapr.host,
  daprPort: String(config.dapr.httpPort),
  communicationProtocol: CommunicationProtocolEnum.HTTP,
  logger: { level: LogLevel.Error },
  // The sidecar's API token (DAPR_API_TOKEN): the SDK does not read it from the environment itself.
  ...(tokenDapr() ? { daprApiToken: tokenDapr() } : {}),
});

const { app, hub, historial, salud } = crearUi({
  config,
  almacen: new ClienteEstado(client, config.dapr.statestore),
  aeroalpes: new AeroAlpesPorDapr({
    daprHost: config.dapr.host,
    daprHttpPort: config.dapr.httpPort,
    ...(tokenDapr() ? { tokenDapr: tokenDapr() } : {}),
    appId: config.appAeroAlpes,
    timeoutMs: config.invocacionTimeoutMs,
  }),
  log,
  comprobaciones: { sidecar: comprobarSidecar(`http://${config.dapr.host}:${config.dapr.httpPort}`) },
});

// Shutdown: readiness turns to 503, new connections are refused, the websockets close (1001) while
// in-flight requests finish (APAGADO_MS at most), then the recent events are flushed.
const server = escuchar(app, config.puerto, log, {
  salud,
  alDrenar: () => hub.cerrar(),
  cerrar: () => historial.vaciarRecientes(),
});
hub.adjuntar(server);
log.info('ui lista', { page: `http://127.0.0.1:${config.puerto}/`, websocket: '/ws', aeroalpes_app: config.appAeroAlpes, allowed_origins: config.origenesPermitidos });
