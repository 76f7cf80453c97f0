import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { componerEnMemoria } from '../composicion';
import { Logger } from '@aeroalpes/comun';
import { crearApp, DependenciasApp } from './app';

type NucleoMemoria = ReturnType<typeof componerEnMemoria>;

export interface ServidorPruebas {
  base: string;
  nucleo: NucleoMemoria;
  cerrar(): Promise<void>;
}

/**
 * The real express app over in-memory adapters, listening on an ephemeral loopback port
 * (API tests over HTTP with Node's fetch).
 */
export async function iniciarServidorPruebas(opciones: { logger?: Logger; app?: Partial<DependenciasApp>; reloj?: () => Date } = {}): Promise<ServidorPruebas> {
  const nucleo = componerEnMemoria({
    ...(opciones.logger ? { logger: opciones.logger } : {}),
    ...(opciones.reloj ? { reloj: opciones.reloj } : {}),
  });
  const app = crearApp({ ...nucleo, ...(opciones.logger ? { logger: opciones.logger } : {}), ...opciones.app });
  const servidor: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = servidor.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    nucleo,
    cerrar: () =>
      new Promise<void>((resolve) => {
        servidor.close(() => resolve());
        servidor.closeAllConnections();
      }),
  };
}
