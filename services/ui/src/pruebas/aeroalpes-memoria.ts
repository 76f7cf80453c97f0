import { randomUUID } from 'node:crypto';
import type { AccionReserva } from '@aeroalpes/contratos';
import type { AeroAlpes, ConsultaReservas, Contexto, RespuestaAeroAlpes } from '../reservas/aeroalpes';

/** A scripted AeroAlpes for route tests: records the calls, answers what the test set. */
export class AeroAlpesMemoria implements AeroAlpes {
  readonly llamadas: { op: string; args: unknown[]; ctx: Contexto }[] = [];
  respuestaCrear: (solicitud: unknown) => RespuestaAeroAlpes = () => ({ status: 202, cuerpo: { id: randomUUID(), mensaje: 'comando CrearReserva aceptado' } });
  respuestaAccion: (id: string, accion: AccionReserva) => RespuestaAeroAlpes = (id) => ({ status: 200, cuerpo: { id, estado: 'Aprobada', version: 2 } });
  respuestaListar: (consulta: ConsultaReservas) => RespuestaAeroAlpes = () => ({ status: 200, cuerpo: { reservas: [], pagina: 1, tamano: 20, total: 0 } });

  async crearReserva(solicitud: unknown, ctx: Contexto): Promise<RespuestaAeroAlpes> {
    this.llamadas.push({ op: 'crearReserva', args: [solicitud], ctx });
    return this.respuestaCrear(solicitud);
  }

  async ejecutarAccion(id: string, accion: AccionReserva, ctx: Contexto): Promise<RespuestaAeroAlpes> {
    this.llamadas.push({ op: 'ejecutarAccion', args: [id, accion], ctx });
    return this.respuestaAccion(id, accion);
  }

  async listarReservas(consulta: ConsultaReservas, ctx: Contexto): Promise<RespuestaAeroAlpes> {
    this.llamadas.push({ op: 'listarReservas', args: [consulta], ctx });
    return this.respuestaListar(consulta);
  }
}
