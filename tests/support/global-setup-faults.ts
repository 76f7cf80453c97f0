import { levantarPlataforma } from './global-setup';

/** The fault suite's platform: one replica of each service, supervised; the tests kill its processes. */
export default function globalSetup(): Promise<void> {
  return levantarPlataforma({ nombre: 'faults' });
}
