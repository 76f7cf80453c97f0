/**
 * Offline Kubernetes validation tools (issue 7): where the chart tests find Helm, the Kubernetes
 * JSON schemas (kubernetes-validate, from PyPI) and the Dapr CRD schemas (inside the Dapr Go
 * module that the daprd build downloads), and how `npm run setup` provisions them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir, installOnce, progress, ProvisioningError, REPO_ROOT, runStep } from './cache';
import { DAPR_VERSION, HELM_VERSION, KUBERNETES_VALIDATE_VERSION } from './versions';

/** Helm: HELM_BIN, else the provisioned build in the cache. */
export function helmBinary(): string {
  return process.env.HELM_BIN ?? path.join(cacheDir(), `helm-${HELM_VERSION}`, 'helm');
}

/** The virtualenv holding kubernetes-validate and its bundled Kubernetes schemas. */
export function kubernetesValidateHome(): string {
  return path.join(cacheDir(), `kubernetes-validate-${KUBERNETES_VALIDATE_VERSION}`);
}

/**
 * Command that runs kubernetes-validate: KUBERNETES_VALIDATE_BIN (an installed CLI), else the
 * cached virtualenv's interpreter with `-m kubernetes_validate` (relocatable, unlike the venv's
 * console-script shebangs).
 */
export function kubernetesValidateCommand(): { command: string; args: string[] } {
  if (process.env.KUBERNETES_VALIDATE_BIN) return { command: process.env.KUBERNETES_VALIDATE_BIN, args: [] };
  return { command: path.join(kubernetesValidateHome(), 'bin', 'python'), args: ['-m', 'kubernetes_validate'] };
}

function goModCache(): string {
  if (process.env.GOMODCACHE) return process.env.GOMODCACHE;
  try {
    const fromGo = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8', timeout: 20_000 }).trim();
    if (fromGo) return fromGo;
  } catch {
    // go missing: fall back to its default location.
  }
  return path.join(process.env.GOPATH ?? path.join(os.homedir(), 'go'), 'pkg', 'mod');
}

/** Dapr's CRDs (charts/dapr/crds/*.yaml) of the pinned Dapr version: DAPR_CRDS_DIR, else the Go module cache. */
export function daprCrdDir(): string {
  return process.env.DAPR_CRDS_DIR ?? path.join(goModCache(), 'github.com', 'dapr', `dapr@v${DAPR_VERSION}`, 'charts', 'dapr', 'crds');
}

/** Retry hint printed by the tests when a tool is missing. */
export const K8S_TOOLS_HINT = 'npm run setup (provisions Helm, kubernetes-validate and the Dapr CRDs)';

async function ensureKubernetesValidate(): Promise<string> {
  const step = `kubernetes-validate ${KUBERNETES_VALIDATE_VERSION}`;
  if (process.env.KUBERNETES_VALIDATE_BIN) return process.env.KUBERNETES_VALIDATE_BIN;
  const logFile = path.join(cacheDir(), 'logs', 'kubernetes-validate-install.log');
  const requirements = path.join(REPO_ROOT, 'tools', 'k8s-validate', 'requirements.txt');
  const pinned = fs.readFileSync(requirements, 'utf8').match(/^kubernetes-validate==(\S+)/m)?.[1];
  if (pinned !== KUBERNETES_VALIDATE_VERSION) {
    throw new ProvisioningError(step, `${requirements} pins kubernetes-validate ${pinned}, versions.ts says ${KUBERNETES_VALIDATE_VERSION}`);
  }
  const home = await installOnce(step, kubernetesValidateHome(), async (staging) => {
    await runStep(step, 'python3', ['-m', 'venv', staging], { logFile });
    await runStep(step, path.join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--no-input', '--disable-pip-version-check', '-r', requirements], {
      logFile,
      heartbeatMs: 30_000,
    });
  });
  return path.join(home, 'bin', 'python');
}

/** Downloads the Dapr Go module (for its CRDs) when the daprd build has not already done so. */
async function ensureDaprCrds(): Promise<string> {
  const step = `dapr ${DAPR_VERSION} CRDs`;
  const dir = daprCrdDir();
  if (fs.existsSync(path.join(dir, 'components.yaml'))) {
    progress(step, `found in ${dir}`);
    return dir;
  }
  // Outside any module: downloads exactly that version (checksum-verified) and touches no go.sum.
  await runStep(step, 'go', ['mod', 'download', `github.com/dapr/dapr@v${DAPR_VERSION}`], {
    cwd: os.tmpdir(),
    env: { ...process.env, GOFLAGS: '', GO111MODULE: 'on' },
    logFile: path.join(cacheDir(), 'logs', 'dapr-crds-download.log'),
    heartbeatMs: 30_000,
  });
  if (!fs.existsSync(path.join(dir, 'components.yaml'))) {
    throw new ProvisioningError(step, `the Dapr module was downloaded but ${dir}/components.yaml is missing`);
  }
  return dir;
}

/** What tests/k8s needs besides Helm (ensureHelm in provision.ts). */
export async function ensureK8sValidation(): Promise<void> {
  await ensureKubernetesValidate();
  await ensureDaprCrds();
}
