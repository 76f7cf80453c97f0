import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Root of the repository (tools/platform/{src,dist}/ -> ../../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Where provisioned binaries, jars and their build caches live: outside the repository, shared by
 * every clone on the machine. Override with AEROALPES_CACHE.
 */
export function cacheDir(): string {
  return process.env.AEROALPES_CACHE ?? path.join(os.homedir(), '.cache', 'aeroalpes');
}

export function progress(step: string, message: string): void {
  process.stdout.write(`[setup] ${step}: ${message}\n`);
}

/** A provisioning step failed: names the step and the command that retries it. */
export class ProvisioningError extends Error {
  constructor(
    readonly step: string,
    detail: string,
    readonly retry = 'npm run setup',
  ) {
    super(`${step} failed: ${detail}\n  retry with: ${retry}`);
  }
}

/**
 * Installs one artifact atomically. `build` writes into a fresh staging folder; only when it
 * returns is the staging folder renamed to `target` and a marker written. A half-finished build
 * (killed, failed, out of disk) leaves only the staging folder, which the next run deletes: a
 * target without its marker is never trusted.
 */
export async function installOnce(step: string, target: string, build: (staging: string) => Promise<void>): Promise<string> {
  const marker = path.join(target, '.complete');
  if (fs.existsSync(marker)) {
    progress(step, `cached in ${target}`);
    return target;
  }
  const staging = `${target}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const started = Date.now();
  await build(staging);
  fs.writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
  fs.renameSync(staging, target);
  progress(step, `installed in ${target} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return target;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Print a heartbeat with the last output line every this many ms (long builds). */
  heartbeatMs?: number;
  /** Where the full output goes; the last lines are quoted on failure. */
  logFile: string;
  /** The command that retries this step, named on failure (default `npm run setup`). */
  retry?: string;
}

/** Runs a build command to completion, logging to a file, throwing ProvisioningError on failure. */
export function runStep(step: string, command: string, args: string[], options: RunOptions): Promise<void> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile);
  progress(step, `${command} ${args.join(' ')} (log: ${options.logFile})`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail: string[] = [];
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      tail = tail
        .concat(
          chunk
            .toString()
            .split('\n')
            .filter((l) => l.trim() !== ''),
        )
        .slice(-20);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const started = Date.now();
    const timer = options.heartbeatMs
      ? setInterval(() => {
          const secs = ((Date.now() - started) / 1000).toFixed(0);
          progress(step, `still running after ${secs} s; last output: ${tail.at(-1)?.slice(0, 160) ?? '(none)'}`);
        }, options.heartbeatMs)
      : undefined;
    const finish = (err?: Error) => {
      if (timer) clearInterval(timer);
      log.end();
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (err) => finish(new ProvisioningError(step, `cannot run ${command}: ${err.message}`, options.retry)));
    child.on('close', (code, signal) => {
      if (code === 0) return finish();
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      finish(new ProvisioningError(step, `${command} ${why}; last output:\n    ${tail.slice(-10).join('\n    ')}\n  full log: ${options.logFile}`, options.retry));
    });
  });
}
