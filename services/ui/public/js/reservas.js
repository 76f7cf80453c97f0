// The live list of reservas: what the page knows of each (the read model's document, the events
// received, what this page booked) and its card. Events are applied once per message id; the
// state shown is that of the newest aggregate version, whichever source brought it.

export const ETIQUETA_EVENTO = {
  ReservaCreada: 'Creada',
  ReservaAprobada: 'Aprobada',
  ReservaCancelada: 'Cancelada',
  ReservaPagada: 'Pagada',
  ReservaRechazada: 'Rechazada',
};

/** A tab left open under load would otherwise keep every reserva it ever heard of. */
export const MAXIMO_TARJETAS = 60;

const ETIQUETA_ACCION = { aprobar: 'Aprobar', cancelar: 'Cancelar', pagar: 'Pagar' };
const CLASE_ACCION = { aprobar: 'btn-primary', cancelar: 'btn-outline-danger', pagar: 'btn-success' };

const corto = (id) => String(id).slice(0, 8);
const formatoFecha = new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeStyle: 'short' });
const formatoHora = new Intl.DateTimeFormat('es', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function legsDe(doc) {
  return doc?.itinerarios?.[0]?.odos?.[0]?.segmentos?.[0]?.legs ?? [];
}

/** `['BOG', 'JFK', 'LAX']` from the legs of the first segmento. */
function rutaDe(legs) {
  if (!Array.isArray(legs) || legs.length === 0) return [];
  return [legs[0].origen?.codigo, ...legs.map((l) => l.destino?.codigo)].filter(Boolean);
}

/**
 * Current state of a reserva from its document and events: the highest (version, time) wins, and
 * with it the actions that state allows (`acciones`, which the BFF serves with every reserva and
 * event: the page keeps no table of transitions). An event stored before events carried them
 * borrows the document's when both tell the same state.
 */
export function estadoActual(reserva) {
  let estado = 'Pendiente';
  let acciones;
  let version = -1;
  let instante = '';
  let rechazo;
  if (reserva.doc) {
    estado = reserva.doc.estado;
    acciones = reserva.doc.acciones;
    version = Number(reserva.doc.version ?? 0);
    instante = reserva.doc.fecha_actualizacion ?? '';
  }
  for (const ev of reserva.eventos.values()) {
    if (ev.tipo === 'ReservaRechazada') {
      rechazo = ev;
      continue;
    }
    const v = Number(ev.version ?? 0);
    if (v > version || (v === version && ev.time > instante)) {
      estado = ev.estado;
      acciones = ev.acciones ?? (ev.estado === reserva.doc?.estado ? reserva.doc.acciones : undefined);
      version = v;
      instante = ev.time;
    }
  }
  const confirmada = Boolean(reserva.doc) || [...reserva.eventos.values()].some((e) => e.tipo !== 'ReservaRechazada');
  if (rechazo && !confirmada) return { estado: 'Rechazada', motivo: rechazo.motivo, acciones: [], confirmada: false };
  return { estado, acciones: Array.isArray(acciones) ? acciones : [], confirmada };
}

function creadaEn(reserva) {
  if (reserva.doc?.fecha_creacion) return reserva.doc.fecha_creacion;
  let primero = '';
  for (const ev of reserva.eventos.values()) if (!primero || ev.time < primero) primero = ev.time;
  return primero || reserva.local?.enviada || '';
}

function el(etiqueta, atributos = {}, ...hijos) {
  const nodo = document.createElement(etiqueta);
  for (const [k, v] of Object.entries(atributos)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'clase') nodo.className = v;
    else if (k === 'texto') nodo.textContent = v;
    else nodo.setAttribute(k, v === true ? '' : String(v));
  }
  for (const h of hijos) if (h) nodo.append(h);
  return nodo;
}

export class ListaReservas {
  /**
   * @param contenedor the <ul>
   * @param opciones.alAccion(id, accion) called when a transition button is pressed
   * @param opciones.alCambiarVacia(vacia)
   */
  constructor(contenedor, { alAccion, alCambiarVacia }) {
    this.contenedor = contenedor;
    this.alAccion = alAccion;
    this.alCambiarVacia = alCambiarVacia;
    /** id -> {id, doc, eventos: Map(id_mensaje -> evento), local, error, ocupada, nodo} */
    this.reservas = new Map();
    contenedor.addEventListener('click', (e) => {
      const boton = e.target.closest('button[data-accion]');
      if (!boton || boton.disabled) return;
      const tarjeta = boton.closest('[data-id]');
      this.alAccion(tarjeta.dataset.id, boton.dataset.accion);
    });
  }

  obtener(id) {
    let r = this.reservas.get(id);
    if (!r) {
      r = { id, doc: undefined, eventos: new Map(), local: undefined, error: '', ocupada: false, nodo: undefined };
      this.reservas.set(id, r);
    }
    return r;
  }

  /** Applies one event; false when its message id was already applied. */
  aplicarEvento(evento, { resaltar = false } = {}) {
    if (!evento || typeof evento.id_reserva !== 'string' || typeof evento.id_mensaje !== 'string') return false;
    const r = this.obtener(evento.id_reserva);
    if (r.eventos.has(evento.id_mensaje)) return false;
    r.eventos.set(evento.id_mensaje, evento);
    this.pintar(r, resaltar);
    return true;
  }

  /** A reserva document (read model, or an action's answer); an older version never wins. */
  aplicarDoc(doc) {
    if (!doc || typeof doc.id !== 'string') return;
    const r = this.obtener(doc.id);
    if (r.doc && Number(r.doc.version ?? 0) > Number(doc.version ?? 0)) return;
    r.doc = doc;
    this.pintar(r, false);
  }

  /** What this page just booked: shown at once as Pendiente, confirmed when ReservaCreada arrives. */
  agregarLocal(id, solicitud) {
    const r = this.obtener(id);
    r.local = { legs: legsDe(solicitud), enviada: new Date().toISOString() };
    this.pintar(r, true);
  }

  ponerError(id, mensaje) {
    const r = this.obtener(id);
    r.error = mensaje;
    this.pintar(r, false);
  }

  ponerOcupada(id, ocupada) {
    const r = this.obtener(id);
    r.ocupada = ocupada;
    this.pintar(r, false);
  }

  /** Reservas with no document yet (only events or a local booking). */
  sinDocumento() {
    return [...this.reservas.values()].filter((r) => !r.doc).map((r) => r.id);
  }

  /** Reservas that exist (or will) but whose document the page has not read yet. */
  esperandoDocumento() {
    return [...this.reservas.values()].filter((r) => !r.doc && estadoActual(r).estado !== 'Rechazada').map((r) => r.id);
  }

  tieneDocumento(id) {
    return Boolean(this.reservas.get(id)?.doc);
  }

  descripcion(id) {
    const r = this.reservas.get(id);
    const ruta = rutaDe(legsDe(r?.doc).length ? legsDe(r.doc) : r?.local?.legs);
    return `Reserva ${corto(id)}${ruta.length ? ` (${ruta.join(' → ')})` : ''}`;
  }

  pintar(r, resaltar) {
    const { estado, motivo, acciones: permitidas, confirmada } = estadoActual(r);
    const legs = legsDe(r.doc).length ? legsDe(r.doc) : (r.local?.legs ?? []);
    const ruta = rutaDe(legs);
    const idTitulo = `reserva-${r.id}-titulo`;

    const titulo = el('h3', { clase: 'ruta h5 mb-1', id: idTitulo, tabindex: '-1' });
    if (ruta.length) {
      ruta.forEach((codigo, i) => {
        if (i > 0) titulo.append(el('span', { clase: 'flecha', 'aria-hidden': 'true', texto: '→' }), el('span', { clase: 'visually-hidden', texto: ' a ' }));
        titulo.append(el('span', { texto: codigo }));
      });
    } else {
      titulo.append('Reserva ', el('code', { clase: 'text-reset', title: r.id, texto: corto(r.id) }));
    }

    const detalles = el('div', { clase: 'small text-body-secondary' });
    if (ruta.length) detalles.append('Reserva ', el('code', { title: r.id, texto: corto(r.id) }));
    else detalles.append('Ruta aún no disponible');
    if (legs[0]?.fecha_salida) {
      const salida = new Date(legs[0].fecha_salida);
      if (!Number.isNaN(salida.getTime())) detalles.append(` · sale ${formatoFecha.format(salida)}`);
    }

    const insignia = el('span', { clase: `badge estado estado-${estado}`, 'data-estado': estado, texto: estado });
    const cabecera = el('div', { clase: 'd-flex justify-content-between align-items-start gap-2' }, el('div', {}, titulo, detalles), insignia);

    const cuerpo = el('div', { clase: 'card-body' }, cabecera);
    if (!confirmada && estado !== 'Rechazada') {
      cuerpo.append(el('p', { clase: 'small text-body-secondary mb-0 mt-1 confirmacion', texto: 'Comando aceptado; esperando la confirmación (ReservaCreada)…' }));
    }
    if (estado === 'Rechazada') {
      cuerpo.append(el('p', { clase: 'small text-danger mb-0 mt-1 motivo', texto: `Motivo: ${motivo || 'sin motivo informado'}` }));
    }

    const eventos = [...r.eventos.values()].sort((a, b) => a.time.localeCompare(b.time) || Number(a.version) - Number(b.version));
    if (eventos.length) {
      const lista = el('ol', { clase: 'eventos', 'aria-label': 'Historial de eventos' });
      for (const ev of eventos) {
        const instante = new Date(ev.time);
        lista.append(
          el(
            'li',
            { 'data-tipo': ev.tipo, 'data-id-mensaje': ev.id_mensaje },
            el('span', { texto: `${ETIQUETA_EVENTO[ev.tipo] ?? ev.tipo} ` }),
            el('time', { datetime: ev.time, texto: Number.isNaN(instante.getTime()) ? '' : formatoHora.format(instante) }),
          ),
        );
      }
      cuerpo.append(lista);
    }

    // Only actions this page knows how to show (a newer BFF may offer more).
    const acciones = confirmada ? permitidas.filter((a) => Object.hasOwn(ETIQUETA_ACCION, a)) : [];
    if (acciones.length) {
      const grupo = el('div', { clase: 'acciones mt-3 d-flex flex-wrap gap-2', role: 'group', 'aria-label': 'Acciones' });
      for (const accion of acciones) {
        grupo.append(
          el('button', {
            type: 'button',
            clase: `btn btn-sm ${CLASE_ACCION[accion]}`,
            'data-accion': accion,
            'aria-describedby': idTitulo,
            disabled: r.ocupada,
            texto: ETIQUETA_ACCION[accion],
          }),
        );
      }
      cuerpo.append(grupo);
    }
    if (r.error) cuerpo.append(el('p', { clase: 'small text-danger mt-2 mb-0 error-reserva', role: 'alert', texto: r.error }));

    // Keep keyboard focus across the re-render: same button if it still exists, else the title.
    const enfocado = r.nodo?.contains(document.activeElement) ? document.activeElement : undefined;
    const accionEnfocada = enfocado?.dataset?.accion;

    const nodo = r.nodo ?? el('li', { clase: 'card reserva shadow-sm', 'data-id': r.id, 'aria-labelledby': idTitulo });
    nodo.dataset.estado = estado;
    nodo.dataset.confirmada = String(confirmada);
    nodo.replaceChildren(cuerpo);
    r.nodo = nodo;
    if (enfocado) {
      const destino = (accionEnfocada && nodo.querySelector(`button[data-accion="${accionEnfocada}"]:not([disabled])`)) || titulo;
      destino.focus();
    }
    if (resaltar) {
      nodo.classList.remove('resaltada');
      void nodo.offsetWidth; // restart the animation
      nodo.classList.add('resaltada');
    }
    this.ordenar();
  }

  /** Newest first; DOM nodes move only when the order changed (moving would drop focus). */
  ordenar() {
    let orden = [...this.reservas.values()].sort((a, b) => creadaEn(b).localeCompare(creadaEn(a)) || a.id.localeCompare(b.id));
    if (orden.length > MAXIMO_TARJETAS) {
      const sobran = orden.slice(MAXIMO_TARJETAS).filter((r) => !r.ocupada && !r.nodo?.contains(document.activeElement));
      for (const r of sobran) this.reservas.delete(r.id);
      orden = orden.filter((r) => this.reservas.has(r.id));
    }
    const actuales = [...this.contenedor.children];
    const cambiado = orden.length !== actuales.length || orden.some((r, i) => actuales[i] !== r.nodo);
    if (cambiado) {
      const enfocado = document.activeElement;
      this.contenedor.replaceChildren(...orden.map((r) => r.nodo));
      if (enfocado && this.contenedor.contains(enfocado)) enfocado.focus();
    }
    this.alCambiarVacia(orden.length === 0);
  }
}
