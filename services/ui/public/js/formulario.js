// The booking form: reading it into AeroAlpes' request shape, client-side hints, and the
// server's 400 reasons shown next to the fields they name.

/** Server field paths are relative to the reserva; the form has one itinerario/odo/segmento. */
const PREFIJO_SEGMENTO = /^itinerarios\[0\]\.odos\[0\]\.segmentos\[0\]\./;

/** `2022-11-22T08:10` (local, from datetime-local) -> `2022-11-22T13:10:00Z` (UTC, no millis). */
export function aUtc(valorLocal) {
  if (!valorLocal) return '';
  const fecha = new Date(valorLocal);
  if (Number.isNaN(fecha.getTime())) return valorLocal;
  return fecha.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A Date -> the `YYYY-MM-DDTHH:MM` local value a datetime-local input takes. */
export function aLocal(fecha) {
  const p = (n) => String(n).padStart(2, '0');
  return `${fecha.getFullYear()}-${p(fecha.getMonth() + 1)}-${p(fecha.getDate())}T${p(fecha.getHours())}:${p(fecha.getMinutes())}`;
}

const campo = (form, nombre) => form.querySelector(`[data-campo="${nombre}"]`);
const valor = (form, nombre) => (campo(form, nombre)?.value ?? '').trim();

function leerLeg(form, i) {
  const aeropuerto = (lado) => ({ codigo: valor(form, `legs[${i}].${lado}.codigo`).toUpperCase(), nombre: valor(form, `legs[${i}].${lado}.nombre`) });
  return {
    fecha_salida: aUtc(valor(form, `legs[${i}].fecha_salida`)),
    fecha_llegada: aUtc(valor(form, `legs[${i}].fecha_llegada`)),
    origen: aeropuerto('origen'),
    destino: aeropuerto('destino'),
  };
}

/** The request body of POST /api/reservas (AeroAlpes' reserva without id). */
export function leerSolicitud(form, conSegundoTramo) {
  const legs = [leerLeg(form, 0)];
  if (conSegundoTramo) legs.push(leerLeg(form, 1));
  const solicitud = { itinerarios: [{ odos: [{ segmentos: [{ legs }] }] }] };
  const cliente = valor(form, 'id_cliente');
  if (cliente) solicitud.id_cliente = cliente.toLowerCase();
  return solicitud;
}

/** The input a server path names: exact, else the first input under it (e.g. `legs[0].origen`). */
export function inputDeCampo(form, ruta) {
  const relativa = String(ruta).replace(PREFIJO_SEGMENTO, '');
  const exacto = campo(form, relativa);
  if (exacto && !exacto.disabled) return exacto;
  for (const input of form.querySelectorAll('[data-campo]')) {
    if (!input.disabled && input.dataset.campo.startsWith(`${relativa}.`)) return input;
  }
  return undefined;
}

function marcar(input, mensaje) {
  input.classList.add('is-invalid');
  input.setAttribute('aria-invalid', 'true');
  const retro = document.getElementById(`${input.id}-error`);
  if (retro) retro.textContent = retro.textContent ? `${retro.textContent} ${mensaje}` : mensaje;
}

export function limpiarErrores(form) {
  for (const input of form.querySelectorAll('.is-invalid')) {
    input.classList.remove('is-invalid');
    input.removeAttribute('aria-invalid');
  }
  for (const retro of form.querySelectorAll('.invalid-feedback')) retro.textContent = '';
}

/**
 * Shows `errores` ({campo, regla, mensaje}) next to their inputs; returns those that match no
 * input (shown by the caller above the button) and focuses the first marked input.
 */
export function mostrarErrores(form, errores) {
  const sinCampo = [];
  let primero;
  for (const error of errores) {
    const input = inputDeCampo(form, error.campo);
    const mensaje = error.mensaje || error.regla || 'valor no válido';
    if (!input) {
      sinCampo.push(error);
      continue;
    }
    marcar(input, mensaje);
    primero ??= input;
  }
  primero?.focus();
  return sinCampo;
}

function mensajeLocal(input) {
  const v = input.validity;
  if (v.valueMissing) return 'Obligatorio.';
  if (v.patternMismatch && input.classList.contains('codigo')) return 'Use 3 letras mayúsculas (código IATA), p. ej. BOG.';
  if (v.patternMismatch && input.dataset.campo === 'id_cliente') return 'Debe ser un UUID (8-4-4-4-12 hexadecimal) o quedar vacío.';
  if (v.badInput) return 'Fecha u hora incompleta.';
  return input.validationMessage;
}

/** Browser-side hints before sending; true when every enabled input is valid. */
export function validarLocal(form) {
  let primero;
  for (const input of form.querySelectorAll('input[data-campo]')) {
    if (input.disabled || input.checkValidity()) continue;
    marcar(input, mensajeLocal(input));
    primero ??= input;
  }
  primero?.focus();
  return primero === undefined;
}

/** Sample values (BOG -> JFK tomorrow, optional JFK -> LAX) for a quick try. */
export function rellenarEjemplo(form, conSegundoTramo) {
  const manana = new Date(Date.now() + 24 * 3600 * 1000);
  manana.setHours(8, 10, 0, 0);
  const mas = (h) => new Date(manana.getTime() + h * 3600 * 1000);
  const poner = (nombre, v) => {
    const input = campo(form, nombre);
    if (input) input.value = v;
  };
  poner('legs[0].origen.codigo', 'BOG');
  poner('legs[0].origen.nombre', 'El Dorado, Bogotá');
  poner('legs[0].destino.codigo', 'JFK');
  poner('legs[0].destino.nombre', 'John F. Kennedy International Airport');
  poner('legs[0].fecha_salida', aLocal(manana));
  poner('legs[0].fecha_llegada', aLocal(mas(5)));
  if (conSegundoTramo) {
    poner('legs[1].origen.codigo', 'JFK');
    poner('legs[1].origen.nombre', 'John F. Kennedy International Airport');
    poner('legs[1].destino.codigo', 'LAX');
    poner('legs[1].destino.nombre', 'Los Angeles International Airport');
    poner('legs[1].fecha_salida', aLocal(mas(7)));
    poner('legs[1].fecha_llegada', aLocal(mas(13)));
  }
}
