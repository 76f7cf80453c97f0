export * from './cache';
export * from './processes';
export * from './provision';
export * from './stack';
export * from './versions';
