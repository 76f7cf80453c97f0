import { ReservaAprobada, ReservaCancelada, ReservaCreada, ReservaPagada } from '../dominio/eventos';
import { EventoDominio } from '../../../seedwork/dominio/eventos';
import { MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { itinerariosDesdeDto, MapeadorSolicitudReserva, reservaADto } from '../aplicacion/mapeadores';
import { SOLICITUD_MINIMA } from '../aplicacion/ejemplos';
import { ReservaDTO } from '../aplicacion/dto';
import { RepositorioReservasMemoria, VistaReservasMemoria } from './memoria';
import { ProyectorReservas } from './proyector';
import { TraductorEventosReserva } from './traductor';
import { itinerariosAV1 } from '@aeroalpes/contratos';
import { Pasajero } from '../dominio/objetos-valor';

const T = new Date('2024-02-03T04:05:06Z');

describe('TraductorEventosReserva (el único lugar de traducción)', () => {
  const t = new TraductorEventosReserva('eventos-reserva');

  it('ReservaCreada -> payload v1 con la reserva entera, id_cliente vacío si es anónima y fechas en epoch millis', () => {
    const itinerarios = itinerariosDesdeDto(SOLICITUD_MINIMA.itinerarios);
    const pasajeros = [Pasajero.crear({ clase: 'Economica', tipo: 'Adulto' })];
    expect(t.traducir(new ReservaCreada('r1', undefined, 'Pendiente', T, itinerarios, pasajeros))).toEqual({
      topic: 'eventos-reserva',
      type: 'ReservaCreada',
      payload: {
        id_reserva: 'r1',
        id_cliente: '',
        estado: 'Pendiente',
        fecha_creacion: T.getTime(),
        fecha_actualizacion: T.getTime(),
        itinerarios: itinerariosAV1(SOLICITUD_MINIMA.itinerarios),
        pasajeros: [{ clase: 'Economica', tipo: 'Adulto' }],
      },
    });
    expect(t.traducir(new ReservaCreada('r1', 'c1', 'Pendiente', T))?.payload).toMatchObject({ id_cliente: 'c1', pasajeros: [] });
  });

  it.each([
    [new ReservaAprobada('r1', T), 'ReservaAprobada'],
    [new ReservaCancelada('r1', T), 'ReservaCancelada'],
    [new ReservaPagada('r1', T), 'ReservaPagada'],
  ])('%p -> {id_reserva, fecha_actualizacion}', (evento, tipo) => {
    expect(t.traducir(evento)).toEqual({ topic: 'eventos-reserva', type: tipo, payload: { id_reserva: 'r1', fecha_actualizacion: T.getTime() } });
  });

  it('ignora eventos que no conoce', () => {
    class Otro extends EventoDominio {
      readonly tipo = 'Otro';
      constructor() {
        super();
      }
    }
    expect(t.traducir(new Otro())).toBeNull();
  });
});

describe('ProyectorReservas', () => {
  async function preparar() {
    const repo = new RepositorioReservasMemoria();
    const vista = new VistaReservasMemoria();
    const reserva = new MapeadorSolicitudReserva({ id: 'r1', ahora: T }).externoAEntidad(SOLICITUD_MINIMA);
    reserva.extraerEventos();
    await repo.guardar({ documento: repo.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [] });
    reserva.marcarPersistido(1);
    const mensaje = (version: number, type = 'ReservaCreada'): MensajeIntegracion => ({
      id: `m${version}`,
      topic: 'eventos-reserva',
      type,
      time: 0,
      correlationId: 'c',
      aggregateId: 'r1',
      aggregateVersion: version,
      payload: { id_reserva: 'r1' },
    });
    return { repo, vista, reserva, mensaje, proyector: new ProyectorReservas(repo, vista, 'eventos-reserva') };
  }

  it('escribe el estado actual de la reserva (evento como notificación) y es idempotente', async () => {
    const { vista, proyector, mensaje } = await preparar();
    await proyector.manejar(mensaje(1));
    await proyector.manejar(mensaje(1));
    expect(vista.documentos.size).toBe(1);
    expect(await vista.obtener('r1')).toMatchObject({ id: 'r1', estado: 'Pendiente', version: 1 });
  });

  it('un mensaje viejo o repetido llegado tarde no retrocede la vista', async () => {
    const { repo, vista, proyector, mensaje, reserva } = await preparar();
    reserva.aprobar(T);
    await repo.guardar({ documento: repo.aDocumento(reserva), versionEsperada: 1, versionNueva: 2, mensajes: [] });
    await proyector.manejar(mensaje(2, 'ReservaAprobada'));
    expect((await vista.obtener('r1'))?.estado).toBe('Aprobada');
    await proyector.manejar(mensaje(1)); // reads the current state: still Aprobada, v2
    expect(await vista.obtener('r1')).toMatchObject({ estado: 'Aprobada', version: 2 });
  });

  it('falla (para reintentar) si el modelo de escritura está detrás del mensaje; ignora otros tópicos y reservas borradas', async () => {
    const { vista, proyector, mensaje } = await preparar();
    await expect(proyector.manejar(mensaje(5))).rejects.toThrow(/versión/);
    await proyector.manejar({ ...mensaje(1), topic: 'otro' });
    await proyector.manejar({ ...mensaje(1), payload: { id_reserva: 'no-existe' } });
    expect(vista.documentos.size).toBe(0);
  });
});

describe('VistaReservasMemoria', () => {
  it('ordena por versión', async () => {
    const vista = new VistaReservasMemoria();
    const r = reservaADto(new MapeadorSolicitudReserva({ id: 'r1', ahora: T }).externoAEntidad(SOLICITUD_MINIMA));
    const v = (version: number, estado: ReservaDTO['estado']): ReservaDTO => ({ ...r, version, estado });
    expect(await vista.guardarSiMasNueva(v(2, 'Aprobada'))).toBe(true);
    expect(await vista.guardarSiMasNueva(v(1, 'Pendiente'))).toBe(false);
    expect(await vista.guardarSiMasNueva(v(2, 'Aprobada'))).toBe(false);
    expect(await vista.guardarSiMasNueva(v(3, 'Pagada'))).toBe(true);
    expect((await vista.obtener('r1'))?.estado).toBe('Pagada');
  });
});
