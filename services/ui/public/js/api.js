// The BFF's HTTP API, relative to the page (works under an Ingress path prefix too).

/** Thrown for any non-2xx answer: carries the status and the JSON body ({error, mensaje, errores}). */
export class ErrorApi extends Error {
  constructor(status, cuerpo) {
    super((cuerpo && typeof cuerpo.mensaje === 'string' && cuerpo.mensaje) || `error ${status}`);
    this.status = status;
    this.cuerpo = cuerpo || {};
  }
}

async function pedir(metodo, ruta, cuerpo) {
  let respuesta;
  try {
    respuesta = await fetch(ruta, {
      method: metodo,
      headers: cuerpo === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: cuerpo === undefined ? undefined : JSON.stringify(cuerpo),
      cache: 'no-store',
    });
  } catch {
    throw new ErrorApi(0, { error: 'red', mensaje: 'No se pudo contactar al servidor. Revise su conexión.' });
  }
  let json;
  try {
    json = await respuesta.json();
  } catch {
    json = {};
  }
  if (!respuesta.ok) throw new ErrorApi(respuesta.status, json);
  return json;
}

export const api = {
  crearReserva: (solicitud) => pedir('POST', 'api/reservas', solicitud),
  // An empty JSON body: state-changing requests declare application/json (no cross-site form can).
  accion: (id, accion) => pedir('POST', `api/reservas/${encodeURIComponent(id)}/${accion}`, {}),
  listar: (tamano = 20) => pedir('GET', `api/reservas?pagina=1&tamano=${tamano}`),
  eventos: (id) => pedir('GET', `api/reservas/${encodeURIComponent(id)}/eventos`),
};
