import { StateConcurrencyEnum, type DaprClient } from '@dapr/dapr';
import { ErrorEstado, ClienteEstado } from './estado';

/** The error the JS SDK throws for a non-2xx answer of the sidecar (HTTPClient.execute). */
const errorSdk = (status: number, mensaje: string) =>
  new Error(JSON.stringify({ error: 'x', error_msg: JSON.stringify({ errorCode: 'ERR_STATE_TRANSACTION', message: mensaje }), status }));

function estadoQueFalla(error: Error | undefined, llamadas: unknown[] = []): ClienteEstado {
  const client = {
    state: {
      transaction: async (_store: string, ops: unknown) => {
        llamadas.push(ops);
        if (error) throw error;
      },
    },
  };
  return new ClienteEstado(client as unknown as DaprClient, 'statestore');
}

describe('ClienteEstado (the Dapr adapter) tells a concurrency conflict from a failure', () => {
  const upsert = [{ tipo: 'upsert' as const, clave: 'k', valor: 1, primeraEscritura: true }];

  test.each([
    ['an ETag mismatch outside a transaction (409)', errorSdk(409, 'possible etag mismatch')],
    ['SQLite or MongoDB inside a transaction', errorSdk(500, 'error while executing state transaction: possible etag mismatch. error from state store: x')],
    ['PostgreSQL v2: a first-write on an existing key', errorSdk(500, 'error while executing state transaction: no item was updated')],
  ])('%s is a conflict', async (_caso, error) => {
    expect(await estadoQueFalla(error).transaccion(upsert)).toBe('conflicto');
  });

  test('any other failure throws ErrorEstado with the status (the subscription answers RETRY)', async () => {
    const fallo = estadoQueFalla(errorSdk(500, 'error while executing state transaction: connection refused'));
    await expect(fallo.transaccion(upsert)).rejects.toThrow(ErrorEstado);
    await expect(fallo.transaccion(upsert)).rejects.toMatchObject({ status: 500 });
  });

  test("a first-write upsert goes to the sidecar with Dapr's first-write concurrency", async () => {
    const llamadas: unknown[] = [];
    expect(await estadoQueFalla(undefined, llamadas).transaccion(upsert)).toBe('ok');
    expect(llamadas).toEqual([[{ operation: 'upsert', request: { key: 'k', value: 1, options: { concurrency: StateConcurrencyEnum.CONCURRENCY_FIRST_WRITE } } }]]);
  });
});
