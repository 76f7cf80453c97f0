import {
  MAXIMO_ERRORES,
  REGLA_TEXTO_IMPRIMIBLE,
  TIPOS_EVENTO_RESERVA,
  esEnteroCanonico,
  esTextoImprimible,
  TIPO_COMANDO_CREAR_RESERVA,
  ejemploComandoCrearReserva,
  ejemploEventoReserva,
  validarComandoCrearReserva,
  validarEsquema,
  validarEventoReserva,
  validarMensaje,
  type ErrorValidacion,
} from './index';

const campos = (errores: ErrorValidacion[]) => errores.map((error) => error.campo);

describe('validarEventoReserva', () => {
  it.each(TIPOS_EVENTO_RESERVA)('accepts the example %s', (tipo) => {
    expect(validarEventoReserva(tipo, ejemploEventoReserva(tipo))).toEqual([]);
  });

  it('accepts a record with only what the event type needs (the rest defaults)', () => {
    expect(validarEventoReserva('ReservaPagada', { id_mensaje: 'm-1', id_reserva: 'r-1', fecha_actualizacion: 1_700_000_000_000 })).toEqual([]);
  });

  it('names an unknown event type and still checks the data', () => {
    const errores = validarEventoReserva('ReservaPerdida', { ...ejemploEventoReserva('ReservaCreada'), estado: 7 });
    expect(errores).toEqual([
      { campo: 'type', regla: expect.stringContaining('tipo de evento desconocido el texto "ReservaPerdida"') },
      { campo: 'estado', regla: 'debe ser un texto (Avro string); se recibió el número 7' },
    ]);
    expect(errores[0]?.regla).toContain('ReservaCreada, ReservaAprobada, ReservaCancelada, ReservaPagada, ReservaRechazada');
  });

  it.each([undefined, null, 42, 'ReservaCreada '])('rejects the type %p', (tipo) => {
    expect(campos(validarEventoReserva(tipo, ejemploEventoReserva('ReservaCreada')))).toEqual(['type']);
  });

  it('reports wrong types with the field and what was received', () => {
    const errores = validarEventoReserva('ReservaCreada', {
      ...ejemploEventoReserva('ReservaCreada'),
      id_reserva: 12,
      fecha_creacion: '2022-11-22T13:10:00Z',
      version_agregado: 1.5,
      motivo: null,
    });
    expect(errores).toEqual([
      { campo: 'version_agregado', regla: 'debe ser un entero seguro (Avro long); se recibió el número 1.5' },
      { campo: 'id_reserva', regla: 'debe ser un texto (Avro string); se recibió el número 12' },
      { campo: 'fecha_creacion', regla: 'debe ser un número entero (Avro long); se recibió el texto "2022-11-22T13:10:00Z"' },
      { campo: 'motivo', regla: 'debe ser un texto (Avro string); se recibió null' },
    ]);
  });

  it('rejects longs that would lose precision', () => {
    // Not a safe integer (avsc) and no date either (years 1 to 9999): both rules name the field.
    expect(campos(validarEventoReserva('ReservaAprobada', { ...ejemploEventoReserva('ReservaAprobada'), time: 2 ** 60 }))).toEqual(['time', 'time']);
  });

  it('rejects a valid long that no date can hold (the REST API could not write it), in events and commands, at any depth', () => {
    const fuera = 253402300800000; // 10000-01-01T00:00:00Z
    expect(validarEventoReserva('ReservaAprobada', { ...ejemploEventoReserva('ReservaAprobada'), fecha_actualizacion: fuera })).toEqual([
      { campo: 'fecha_actualizacion', regla: 'fecha fuera de rango: epoch millis de los años 1 a 9999' },
    ]);
    const comando = ejemploComandoCrearReserva();
    comando.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.fecha_llegada = -fuera;
    expect(campos(validarComandoCrearReserva(comando))).toEqual(['itinerarios[0].odos[0].segmentos[0].legs[0].fecha_llegada']);
    expect(validarEventoReserva('ReservaAprobada', { ...ejemploEventoReserva('ReservaAprobada'), fecha_actualizacion: 253402300799999 })).toEqual([]);
  });

  it('rejects fields outside the schema (Dapr would refuse to publish them)', () => {
    expect(validarEventoReserva('ReservaCreada', { ...ejemploEventoReserva('ReservaCreada'), correlationid: 'x', extra: 1 })).toEqual([
      { campo: 'correlationid', regla: 'campo no declarado en el esquema v1 de eventos-reserva (registro EventoReservaPayload)' },
      { campo: 'extra', regla: 'campo no declarado en el esquema v1 de eventos-reserva (registro EventoReservaPayload)' },
    ]);
  });

  it('requires the message id and the reserva id', () => {
    const { id_mensaje: _m, id_reserva: _r, ...resto } = ejemploEventoReserva('ReservaAprobada');
    expect(validarEventoReserva('ReservaAprobada', resto)).toEqual([
      { campo: 'id_mensaje', regla: 'obligatorio: no puede faltar ni estar vacío' },
      { campo: 'id_reserva', regla: 'obligatorio: no puede faltar ni estar vacío' },
    ]);
    expect(campos(validarEventoReserva('ReservaAprobada', { ...ejemploEventoReserva('ReservaAprobada'), id_mensaje: '  ' }))).toEqual(['id_mensaje']);
  });

  it('applies what each event type needs', () => {
    expect(validarEventoReserva('ReservaCreada', { ...ejemploEventoReserva('ReservaCreada'), estado: 'Perdida', fecha_creacion: 0 })).toEqual([
      { campo: 'estado', regla: 'ReservaCreada exige un estado de: Pendiente, Aprobada, Cancelada, Pagada' },
      { campo: 'fecha_creacion', regla: 'obligatorio: epoch millis mayor que 0' },
    ]);
    for (const tipo of ['ReservaAprobada', 'ReservaCancelada', 'ReservaPagada'] as const) {
      expect(campos(validarEventoReserva(tipo, { ...ejemploEventoReserva(tipo), fecha_actualizacion: 0 }))).toEqual(['fecha_actualizacion']);
    }
    expect(campos(validarEventoReserva('ReservaRechazada', { ...ejemploEventoReserva('ReservaRechazada'), motivo: '' }))).toEqual(['motivo']);
  });

  it('a ReservaCreada record sent as ReservaAprobada misses fecha_actualizacion', () => {
    expect(campos(validarEventoReserva('ReservaAprobada', ejemploEventoReserva('ReservaCreada', { fecha_actualizacion: 0 })))).toEqual(['fecha_actualizacion']);
  });

  it('rejects negative times and versions', () => {
    expect(campos(validarEventoReserva('ReservaPagada', { ...ejemploEventoReserva('ReservaPagada'), time: -1, ingestion: -5, version_agregado: -2 }))).toEqual([
      'version_agregado',
      'time',
      'ingestion',
    ]);
  });

  it.each([null, undefined, 'texto', 3, [], [ejemploEventoReserva('ReservaCreada')]])('rejects data %p without throwing', (datos) => {
    expect(validarEventoReserva('ReservaCreada', datos)).toEqual([
      { campo: 'data', regla: expect.stringMatching(/^debe ser un objeto \(registro EventoReservaPayload\); se recibió /) },
    ]);
  });
});

describe('validarComandoCrearReserva', () => {
  it('accepts the example command', () => {
    expect(validarComandoCrearReserva(ejemploComandoCrearReserva())).toEqual([]);
    expect(validarComandoCrearReserva(ejemploComandoCrearReserva(), TIPO_COMANDO_CREAR_RESERVA)).toEqual([]);
  });

  it('leaves business rules to the domain: no itinerarios, same origen and destino, arrival before departure', () => {
    expect(validarComandoCrearReserva(ejemploComandoCrearReserva({ itinerarios: [] }))).toEqual([]);
    const leg = {
      fecha_salida: 2,
      fecha_llegada: 1,
      origen: { codigo: 'BOG', nombre: 'El Dorado' },
      destino: { codigo: 'BOG', nombre: 'El Dorado' },
    };
    expect(validarComandoCrearReserva(ejemploComandoCrearReserva({ itinerarios: [{ odos: [{ segmentos: [{ legs: [leg] }] }] }] }))).toEqual([]);
  });

  it('gives the path of a wrong nested field', () => {
    const comando = ejemploComandoCrearReserva() as unknown as { itinerarios: { odos: { segmentos: { legs: Record<string, unknown>[] }[] }[] }[] };
    const leg = comando.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!;
    leg['fecha_salida'] = '2022-11-22T13:10:00Z';
    leg['destino'] = { codigo: 3, nombre: 'JFK', pais: 'US' };
    comando.itinerarios[0]!.odos.push({ segmentos: 'ninguno' } as never);
    expect(validarComandoCrearReserva(comando)).toEqual([
      {
        campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].fecha_salida',
        regla: 'debe ser un número entero (Avro long); se recibió el texto "2022-11-22T13:10:00Z"',
      },
      { campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].destino.codigo', regla: 'debe ser un texto (Avro string); se recibió el número 3' },
      { campo: 'itinerarios[0].odos[1].segmentos', regla: 'debe ser una lista (Avro array); se recibió el texto "ninguno"' },
      {
        campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].destino.pais',
        regla: 'campo no declarado en el esquema v1 de comandos-reserva (registro Locacion)',
      },
    ]);
  });

  it('rejects itinerarios that are not a list, and null locations', () => {
    expect(validarComandoCrearReserva(ejemploComandoCrearReserva({ itinerarios: {} as never }))).toEqual([
      { campo: 'itinerarios', regla: 'debe ser una lista (Avro array); se recibió un objeto' },
    ]);
    const conOrigenNulo = ejemploComandoCrearReserva({
      itinerarios: [{ odos: [{ segmentos: [{ legs: [{ fecha_salida: 1, fecha_llegada: 2, origen: null as never, destino: { codigo: 'JFK', nombre: '' } }] }] }] }],
    });
    expect(validarComandoCrearReserva(conOrigenNulo)).toEqual([
      { campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].origen', regla: 'debe ser un objeto (registro Locacion); se recibió null' },
    ]);
    const conOrigenLista = ejemploComandoCrearReserva({
      itinerarios: [{ odos: [{ segmentos: [{ legs: [{ fecha_salida: 1, fecha_llegada: 2, origen: [] as never, destino: { codigo: 'JFK', nombre: '' } }] }] }] }],
    });
    expect(validarComandoCrearReserva(conOrigenLista)).toEqual([
      { campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].origen', regla: 'debe ser un objeto (registro Locacion); se recibió una lista' },
    ]);
  });

  it('requires the message id and the server-assigned reserva id', () => {
    expect(campos(validarComandoCrearReserva(ejemploComandoCrearReserva({ id_reserva: '', id_mensaje: '' })))).toEqual(['id_mensaje', 'id_reserva']);
  });

  it('rejects an unknown command type', () => {
    expect(validarComandoCrearReserva(ejemploComandoCrearReserva(), 'CrearReservaYa')).toEqual([
      { campo: 'type', regla: 'tipo de comando desconocido el texto "CrearReservaYa"; se espera uno de: ComandoCrearReserva' },
    ]);
  });
});

describe('validarMensaje', () => {
  it('dispatches on the topic', () => {
    expect(validarMensaje('eventos-reserva', 'ReservaPagada', ejemploEventoReserva('ReservaPagada'))).toEqual([]);
    expect(validarMensaje('comandos-reserva', 'ComandoCrearReserva', ejemploComandoCrearReserva())).toEqual([]);
    expect(campos(validarMensaje('comandos-reserva', 'ReservaPagada', ejemploEventoReserva('ReservaPagada')))).toContain('type');
  });

  it('checks that the CloudEvent id is the message id', () => {
    const evento = ejemploEventoReserva('ReservaCreada');
    expect(validarMensaje('eventos-reserva', 'ReservaCreada', evento, evento.id_mensaje)).toEqual([]);
    expect(validarMensaje('eventos-reserva', 'ReservaCreada', evento, 'otro-id')).toEqual([{ campo: 'id_mensaje', regla: 'debe ser igual al id del CloudEvent (otro-id)' }]);
  });

  it('rejects a topic without a schema, without throwing', () => {
    expect(validarMensaje('eventos-otros', 'ReservaCreada', {})).toEqual([
      { campo: 'topic', regla: 'tópico sin esquema v1: "eventos-otros"; tópicos: eventos-reserva, comandos-reserva' },
    ]);
    expect(validarEsquema('nada' as never, {})).toEqual([{ campo: 'topic', regla: expect.stringContaining('tópico sin esquema v1') }]);
  });
});

describe('names (Locacion.nombre): no control, format or lone surrogate character', () => {
  const conNombre = (nombre: string) =>
    ejemploComandoCrearReserva({
      itinerarios: [{ odos: [{ segmentos: [{ legs: [{ fecha_salida: 1, fecha_llegada: 2, origen: { codigo: 'BOG', nombre }, destino: { codigo: 'JFK', nombre: 'JFK' } }] }] }] }],
    });

  it.each(['El\nDorado', 'El\u0000Dorado', 'El\u0085Dorado', '\u202eodaroD', 'El\u200bDorado', '\ufeffEl Dorado', 'Bogot\ud800', '\udc00Bogotá'])(
    'rejects %j in a command',
    (nombre) => {
      expect(validarComandoCrearReserva(conNombre(nombre))).toEqual([{ campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].origen.nombre', regla: REGLA_TEXTO_IMPRIMIBLE }]);
    },
  );

  it('rejects it in an event too', () => {
    const evento = { ...ejemploEventoReserva('ReservaCreada'), itinerarios: conNombre('El\tDorado').itinerarios };
    expect(campos(validarEventoReserva('ReservaCreada', evento))).toEqual(['itinerarios[0].odos[0].segmentos[0].legs[0].origen.nombre']);
  });

  it.each(['José María Córdova', '北京首都', 'נמל התעופה', '😀 El Dorado', ''])('accepts %j', (nombre) => {
    expect(esTextoImprimible(nombre)).toBe(true);
    expect(validarComandoCrearReserva(conNombre(nombre))).toEqual([]);
  });
});

describe('bounded work', () => {
  it('stops at MAXIMO_ERRORES undeclared fields', () => {
    const comando: Record<string, unknown> = { ...ejemploComandoCrearReserva() };
    for (let i = 0; i < 10_000; i++) comando[`c${i}`] = i;
    const errores = validarComandoCrearReserva(comando);
    expect(errores).toHaveLength(MAXIMO_ERRORES);
    expect(errores[0]?.campo).toBe('c0');
  });

  it('stops at MAXIMO_ERRORES wrong legs: the legs after the cap are never read', () => {
    let leidos = 0;
    const leg = () =>
      new Proxy(
        { fecha_salida: 'x', fecha_llegada: 'y', origen: { codigo: 'BOG', nombre: 'a' }, destino: { codigo: 'JFK', nombre: 'b' } },
        {
          get(destino, clave, receptor) {
            if (clave === 'fecha_salida') leidos++;
            return Reflect.get(destino, clave, receptor) as unknown;
          },
        },
      );
    const legs = Array.from({ length: 20_000 }, leg);
    const errores = validarComandoCrearReserva(ejemploComandoCrearReserva({ itinerarios: [{ odos: [{ segmentos: [{ legs: legs as never }] }] }] }));
    expect(errores).toHaveLength(MAXIMO_ERRORES);
    expect(leidos).toBeLessThan(100);
  });
});

describe('esEnteroCanonico', () => {
  it.each(['0', '1', '20', '10000', '-3'])('%j yes', (texto) => expect(esEnteroCanonico(texto)).toBe(true));
  it.each(['01', '+3', ' 2', '2 ', '1e3', '0x10', '1.0', '', '-0', '--1', '١'])('%j no', (texto) => expect(esEnteroCanonico(texto)).toBe(false));
});
