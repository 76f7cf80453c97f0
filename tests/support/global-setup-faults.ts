import { levantarPlataforma } from './global-setup';

/**
 * The fault suite's platform: one replica of each service, supervised; the tests kill its
 * processes. The services log every command and event (info), so a failure can be traced in the
 * logs kept in test-results/logs/faults/.
 */
export default function globalSetup(): Promise<void> {
  return levantarPlataforma({ nombre: 'faults', nivelLog: 'info' });
}
