export * from './config';
export * from './estado';
export * from './estado-memoria';
export * from './log';
export * from './registro-por-version';
export * from './servidor';
export * from './suscripciones';
