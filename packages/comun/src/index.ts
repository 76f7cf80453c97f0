export * from './config';
export * from './estado';
export * from './estado-memoria';
export * from './lista-acotada';
export * from './log';
export * from './registro-por-version';
export * from './origen';
export * from './salud';
export * from './servidor';
export * from './tokens';
export * from './suscripciones/index'; // explicit: a stale dist/suscripciones.js (the old single file) would shadow the folder
