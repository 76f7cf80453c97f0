import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * One long-running child (Pulsar, FerretDB, a daprd, a service). Started through `setpriv
 * --pdeathsig KILL` where available, so the kernel kills it if the launcher itself dies (even by
 * SIGKILL); stopped with SIGTERM, then SIGKILL after a grace period.
 */
interface Spec {
  command: string;
  args: string[];
  options: StartOptions;
}

interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logDir: string;
  stopGraceMs?: number;
  /** What `stop()` sends first (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
}

export class ManagedProcess {
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
    private readonly stopGraceMs: number,
    private readonly spec: Spec,
  ) {
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        resolve(this.exitCode);
      });
      child.on('error', () => {
        this.exitCode = -1;
        resolve(-1);
      });
    });
  }

  static start(name: string, command: string, args: string[], options: StartOptions): ManagedProcess {
    fs.mkdirSync(options.logDir, { recursive: true });
    const logFile = path.join(options.logDir, `${name}.log`);
    const out = fs.openSync(logFile, 'a');
    const [cmd, argv] = PDEATHSIG ? ['setpriv', ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
    const child = spawn(cmd, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    return new ManagedProcess(name, child, logFile, options.stopGraceMs ?? 10_000, { command, args, options });
  }

  /** A new process started exactly as this one was (its log continues in the same file). */
  startAgain(): ManagedProcess {
    return ManagedProcess.start(this.name, this.spec.command, this.spec.args, this.spec.options);
  }

  /** Ends it at once (SIGKILL): a crash, for the tests that need one. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Resolves with the exit code when the process ends. */
  wait(): Promise<number | null> {
    return this.exited;
  }

  async stop(graceMs = this.stopGraceMs): Promise<void> {
    if (!this.running) return;
    this.child.kill(this.spec.options.stopSignal ?? 'SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** The last lines of its log, to quote when it fails. */
  tail(lines = 15): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

const PDEATHSIG = (() => {
  if (process.platform !== 'linux') return false;
  return ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => fs.existsSync(p));
})();

/** True when something already listens on 127.0.0.1:port. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export class StartupError extends Error {}

/**
 * Polls `probe` until it returns true. Fails early, quoting the log, when the process exits; fails
 * after `timeoutMs` otherwise.
 */
export async function waitUntil(proc: ManagedProcess, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.running) {
      throw new StartupError(`${proc.name} exited before ${what}; last log lines (${proc.logFile}):\n${proc.tail()}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new StartupError(`${proc.name}: ${what} not reached after ${timeoutMs / 1000} s; last log lines (${proc.logFile}):\n${proc.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function httpOk(url: string, accept: (status: number) => boolean = (s) => s >= 200 && s < 300): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return accept(res.status);
}
