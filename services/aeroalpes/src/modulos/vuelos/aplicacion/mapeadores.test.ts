import { ReglaNegocioExcepcion } from '../../../seedwork/dominio/excepciones';
import { FabricaVuelos } from '../dominio/fabricas';
import { Reserva } from '../dominio/reserva';
import { MapeadorReservaDocumento } from '../infraestructura/documentos';
import { SolicitudReservaDTO } from './dto';
import { copiaSolicitud, SOLICITUD_DOS_LEGS, SOLICITUD_MINIMA } from './ejemplos';
import { MapeadorSolicitudReserva, reservaADto } from './mapeadores';

const AHORA = new Date('2024-03-04T05:06:07Z');
const fabrica = new FabricaVuelos();
const crear = (s: SolicitudReservaDTO, id = 'r1') => fabrica.crearObjeto(s, new MapeadorSolicitudReserva({ id, ahora: AHORA }));

describe('FabricaVuelos + MapeadorSolicitudReserva', () => {
  it('construye la reserva del ejemplo del contrato', () => {
    const r = crear(SOLICITUD_DOS_LEGS);
    expect(r).toBeInstanceOf(Reserva);
    expect(r.estado).toBe('Pendiente');
    const legs = r.itinerarios[0]?.odos[0]?.segmentos[0]?.legs ?? [];
    expect(legs.map((l) => `${l.origen.codigo}-${l.destino.codigo}`)).toEqual(['BOG-JFK', 'JFK-LAX']);
    expect(legs[0]?.fechaSalida.toISOString()).toBe('2022-11-22T13:10:00.000Z');
  });

  it('ida y vuelta: solicitud -> entidad -> solicitud es igual', () => {
    const solicitud: SolicitudReservaDTO = {
      ...copiaSolicitud(SOLICITUD_DOS_LEGS),
      id_cliente: '5d1e3c9a-3c1f-4a8e-9a3e-2b7c1d0e4f5a',
      pasajeros: [
        { clase: 'Ejecutiva', tipo: 'Adulto' },
        { clase: 'Ejecutiva', tipo: 'Infante' },
      ],
    };
    const mapeador = new MapeadorSolicitudReserva({ id: 'r1', ahora: AHORA });
    expect(mapeador.entidadAExterno(mapeador.externoAEntidad(solicitud))).toEqual(solicitud);
    expect(mapeador.entidadAExterno(mapeador.externoAEntidad(SOLICITUD_MINIMA))).toEqual(SOLICITUD_MINIMA);
  });

  it('reservaADto produce el documento del contrato, en su orden', () => {
    const dto = reservaADto(crear(SOLICITUD_MINIMA));
    expect(Object.keys(dto)).toEqual(['id', 'estado', 'fecha_creacion', 'fecha_actualizacion', 'version', 'itinerarios']);
    expect(dto).toMatchObject({ id: 'r1', fecha_creacion: '2024-03-04T05:06:07Z', version: 0 });
  });

  it('una fecha que no es UTC del wire es FechaValida con su campo', () => {
    const s = copiaSolicitud() as unknown as { itinerarios: { odos: { segmentos: { legs: { fecha_salida: string }[] }[] }[] }[] };
    (s.itinerarios[0]?.odos[0]?.segmentos[0]?.legs[0] as { fecha_salida: string }).fecha_salida = '2022-02-30T00:00:00Z';
    expect(() => crear(s as unknown as SolicitudReservaDTO)).toThrow(
      expect.objectContaining({ regla: 'FechaValida', campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].fecha_salida' }),
    );
  });

  it('las reglas de los objetos anidados nombran su ruta completa', () => {
    const s = copiaSolicitud(SOLICITUD_DOS_LEGS);
    const segundo = s.itinerarios[0]?.odos[0]?.segmentos[0]?.legs[1];
    if (segundo) segundo.origen = { codigo: 'MIA', nombre: 'Miami' };
    let error: unknown;
    try {
      crear(s);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReglaNegocioExcepcion);
    expect(error).toMatchObject({ regla: 'LegsConsecutivosConectan', campo: 'itinerarios[0].odos[0].segmentos[0].legs[1].origen.codigo' });
  });

  it('la fábrica rechaza un mapeador que no produce una Reserva', () => {
    expect(() => fabrica.crearObjeto({}, { externoAEntidad: () => ({}) as Reserva, entidadAExterno: () => ({}) })).toThrow();
  });
});

describe('MapeadorReservaDocumento', () => {
  const mapeador = new MapeadorReservaDocumento();

  it('ida y vuelta dominio -> documento -> dominio conserva todo', () => {
    const original = crear({ ...copiaSolicitud(SOLICITUD_DOS_LEGS), id_cliente: 'c1', pasajeros: [{ clase: 'Primera', tipo: 'Adulto' }] });
    original.marcarPersistido(1);
    original.aprobar(new Date('2024-03-05T00:00:00Z'));
    original.marcarPersistido(2);
    const doc = mapeador.entidadAExterno(original);
    expect(doc).toMatchObject({ _id: 'r1', id_cliente: 'c1', estado: 'Aprobada', version: 2 });
    expect(doc.fecha_creacion).toBeInstanceOf(Date);
    const vuelta = mapeador.externoAEntidad(structuredClone(doc));
    expect(reservaADto(vuelta)).toEqual(reservaADto(original));
    expect(vuelta.version).toBe(2);
    expect(vuelta.eventos).toEqual([]);
  });

  it('una reserva anónima se guarda con id_cliente null y pasajeros null', () => {
    const r = crear(SOLICITUD_MINIMA);
    r.marcarPersistido(1);
    const doc = mapeador.entidadAExterno(r);
    expect(doc.id_cliente).toBeNull();
    expect(doc.pasajeros).toBeNull();
    expect(mapeador.externoAEntidad(doc).idCliente).toBeUndefined();
  });

  it('el documento es una copia: cambiar la entidad después no lo altera', () => {
    const r = crear(SOLICITUD_MINIMA);
    r.marcarPersistido(1);
    const doc = mapeador.entidadAExterno(r);
    r.cancelar(new Date('2025-01-01T00:00:00Z'));
    expect(doc.estado).toBe('Pendiente');
  });

  it('rechaza un estado desconocido', () => {
    const r = crear(SOLICITUD_MINIMA);
    r.marcarPersistido(1);
    const doc = { ...mapeador.entidadAExterno(r), estado: 'Borrada' as never };
    expect(() => mapeador.externoAEntidad(doc)).toThrow(/estado desconocido/);
  });
});
