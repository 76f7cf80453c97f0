/**
 * Composition root of the aeroalpes service, built by hand: configuration, MongoDB adapters, the
 * core (buses, handlers, unit of work, projector, relay), the Dapr adapters (publisher, command
 * dispatcher through comandos-reserva, subscriptions on the gRPC app channel), the REST API and the
 * gRPC server, the health endpoints. At start it waits for MongoDB (retrying, logged). Graceful
 * shutdown on SIGTERM/SIGINT: readiness turns to 503, stop accepting, let requests finish (bounded),
 * stop the relay, close MongoDB.
 */
import { AddressInfo } from 'node:net';
import express from 'express';
import { MongoClient } from 'mongodb';
import { crearApp } from './api/app';
import { componer } from './composicion';
import { leerConfig } from './config';
import { crearServicioVuelos } from './api/grpc/vuelos';
import { onInvoke } from './infraestructura/dapr/invocacion';
import { PublicadorDapr } from './infraestructura/dapr/publicador-dapr';
import { detenerServidorGrpc, iniciarServidorGrpc } from './infraestructura/dapr/servidor-grpc';
import {
  comprobarSidecar,
  configLote,
  contratoComandoCrearReserva,
  contratoEventoReserva,
  crearLogger,
  drenarServidor,
  Salud,
  servicioAppCallback,
  suscripcion,
} from '@aeroalpes/comun';
import { topicoDeadLetter } from '@aeroalpes/contratos';
import { RepositorioClientesMongo } from './modulos/cliente/infraestructura/repositorio-mongo';
import { BandejaComandosMongo, DespachadorComandosBroker, ManejadorComandosReserva } from './modulos/vuelos/crear-reserva/broker';
import { ProyeccionReservasBroker } from './modulos/vuelos/infraestructura/proyeccion-broker';
import { RepositorioReservasMongo } from './modulos/vuelos/infraestructura/repositorio-mongo';
import { VistaReservasMongo } from './modulos/vuelos/infraestructura/vista-mongo';
import { esperarMongo } from './seedwork/infraestructura/mongo';
import { ArriendosMongo } from './seedwork/infraestructura/arriendos-mongo';
import { duenioDeProceso } from './seedwork/infraestructura/arriendos';

async function main(): Promise<void> {
  const config = leerConfig();
  const logger = crearLogger({ servicio: 'aeroalpes', nivel: config.nivelLog });

  // Short server selection: with MongoDB down a request answers 503 within ~1.5 s, not after 30 s.
  const { tiempos } = config.mongodb;
  const cliente = new MongoClient(config.mongodb.uri, { appName: 'aeroalpes', serverSelectionTimeoutMS: tiempos.seleccionMs, connectTimeoutMS: tiempos.conexionMs });
  const db = cliente.db(config.mongodb.baseDatos);
  const { colecciones } = config.mongodb;
  const reservas = RepositorioReservasMongo.enBase(db, colecciones.reservas, config.lotes);
  const vista = VistaReservasMongo.enBase(db, colecciones.vista, config.lotes, config.totalTtlMs);
  const clientes = RepositorioClientesMongo.enBase(db, colecciones.clientes);
  const bandeja = BandejaComandosMongo.enBase(db, colecciones.comandos);
  // The relays of all replicas lease each aggregate they drain here; this process is one owner.
  const arriendos = ArriendosMongo.enBase(db, colecciones.arriendos);
  // MongoDB may come up after the service (a pod restarted beside its database): wait for it.
  await esperarMongo(
    async () => {
      await cliente.connect();
      await reservas.asegurarIndices();
      await reservas.migrarMarcaPendiente(db, logger);
      await vista.asegurarIndices();
      await arriendos.asegurarIndices();
    },
    (intento, esperaMs, error) => logger.warn('MongoDB no responde; reintento', { attempt: intento, retry_in_ms: esperaMs, err: String(error) }),
  );

  const publicador = new PublicadorDapr({
    urlSidecar: config.dapr.urlSidecar,
    ...(config.dapr.token ? { tokenDapr: config.dapr.token } : {}),
    pubsub: config.dapr.pubsub,
    topics: config.topics,
    servicio: 'aeroalpes',
    timeoutMs: config.dapr.publicacionTimeoutMs,
    ...(config.dapr.publicacionEnLote ? { lotes: config.lotes } : {}),
  });
  const nucleo = componer(
    {
      reservas,
      vista,
      clientes,
      publicador,
      logger,
      outboxes: [bandeja],
      despachadorComandos: () => new DespachadorComandosBroker(publicador, bandeja, config.topics.comandos, logger),
    },
    { topicEventos: config.topics.eventos, relay: { ...config.relay, arriendos, duenio: duenioDeProceso(), logger }, proyeccionPorBroker: true },
  );

  // Ready when MongoDB answers a ping and the sidecar its outbound health (the broker is behind it).
  const salud = new Salud({ mongodb: () => db.command({ ping: 1 }), sidecar: comprobarSidecar(config.dapr.urlSidecar) });
  // /health/live and /health/ready ahead of the API (whose /health answers as /health/live does).
  const app = express()
    .use(salud.rutas())
    // For the operator (never routed by the Ingress): the aggregates the relay parked.
    .get('/operador/outbox/cuarentena', (_req, res) => void res.json({ agregados: nucleo.relay.cuarentena() }))
    .use(crearApp({ ...nucleo, logger, limiteCuerpoBytes: config.limiteCuerpoBytes, origenesPermitidos: config.origenesPermitidos }));
  app.disable('x-powered-by');
  const servidor = app.listen(config.puerto, config.host);
  await new Promise<void>((resolve, reject) => {
    servidor.once('listening', resolve);
    servidor.once('error', reject);
  });
  const puertoRest = (servidor.address() as AddressInfo).port;

  const comandos = new ManejadorComandosReserva(nucleo.busComandos, nucleo.publicador, config.topics.eventos, logger);
  const proyeccion = new ProyeccionReservasBroker(nucleo.proyector, config.topics.eventos);
  const vuelos = crearServicioVuelos({
    busComandos: nucleo.busComandos,
    busQueries: nucleo.busQueries,
    servicioReserva: nucleo.servicioReserva,
    logger,
    limiteMensajeBytes: config.limiteCuerpoBytes,
  });
  // Bulk delivery (BULK_MAX_MENSAJES, BULK_ESPERA_MS) for the subscriptions named in BULK_TOPICOS.
  const bulk = configLote();
  const suscrita = (topic: string) => ({
    pubsubname: config.dapr.pubsub,
    topic,
    deadLetterTopic: topicoDeadLetter(topic),
    ...(bulk && config.bulkTopicos.includes(topic) ? { lote: bulk } : {}),
  });
  const suscripciones = [
    suscripcion({ ...suscrita(config.topics.comandos), contrato: contratoComandoCrearReserva, manejar: (m) => comandos.manejar(m) }),
    suscripcion({ ...suscrita(config.topics.eventos), contrato: contratoEventoReserva, manejar: (m) => proyeccion.manejar(m) }),
  ];
  const servidorGrpc = await iniciarServidorGrpc(config.hostGrpc, config.puertoGrpc, logger, [
    { definicion: vuelos.servicio, implementacion: vuelos.implementacion },
    ...servicioAppCallback(suscripciones, logger, { onInvoke: onInvoke({ urlBase: `http://127.0.0.1:${puertoRest}` }, logger) }),
  ]);
  nucleo.relay.iniciar();
  logger.info('aeroalpes escuchando', { port: puertoRest, grpc_port: config.puertoGrpc, database: config.mongodb.baseDatos, collections: colecciones });

  let apagando = false;
  const apagar = async (senal: string) => {
    if (apagando) return;
    apagando = true;
    logger.info('apagando', { signal: senal, deadline_ms: config.apagadoMs });
    salud.drenar();
    await Promise.all([drenarServidor(servidor, config.apagadoMs), detenerServidorGrpc(servidorGrpc, config.apagadoMs)]);
    await nucleo.relay.detener();
    await cliente.close();
    logger.info('apagado');
  };
  for (const senal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(senal, () => {
      apagar(senal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('error al apagar', { err: error });
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'aeroalpes', msg: 'no pudo arrancar', error: String(error) })}\n`);
  process.exit(1);
});
