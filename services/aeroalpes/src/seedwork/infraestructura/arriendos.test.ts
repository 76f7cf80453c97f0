import { ArriendosMemoria, duenioDeProceso } from './arriendos';

describe('ArriendosMemoria (the same rules as ArriendosMongo, tested on the real database)', () => {
  it('one owner at a time per key; another key is independent', async () => {
    const arriendos = new ArriendosMemoria();
    const a = await arriendos.tomar('reservas/r-1', { duenio: 'a', ahora: 0, vence: 100 });
    expect(a).toMatchObject({ clave: 'reservas/r-1', duenio: 'a', vence: 100 });
    expect(await arriendos.tomar('reservas/r-1', { duenio: 'b', ahora: 50, vence: 150 })).toBeNull();
    expect(await arriendos.tomar('reservas/r-2', { duenio: 'b', ahora: 50, vence: 150 })).toMatchObject({ duenio: 'b' });
  });

  it('an expired lease is taken over; the owner may take its own again', async () => {
    const arriendos = new ArriendosMemoria();
    await arriendos.tomar('k', { duenio: 'a', ahora: 0, vence: 100 });
    expect(await arriendos.tomar('k', { duenio: 'a', ahora: 10, vence: 110 })).toMatchObject({ duenio: 'a', vence: 110 });
    expect(await arriendos.tomar('k', { duenio: 'b', ahora: 109, vence: 209 })).toBeNull();
    expect(await arriendos.tomar('k', { duenio: 'b', ahora: 110, vence: 210 })).toMatchObject({ duenio: 'b', vence: 210 });
  });

  it('giving back a lease that was taken over leaves the new one in place', async () => {
    const arriendos = new ArriendosMemoria();
    const viejo = (await arriendos.tomar('k', { duenio: 'a', ahora: 0, vence: 100 }))!;
    const nuevo = (await arriendos.tomar('k', { duenio: 'b', ahora: 200, vence: 300 }))!;
    await arriendos.soltar(viejo);
    expect(arriendos.vigentes).toEqual([nuevo]);
    expect(await arriendos.tomar('k', { duenio: 'a', ahora: 250, vence: 350 })).toBeNull();
    await arriendos.soltar(nuevo);
    expect(await arriendos.tomar('k', { duenio: 'a', ahora: 250, vence: 350 })).toMatchObject({ duenio: 'a' });
  });

  it('duenioDeProceso names the host and the pid, and differs on each call', () => {
    const [uno, dos] = [duenioDeProceso(), duenioDeProceso()];
    expect(uno).toContain(`/${process.pid}/`);
    expect(uno).not.toBe(dos);
  });
});
