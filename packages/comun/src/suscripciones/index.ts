export * from './cloud-event';
export * from './contratos';
export * from './definicion-grpc';
export * from './grpc';
export * from './http';
export * from './suscripcion';
