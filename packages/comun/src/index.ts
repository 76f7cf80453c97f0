export * from './config';
export * from './estado';
export * from './log';
export * from './servidor';
export * from './suscripciones';
