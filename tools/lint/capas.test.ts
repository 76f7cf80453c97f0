/**
 * The layer rules (tools/lint/capas.js) through ESLint's Node API, on virtual files placed in the
 * folders they govern: what is reported, what is not, and that eslint.config.js turns them on.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { configuracion } from './capas';

const REPO = path.resolve(__dirname, '..', '..');
const DOMINIO = 'services/aeroalpes/src/modulos/vuelos/dominio/nuevo.ts';
const APLICACION = 'services/aeroalpes/src/modulos/vuelos/aplicacion/comandos/nuevo.ts';

// The rule alone, with the TypeScript parser but no type information (the files are virtual).
const eslint = new ESLint({ cwd: REPO, overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, configuracion] });

async function reportes(archivo: string, codigo: string): Promise<string[]> {
  const [resultado] = await eslint.lintText(codigo, { filePath: path.join(REPO, archivo) });
  expect(resultado!.messages.filter((m) => m.fatal)).toEqual([]);
  return resultado!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('capas: dominio', () => {
  it('reports a driver, a transport, infrastructure, another module and an impure Node module', async () => {
    const r = await reportes(
      DOMINIO,
      [
        "import { MongoClient } from 'mongodb';",
        "import express from 'express';",
        "import { DaprClient } from '@dapr/dapr';",
        "import { guardar } from '../infraestructura/repositorio-mongo';",
        "import { Outbox } from '../../../seedwork/infraestructura/outbox';",
        "import { Cliente } from '../../cliente/dominio/cliente';",
        "import fs from 'node:fs';",
        "export { validar } from '@aeroalpes/contratos';",
        "const d = require('@dapr/dapr');",
      ].join('\n'),
    );
    expect(r).toHaveLength(9);
    expect(r[0]).toBe(
      "capas/capas: dominio (vuelos) imports only its own dominio, seedwork/dominio, node:crypto and @aeroalpes/contratos/estados-reserva: 'mongodb' is not allowed",
    );
    for (const m of r) expect(m).toMatch(/^capas\/capas: dominio \(vuelos\)/);
  });

  it('allows its own dominio, seedwork/dominio, node:crypto and the published states module', async () => {
    const r = await reportes(
      DOMINIO,
      [
        "import { Reserva } from './reserva';",
        "import { AgregacionRaiz } from '../../../seedwork/dominio/entidades';",
        "import { randomUUID } from 'node:crypto';",
        "import { EstadoReserva } from '@aeroalpes/contratos/estados-reserva';",
      ].join('\n'),
    );
    expect(r).toEqual([]);
  });

  it('holds for seedwork/dominio too, and not for the domain tests (they may wire adapters)', async () => {
    expect(await reportes('services/aeroalpes/src/seedwork/dominio/nuevo.ts', "import { Outbox } from '../infraestructura/outbox';")).toHaveLength(1);
    expect(await reportes('services/aeroalpes/src/modulos/vuelos/dominio/nuevo.test.ts', "import { MongoClient } from 'mongodb';")).toEqual([]);
  });
});

describe('capas: aplicacion', () => {
  it('reports infraestructura, the api, the composition root and transports', async () => {
    const r = await reportes(
      APLICACION,
      [
        "import { Documento } from '../../infraestructura/documentos';",
        "import { UnidadTrabajo } from '../../../../seedwork/infraestructura/uow';",
        "import { rutas } from '../../../../api/rutas';",
        "import { componer } from '../../../../composicion';",
        "import { MongoClient } from 'mongodb';",
        "import * as grpc from '@grpc/grpc-js';",
      ].join('\n'),
    );
    expect(r).toEqual([
      "capas/capas: aplicacion imports no infraestructura, api or composition root: '../../infraestructura/documentos' is modulos/vuelos/infraestructura/documentos",
      "capas/capas: aplicacion imports no infraestructura, api or composition root: '../../../../seedwork/infraestructura/uow' is seedwork/infraestructura/uow",
      "capas/capas: aplicacion imports no infraestructura, api or composition root: '../../../../api/rutas' is api/rutas",
      "capas/capas: aplicacion imports no infraestructura, api or composition root: '../../../../composicion' is composicion",
      "capas/capas: aplicacion imports no transport or driver: 'mongodb' belongs in an adapter (infraestructura, api)",
      "capas/capas: aplicacion imports no transport or driver: '@grpc/grpc-js' belongs in an adapter (infraestructura, api)",
    ]);
  });

  it("allows aplicacion, dominio (its own and another module's), seedwork and the packages", async () => {
    const r = await reportes(
      APLICACION,
      [
        "import { Reserva } from '../../dominio/reserva';",
        "import { ObtenerCliente } from '../../../cliente/aplicacion/obtener-cliente';",
        "import { Comando } from '../../../../seedwork/aplicacion/comandos';",
        "import { ReglaNegocioExcepcion } from '../../../../seedwork/dominio/excepciones';",
        "import { type Logger } from '@aeroalpes/comun';",
        "import { randomUUID } from 'node:crypto';",
      ].join('\n'),
    );
    expect(r).toEqual([]);
  });
});

describe('capas: a use-case folder', () => {
  const COMANDO = 'services/aeroalpes/src/modulos/vuelos/crear-reserva/comando.ts';

  it('holds its comando.ts (and query.ts) to the aplicacion rules, the adapters beside it included', async () => {
    const r = await reportes(
      COMANDO,
      [
        "import { manejadores } from './rest';",
        "import { Bandeja } from './broker';",
        "import { Documento } from '../infraestructura/documentos';",
        "import { errorValidacion } from '../../../api/errores';",
        "import express from 'express';",
      ].join('\n'),
    );
    expect(r).toEqual([
      "capas/capas: aplicacion imports no infraestructura, api or composition root: './rest' is modulos/vuelos/crear-reserva/rest",
      "capas/capas: aplicacion imports no infraestructura, api or composition root: './broker' is modulos/vuelos/crear-reserva/broker",
      "capas/capas: aplicacion imports no infraestructura, api or composition root: '../infraestructura/documentos' is modulos/vuelos/infraestructura/documentos",
      "capas/capas: aplicacion imports no infraestructura, api or composition root: '../../../api/errores' is api/errores",
      "capas/capas: aplicacion imports no transport or driver: 'express' belongs in an adapter (infraestructura, api)",
    ]);
    expect(await reportes('services/aeroalpes/src/modulos/vuelos/otro-caso/query.ts', "import { MongoClient } from 'mongodb';")).toHaveLength(1);
  });

  it('lets comando.ts use aplicacion, dominio and seedwork, and aplicacion use comando.ts (but not its adapters)', async () => {
    const r = await reportes(
      COMANDO,
      [
        "import { ReservaDTO } from '../aplicacion/dto';",
        "import { Reserva } from '../dominio/reserva';",
        "import { Comando } from '../../../seedwork/aplicacion/comandos';",
        "import { type Logger } from '@aeroalpes/comun';",
      ].join('\n'),
    );
    expect(r).toEqual([]);
    expect(await reportes(APLICACION, "import { CrearReserva } from '../../crear-reserva/comando';")).toEqual([]);
    expect(await reportes(APLICACION, "import { DespachadorComandosBroker } from '../../crear-reserva/broker';")).toEqual([
      "capas/capas: aplicacion imports no infraestructura, api or composition root: '../../crear-reserva/broker' is modulos/vuelos/crear-reserva/broker",
    ]);
    expect(await reportes(DOMINIO, "import { CrearReserva } from '../crear-reserva/comando';")).toHaveLength(1);
  });

  it('leaves its adapters (rest.ts, broker.ts) free to use transports, the api and infraestructura', async () => {
    const adaptador = [
      "import express from 'express';",
      "import { Collection } from 'mongodb';",
      "import { errorValidacion } from '../../../api/errores';",
      "import { OutboxPendiente } from '../../../seedwork/infraestructura/outbox';",
      "import { CrearReserva } from './comando';",
    ].join('\n');
    expect(await reportes('services/aeroalpes/src/modulos/vuelos/crear-reserva/rest.ts', adaptador)).toEqual([]);
    expect(await reportes('services/aeroalpes/src/modulos/vuelos/crear-reserva/broker.ts', adaptador)).toEqual([]);
  });
});

describe('capas: services and packages', () => {
  it('reports a service reaching into another service, by path or by package name', async () => {
    const r = await reportes(
      'services/ui/src/reservas/nuevo.ts',
      ["import { crearApp } from '../../../aeroalpes/src/api/app';", "import x from '@aeroalpes/notificaciones';"].join('\n'),
    );
    expect(r).toEqual([
      'capas/capas: services/ui imports a file of services/aeroalpes: share it through packages/ instead',
      'capas/capas: services/ui imports a file of services/notificaciones: share it through packages/ instead',
    ]);
    // A test is no exception to the service boundary.
    expect(await reportes('services/notificaciones/src/nuevo.test.ts', "import { Reserva } from '../../aeroalpes/src/modulos/vuelos/dominio/reserva';")).toHaveLength(1);
  });

  it('reports a package importing a service, and allows what packages share', async () => {
    expect(await reportes('packages/comun/src/nuevo.ts', "import { crearApp } from '../../../services/aeroalpes/src/api/app';")).toEqual([
      'capas/capas: packages/comun imports services/aeroalpes: packages never depend on a service',
    ]);
    expect(
      await reportes(
        'services/ui/src/nuevo.ts',
        ["import { configDapr } from '@aeroalpes/comun';", "import { validar } from '@aeroalpes/contratos';", "import express from 'express';"].join('\n'),
      ),
    ).toEqual([]);
  });
});

describe('eslint.config.js', () => {
  it('turns the layer rule on for every service, package and test file', async () => {
    // The configuration is required here: ESLint's own loader uses import(), which jest's VM refuses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const real = new ESLint({ cwd: REPO, overrideConfigFile: true, overrideConfig: require('../../eslint.config.js') });
    for (const archivo of [
      DOMINIO,
      APLICACION,
      'services/aeroalpes/src/modulos/vuelos/crear-reserva/comando.ts',
      'services/ui/src/app.ts',
      'packages/contratos/src/index.ts',
      'tests/grpc/vuelos.test.ts',
    ]) {
      const config = await real.calculateConfigForFile(path.join(REPO, archivo));
      expect({ archivo, regla: config.rules['capas/capas'] }).toEqual({ archivo, regla: [2] });
    }
  });
});
