export * from './cache';
export * from './postgres';
export * from './processes';
export * from './provision';
export * from './stack';
export * from './versions';
export * from './replicas';
export * from './supervisor';
