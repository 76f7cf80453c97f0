export * from './config';
export * from './estado';
export * from './estado-memoria';
export * from './log';
export * from './servidor';
export * from './suscripciones';
