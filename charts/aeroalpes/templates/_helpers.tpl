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
app.kubernetes.io/name: {{ include "aeroalpes.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .svc }}
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
