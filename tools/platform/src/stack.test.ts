/** Stack.watch at platform start, against real child processes (sh). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManagedProcess } from './processes';
import { localPortPlan, Stack } from './stack';

let dir: string;
let stack: Stack;
let lineas: string[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-'));
  lineas = [];
  stack = new Stack({ runDir: dir, ports: localPortPlan(), mongoDb: 'x_test', log: (l) => lineas.push(l) }, 'mongodb://x', 'http://x', 'x:1');
});
afterEach(async () => {
  await stack.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A process that exits with 1 on its first `fallos` starts, then gets ready (writes `listo`) and stays up. */
function arrancar(fallos: number): ManagedProcess {
  const script = `n=$(cat intentos 2>/dev/null || echo 0); n=$((n+1)); echo $n > intentos; if [ $n -le ${fallos} ]; then echo "fallo $n"; exit 1; fi; touch listo; exec sleep 60`;
  const p = ManagedProcess.start('sidecar', 'sh', ['-c', script], { logDir: dir, cwd: dir, stopGraceMs: 1000 });
  stack.processes.push(p);
  return p;
}
const listo = async () => fs.existsSync(path.join(dir, 'listo'));

test('a process that exits before it is ready is started again, and the start goes on', async () => {
  await stack.watch(arrancar(2), 'ready', listo, 10_000);
  expect(fs.readFileSync(path.join(dir, 'intentos'), 'utf8').trim()).toBe('3');
  expect(stack.process('sidecar')!.running).toBe(true);
  expect(lineas.filter((l) => l.startsWith('sidecar exited before ready'))).toHaveLength(2);
  expect(lineas[0]).toContain('fallo 1');
});

test('one that keeps exiting fails the start after three starts, quoting its log', async () => {
  await expect(stack.watch(arrancar(5), 'ready', listo, 10_000)).rejects.toThrow(/sidecar exited before ready; last log lines .*\n(.|\n)*fallo 3/);
  expect(fs.readFileSync(path.join(dir, 'intentos'), 'utf8').trim()).toBe('3');
});
