import { levantarPlataforma } from './global-setup';

/** The scale-out platform: two replicas of every service, each with its own daprd. */
export default function globalSetup(): Promise<void> {
  return levantarPlataforma({ nombre: 'replicas', replicas: { aeroalpes: 2, notificaciones: 2, ui: 2 } });
}
