// Every external piece the project provisions, pinned in one place. Bump a version here and the
// provisioning builds it into a new cache folder beside the old one (nothing is overwritten).

/** Dapr runtime (daprd), built from the Dapr Go modules by tools/daprd (see its go.mod). */
export const DAPR_VERSION = '1.18.2';
/**
 * Apache Pulsar standalone, resolved from Maven Central by tools/pulsar/pom.xml. 4.0.7, not 4.0.8:
 * Maven Central lacks two of 4.0.8's own modules (jetcd-core-shaded, pulsar-opentelemetry).
 */
export const PULSAR_VERSION = '4.0.7';
/** FerretDB (MongoDB wire protocol), built from the Go module proxy by tools/ferretdb; PostgreSQL backend. */
export const FERRETDB_VERSION = '1.24.2';
/** PostgreSQL under FerretDB and the Dapr state stores: Debian's package of this major version (bookworm ships 15). */
export const POSTGRES_MAJOR = '15';
/** Helm v3, built from the Go module proxy by tools/helm. */
export const HELM_VERSION = '3.22.0';
/** Kubernetes version that charts are rendered and validated for. */
export const KUBE_VERSION = '1.34.0';
/**
 * kubernetes-validate (PyPI), which bundles the Kubernetes JSON schemas; installed into a virtualenv
 * in the cache from tools/k8s-validate/requirements.txt (same version pinned there).
 */
export const KUBERNETES_VALIDATE_VERSION = '1.37.0';
/**
 * The Dapr CLI (`dapr run -f`, dapr.yaml): the newest CLI of the runtime's 1.18 line (CLI and
 * runtime are versioned apart; 1.18.0 runs daprd 1.18.x), `go install`ed from the Go module proxy.
 * Not part of `npm run setup`: see ensureDaprCli.
 */
export const DAPR_CLI_VERSION = '1.18.0';
