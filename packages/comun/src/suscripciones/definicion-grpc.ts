import type * as grpc from '@grpc/grpc-js';
import { fromBinary, toBinary, type DescService } from '@bufbuild/protobuf';

/**
 * A @grpc/grpc-js service definition built from a protobuf-es service descriptor. @dapr/dapr 3.18
 * ships protobuf-es v2 messages (`*_pb.js`) beside grpc-js stubs (`*_grpc_pb.js`) that still
 * expect google-protobuf classes (`InvokeRequest.deserializeBinary` does not exist there), so the
 * stubs cannot serve; the descriptors can.
 */
export function definicionGrpc(servicio: DescService): grpc.ServiceDefinition {
  const definicion: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const metodo of servicio.methods) {
    if (metodo.methodKind !== 'unary') continue;
    definicion[metodo.localName] = {
      path: `/${servicio.typeName}/${metodo.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (m) => Buffer.from(toBinary(metodo.input, m as never)),
      requestDeserialize: (b: Buffer) => fromBinary(metodo.input, b),
      responseSerialize: (m) => Buffer.from(toBinary(metodo.output, m as never)),
      responseDeserialize: (b: Buffer) => fromBinary(metodo.output, b),
    };
  }
  return definicion;
}

/** A service to add to a grpc-js server: its definition and its implementation. */
export interface ServicioGrpc {
  definicion: grpc.ServiceDefinition;
  implementacion: grpc.UntypedServiceImplementation;
}
