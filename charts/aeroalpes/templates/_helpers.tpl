{{/* Names, labels and small helpers shared by the templates. */}}

{{- define "aeroalpes.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aeroalpes.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "aeroalpes.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The three services, in a fixed order. Their names are also their Dapr app ids. */}}
{{- define "aeroalpes.serviceNames" -}}
aeroalpes notificaciones ui
{{- end -}}

{{- define "aeroalpes.labels" -}}
helm.sh/chart: {{ include "aeroalpes.chart" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aeroalpes
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of one service's objects; call with (dict "root" $ "svc" "aeroalpes"). */}}
{{- define "aeroalpes.svcLabels" -}}
{{ include "aeroalpes.labels" .root }}
{{ include "aeroalpes.selectorLabels" . }}
{{- end -}}

{{- define "aeroalpes.selectorLabels" -}}
{{ include "aeroalpes.releaseSelectorLabels" .root }}
app.kubernetes.io/component: {{ .svc }}
{{- end -}}

{{/* Labels every pod of the release carries, whatever its service; call with the root context. */}}
{{- define "aeroalpes.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "aeroalpes.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Name of one service's Deployment, Service, ServiceAccount, PDB and HPA. */}}
{{- define "aeroalpes.svcFullname" -}}
{{- printf "%s-%s" (include "aeroalpes.fullname" .root) .svc | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of the chart's Dapr resources. */}}
{{- define "aeroalpes.daprLabels" -}}
{{ include "aeroalpes.labels" . }}
app.kubernetes.io/name: {{ include "aeroalpes.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: dapr
{{- end -}}

{{/*
Image reference of one service: [registry/]repository then @digest if set, else :tag (default:
the chart's appVersion). "latest" is refused by values.schema.json and here.
*/}}
{{- define "aeroalpes.image" -}}
{{- $v := index .root.Values.services .svc -}}
{{- $repo := $v.image.repository -}}
{{- with .root.Values.image.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" .) $repo }}{{ end -}}
{{- if $v.image.digest -}}
{{- printf "%s@%s" $repo $v.image.digest -}}
{{- else -}}
{{- $tag := default .root.Chart.AppVersion $v.image.tag -}}
{{- if eq $tag "latest" -}}{{- fail (printf "services.%s.image.tag: 'latest' is not allowed; pin a version or a digest" .svc) -}}{{- end -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end -}}

{{/* The Pulsar host, required: rendering fails with a message naming the value. */}}
{{- define "aeroalpes.pulsarHost" -}}
{{- required "dapr.pubsub.pulsar.host is required: the Pulsar broker service URL, e.g. pulsar://pulsar-broker.pulsar.svc.cluster.local:6650" .Values.dapr.pubsub.pulsar.host -}}
{{- end -}}

{{/*
The `<topic>.avroschema` metadata of a Pulsar component: the chart's copies of the contracts
(files/avro/v1/<topic>.avsc); call with (dict "root" $ "topics" (list "eventos-reserva" …)).
Fails naming the file when a topic has none.
*/}}
{{- define "aeroalpes.avroSchemas" -}}
{{- range $topic := .topics }}
{{- $file := printf "files/avro/v1/%s.avsc" $topic }}
{{- $schema := $.root.Files.Get $file | trim }}
{{- if not $schema }}
{{- fail (printf "no Avro schema for topic %s: %s is missing from the chart" $topic $file) }}
{{- end }}
- name: {{ printf "%s.avroschema" $topic }}
  value: |-
    {{- $schema | nindent 4 }}
{{- end }}
{{- end -}}

{{/*
The apps that load the component pubsub-broadcast (space-separated): the ui alone, whose replicas
each need every event. Fixed: its topic scopes name only the ui.
*/}}
{{- define "aeroalpes.pubsubBroadcastScopes" -}}ui{{- end -}}

{{/* Whether a service's sidecar loads a Pulsar component (it then reaches Pulsar); call with (dict "root" $ "svc" "ui"). */}}
{{- define "aeroalpes.usesPulsar" -}}
{{- if or (has .svc .root.Values.dapr.pubsub.scopes) (has .svc (splitList " " (include "aeroalpes.pubsubBroadcastScopes" .root))) }}true{{ end -}}
{{- end -}}

{{/* MongoDB params for Dapr's state store: "?replicaSet=<rs>[&<params>]". */}}
{{- define "aeroalpes.statestoreParams" -}}
{{- $m := .Values.dapr.statestore.mongodb -}}
{{- $rs := required "dapr.statestore.mongodb.replicaSet is required: Dapr's MongoDB state store needs a replica set (transactions)" $m.replicaSet -}}
{{- if $m.params -}}
{{- printf "?replicaSet=%s&%s" $rs (trimPrefix "?" (trimPrefix "&" $m.params)) -}}
{{- else -}}
{{- printf "?replicaSet=%s" $rs -}}
{{- end -}}
{{- end -}}

{{/*
Ports of the injected daprd that other pods reach (the chart sets them on every pod with
dapr.io/internal-grpc-port and dapr.io/metrics-port, and the NetworkPolicies open exactly these).
daprd's own API (HTTP 3500, gRPC 50001) listens on the pod's loopback only.
*/}}
{{- define "aeroalpes.daprInternalPort" -}}50002{{- end -}}
{{- define "aeroalpes.daprMetricsPort" -}}9090{{- end -}}

{{/*
Name of the Secret (key `token`) holding one service's Dapr API token; call with
(dict "root" $ "svc" "aeroalpes" "kind" "api"|"app"). "api": DAPR_API_TOKEN, which daprd requires
on its API (dapr.io/api-token-secret); "app": APP_API_TOKEN, which daprd sends to the app
(dapr.io/app-token-secret). The existing Secret named in dapr.tokens.<svc> if any, else the one the
chart generates (templates/dapr-tokens.yaml).
*/}}
{{- define "aeroalpes.tokenSecret" -}}
{{- $t := index .root.Values.dapr.tokens .svc -}}
{{- $existing := ternary $t.existingApiTokenSecret $t.existingAppTokenSecret (eq .kind "api") -}}
{{- if $existing -}}
{{- $existing -}}
{{- else -}}
{{- printf "%s-%s-token" (include "aeroalpes.svcFullname" .) (ternary "dapr-api" "app-api" (eq .kind "api")) -}}
{{- end -}}
{{- end -}}

{{/*
Port list "6650 6651" of the Pulsar host URL (one per comma-separated host; a host without a port
gets its scheme's default) and a check that networkPolicy.pulsar.ports opens each of them.
*/}}
{{- define "aeroalpes.checkPulsarPorts" -}}
{{- $host := include "aeroalpes.pulsarHost" . -}}
{{- $scheme := regexFind "^[a-z+]+" $host -}}
{{- $default := get (dict "pulsar" "6650" "pulsar+ssl" "6651" "http" "80" "https" "443") $scheme -}}
{{- $open := list -}}
{{- range .Values.networkPolicy.pulsar.ports }}{{ $open = append $open (toString (int .)) }}{{ end -}}
{{- $hosts := regexReplaceAll "/.*$" (regexReplaceAll "^[a-z+]+://" $host "") "" -}}
{{- range $hp := splitList "," $hosts }}
{{- $port := regexFind "[0-9]+$" (regexFind ":[0-9]+$" $hp) | default $default }}
{{- if not (has $port $open) }}
{{- fail (printf "networkPolicy.pulsar.ports (%s) must include %s, the port of dapr.pubsub.pulsar.host %s" (join ", " $open) $port $host) }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The TCP port of the OpenTelemetry collector (dapr.configuration.tracing.otel.endpointAddress). */}}
{{- define "aeroalpes.otelPort" -}}
{{- $otel := .Values.dapr.configuration.tracing.otel -}}
{{- $hp := regexReplaceAll "/.*$" (regexReplaceAll "^[a-z]+://" $otel.endpointAddress "") "" -}}
{{- regexFind "[0-9]+$" (regexFind ":[0-9]+$" $hp) | default (ternary "4317" "4318" (eq $otel.protocol "grpc")) -}}
{{- end -}}

{{/*
A NetworkPolicy peer list from the values; call with (dict "name" "networkPolicy.dns.to" "peers" …).
Refuses an empty list: a rule without peers allows every address.
*/}}
{{- define "aeroalpes.peers" -}}
{{- if not .peers -}}
{{- fail (printf "%s must name at least one peer (podSelector, namespaceSelector or ipBlock): a rule without peers would allow every address" .name) -}}
{{- end -}}
{{- toYaml .peers -}}
{{- end -}}
