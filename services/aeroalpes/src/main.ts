/**
 * Composition root of the aeroalpes service: configuration, MongoDB adapters, the core (buses,
 * handlers, unit of work, projector, relay) and the REST API, built by hand. Graceful shutdown on
 * SIGTERM/SIGINT: stop accepting, let requests finish (bounded), stop the relay, close MongoDB.
 */
import { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import { crearApp } from './api/app';
import { componer } from './composicion';
import { leerConfig } from './config';
import { crearLogger } from './seedwork/infraestructura/logger';
import { PublicadorSoloRegistro } from './seedwork/infraestructura/publicadores';
import { RepositorioClientesMongo } from './modulos/cliente/infraestructura/repositorio-mongo';
import { RepositorioReservasMongo } from './modulos/vuelos/infraestructura/repositorio-mongo';
import { VistaReservasMongo } from './modulos/vuelos/infraestructura/vista-mongo';

async function main(): Promise<void> {
  const config = leerConfig();
  const logger = crearLogger({ servicio: 'aeroalpes', nivel: config.nivelLog });

  const cliente = new MongoClient(config.mongodb.uri, { appName: 'aeroalpes', serverSelectionTimeoutMS: 10000 });
  await cliente.connect();
  const db = cliente.db(config.mongodb.baseDatos);
  const { colecciones } = config.mongodb;
  const reservas = RepositorioReservasMongo.enBase(db, colecciones.reservas);
  const vista = VistaReservasMongo.enBase(db, colecciones.vista);
  const clientes = RepositorioClientesMongo.enBase(db, colecciones.clientes);
  await reservas.asegurarIndices();
  await vista.asegurarIndices();

  const nucleo = componer(
    // The Dapr pub/sub publisher (event-flow issue) replaces PublicadorSoloRegistro here.
    { reservas, vista, clientes, publicador: new PublicadorSoloRegistro(logger), logger },
    { topicEventos: config.topics.eventos, relay: { ...config.relay, logger } },
  );
  nucleo.relay.iniciar();

  const app = crearApp({ ...nucleo, logger, limiteCuerpoBytes: config.limiteCuerpoBytes });
  const servidor = app.listen(config.puerto);
  await new Promise<void>((resolve, reject) => {
    servidor.once('listening', resolve);
    servidor.once('error', reject);
  });
  logger.info('aeroalpes escuchando', {
    puerto: (servidor.address() as AddressInfo).port,
    baseDatos: config.mongodb.baseDatos,
    colecciones,
  });

  let apagando = false;
  const apagar = async (senal: string) => {
    if (apagando) return;
    apagando = true;
    logger.info('apagando', { senal });
    const limite = setTimeout(() => servidor.closeAllConnections(), config.apagadoMs);
    limite.unref();
    await new Promise<void>((resolve) => {
      servidor.close(() => resolve());
      servidor.closeIdleConnections();
    });
    clearTimeout(limite);
    await nucleo.relay.detener();
    await cliente.close();
    logger.info('apagado');
  };
  for (const senal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(senal, () => {
      apagar(senal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('error al apagar', { error });
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
