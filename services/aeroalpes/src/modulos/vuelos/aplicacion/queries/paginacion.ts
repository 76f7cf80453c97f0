import { ReglaNegocio, validarReglas } from '../../../../seedwork/dominio/reglas';
import { Pagina } from '../../../../seedwork/aplicacion/queries';
import { exito, Resultado } from '../../../../seedwork/aplicacion/resultado';
import { EstadoReserva } from '../../dominio/estado-reserva';
import { ReservaDTO } from '../dto';
import { VistaReservas } from '../puertos';

const TAMANO_PAGINA_POR_DEFECTO = 20;
export const TAMANO_PAGINA_MAXIMO = 100;
/**
 * How deep a page may go: pagina × tamano at most. A page is read by skipping every reserva before
 * it, so the depth bounds what one request costs the database.
 */
export const PROFUNDIDAD_MAXIMA = 10_000;
export const PAGINA_MAXIMA = PROFUNDIDAD_MAXIMA;

export interface Paginacion {
  pagina?: number;
  tamano?: number;
}

class EnteroEnRango extends ReglaNegocio {
  constructor(
    private readonly valor: number,
    private readonly minimo: number,
    private readonly maximo: number,
    campo: string,
  ) {
    super('PaginacionValida', `debe ser un entero entre ${minimo} y ${maximo}`, campo);
  }

  esValido(): boolean {
    return Number.isInteger(this.valor) && this.valor >= this.minimo && this.valor <= this.maximo;
  }
}

class ProfundidadPaginaMaxima extends ReglaNegocio {
  constructor(
    private readonly pagina: number,
    private readonly tamano: number,
  ) {
    super('ProfundidadPaginaMaxima', `pagina × tamano no puede superar ${PROFUNDIDAD_MAXIMA}: filtre por estado para llegar a reservas más antiguas`, 'pagina');
  }

  esValido(): boolean {
    return this.pagina * this.tamano <= PROFUNDIDAD_MAXIMA;
  }
}

/** Shared by the list queries: validate the page, read the read model, wrap the page. */
export async function listarReservas(vista: VistaReservas, paginacion: Paginacion, estados: readonly EstadoReserva[] | undefined): Promise<Resultado<Pagina<ReservaDTO>>> {
  const pagina = paginacion.pagina ?? 1;
  const tamano = paginacion.tamano ?? TAMANO_PAGINA_POR_DEFECTO;
  validarReglas(new EnteroEnRango(pagina, 1, PAGINA_MAXIMA, 'pagina'), new EnteroEnRango(tamano, 1, TAMANO_PAGINA_MAXIMO, 'tamano'), new ProfundidadPaginaMaxima(pagina, tamano));
  const { elementos, total } = await vista.listar({ ...(estados ? { estados } : {}), pagina, tamano });
  return exito({ elementos, pagina, tamano, total });
}
