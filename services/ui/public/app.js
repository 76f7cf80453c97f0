// AeroAlpes booking page: the form, the live list and the connection, wired together.
import { api } from './js/api.js';
import { conectar } from './js/conexion.js';
import { leerSolicitud, limpiarErrores, mostrarErrores, rellenarEjemplo, validarLocal } from './js/formulario.js';
import { ETIQUETA_EVENTO, ListaReservas } from './js/reservas.js';

const $ = (id) => document.getElementById(id);
const form = $('form-reserva');
const segundoTramo = $('segundo-tramo');
const tramo2 = $('tramo-1');
const botonReservar = $('reservar');
const mensajeFormulario = $('mensaje-formulario');
const indicador = $('conexion');
const aviso = $('aviso-reservas');
const anuncios = $('anuncios');

/** Polite screen-reader announcement (the visible list changes too). */
function anunciar(texto) {
  const linea = document.createElement('p');
  linea.textContent = texto;
  anuncios.append(linea);
  while (anuncios.childElementCount > 5) anuncios.firstElementChild.remove();
}

function mostrarMensaje(texto, tipo, lista = []) {
  mensajeFormulario.className = `alert alert-${tipo}`;
  mensajeFormulario.replaceChildren(document.createTextNode(texto));
  if (lista.length) {
    const ul = document.createElement('ul');
    ul.className = 'mb-0 mt-2';
    for (const item of lista) {
      const li = document.createElement('li');
      li.textContent = item;
      ul.append(li);
    }
    mensajeFormulario.append(ul);
  }
}

function ocultarMensaje() {
  mensajeFormulario.className = 'alert d-none';
  mensajeFormulario.replaceChildren();
}

// --- the live list -----------------------------------------------------------------------------

const lista = new ListaReservas($('reservas'), {
  alAccion: ejecutarAccion,
  alCambiarVacia: (vacia) => {
    $('sin-reservas').hidden = !vacia;
  },
});

async function ejecutarAccion(id, accion) {
  lista.ponerError(id, '');
  lista.ponerOcupada(id, true);
  try {
    const reserva = await api.accion(id, accion);
    lista.aplicarDoc(reserva);
  } catch (err) {
    const texto = err.status === 409 ? `No se pudo ${accion}: ${err.message}` : `Error al ${accion}: ${err.message}`;
    lista.ponerError(id, texto);
  } finally {
    lista.ponerOcupada(id, false);
  }
}

let refresco;
let intentosDocumento = 0;
/**
 * Reservas known only by their events (booked on another page) get their document (the route)
 * from a later list read; the read model may lag the event a little, so retry with backoff.
 */
function programarRefresco() {
  clearTimeout(refresco);
  // A timer left from earlier does nothing once every reserva has its document: live state comes
  // over the websocket (and a resync after each reconnection), not from polling.
  refresco = setTimeout(
    () => {
      if (lista.esperandoDocumento().length > 0) void resincronizar({ soloDocumentos: true });
    },
    800 * 2 ** Math.min(intentosDocumento, 5),
  );
}

let resincronizando = false;
/** Read the list (read model + event histories) and the histories of reservas not in it. */
async function resincronizar({ soloDocumentos = false } = {}) {
  if (resincronizando) {
    if (lista.esperandoDocumento().length > 0) programarRefresco();
    return;
  }
  resincronizando = true;
  try {
    const pagina = await api.listar(20);
    for (const reserva of pagina.reservas ?? []) {
      // Polling for missing documents fills in only those: live states come over the websocket.
      if (soloDocumentos && lista.tieneDocumento(reserva.id)) continue;
      const { eventos = [], ...doc } = reserva;
      lista.aplicarDoc(doc);
      for (const ev of eventos) lista.aplicarEvento(ev);
    }
    aviso.textContent = pagina.historial_disponible === false ? 'El historial de eventos no está disponible por ahora.' : '';
    const faltantes = lista.sinDocumento().slice(0, 20);
    if (lista.esperandoDocumento().length > 0 && intentosDocumento < 6) {
      intentosDocumento++;
      programarRefresco();
    } else {
      intentosDocumento = 0;
    }
    await Promise.all(
      faltantes.map(async (id) => {
        try {
          const { eventos = [] } = await api.eventos(id);
          for (const ev of eventos) lista.aplicarEvento(ev);
        } catch {
          /* shown again on the next resync */
        }
      }),
    );
  } catch (err) {
    aviso.textContent = `No se pudo leer la lista de reservas: ${err.message}`;
  } finally {
    resincronizando = false;
  }
}

// --- the connection ----------------------------------------------------------------------------

const TEXTO_ESTADO = { conectado: 'Conectado', conectando: 'Conectando…', reconectando: 'Reconectando…' };
let saludos = 0;

conectar({
  alEstado: (estado) => {
    if (indicador.dataset.estado === estado) return;
    indicador.dataset.estado = estado;
    indicador.textContent = TEXTO_ESTADO[estado];
    indicador.title = estado === 'conectado' ? 'Recibiendo eventos en vivo' : 'Sin conexión en vivo; reintentando';
  },
  alMensaje: (mensaje) => {
    if (mensaje.tipo === 'hola') {
      for (const ev of mensaje.eventos ?? []) lista.aplicarEvento(ev);
      // The first 'hola' comes with the page's own first read; later ones follow a reconnection.
      if (saludos++ > 0) void resincronizar();
      if (lista.esperandoDocumento().length) programarRefresco();
    } else if (mensaje.tipo === 'evento') {
      const ev = mensaje.evento;
      if (!lista.aplicarEvento(ev, { resaltar: true })) return;
      const estado = ev.tipo === 'ReservaRechazada' ? `rechazada: ${ev.motivo ?? ''}` : (ETIQUETA_EVENTO[ev.tipo] ?? ev.tipo).toLowerCase();
      anunciar(`${lista.descripcion(ev.id_reserva)} ${estado}`);
      if (!lista.tieneDocumento(ev.id_reserva) && ev.tipo !== 'ReservaRechazada') {
        intentosDocumento = 0;
        programarRefresco();
      }
    }
  },
});

// --- the form ----------------------------------------------------------------------------------

for (const input of form.querySelectorAll('input.codigo')) {
  input.addEventListener('input', () => {
    const inicio = input.selectionStart;
    input.value = input.value.toUpperCase();
    input.setSelectionRange(inicio, inicio);
  });
}

form.addEventListener('input', (e) => {
  const input = e.target;
  if (input.classList?.contains('is-invalid')) {
    input.classList.remove('is-invalid');
    input.removeAttribute('aria-invalid');
    const retro = $(`${input.id}-error`);
    if (retro) retro.textContent = '';
  }
});

segundoTramo.addEventListener('change', () => {
  const activo = segundoTramo.checked;
  tramo2.hidden = !activo;
  tramo2.disabled = !activo;
  segundoTramo.setAttribute('aria-expanded', String(activo));
  if (activo) {
    // The connection leaves from where the first flight lands.
    const origen2 = $('leg1-origen-codigo');
    if (!origen2.value) {
      origen2.value = $('leg0-destino-codigo').value;
      $('leg1-origen-nombre').value = $('leg0-destino-nombre').value;
    }
    $('leg1-destino-codigo').focus();
  }
});

$('ejemplo').addEventListener('click', () => {
  limpiarErrores(form);
  rellenarEjemplo(form, segundoTramo.checked);
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  limpiarErrores(form);
  ocultarMensaje();
  if (!validarLocal(form)) {
    mostrarMensaje('Revise los campos marcados.', 'warning');
    return;
  }
  const solicitud = leerSolicitud(form, segundoTramo.checked);
  botonReservar.disabled = true;
  botonReservar.textContent = 'Enviando…';
  try {
    const aceptada = await api.crearReserva(solicitud);
    lista.agregarLocal(aceptada.id, solicitud);
    mostrarMensaje(`Reserva ${String(aceptada.id).slice(0, 8)} enviada: queda Pendiente y su confirmación llegará en vivo.`, 'success');
    anunciar(`Reserva ${String(aceptada.id).slice(0, 8)} enviada`);
  } catch (err) {
    const errores = Array.isArray(err.cuerpo?.errores) ? err.cuerpo.errores : [];
    if (err.status === 400 && errores.length) {
      const sinCampo = mostrarErrores(form, errores);
      mostrarMensaje(
        'AeroAlpes rechazó la reserva: revise los campos marcados.',
        'danger',
        sinCampo.map((x) => `${x.campo}: ${x.mensaje || x.regla}`),
      );
      if (sinCampo.length === errores.length) mensajeFormulario.focus();
    } else {
      mostrarMensaje(`No se pudo reservar: ${err.message}`, 'danger');
      mensajeFormulario.focus();
    }
  } finally {
    botonReservar.disabled = false;
    botonReservar.textContent = 'Reservar';
  }
});

void resincronizar();
