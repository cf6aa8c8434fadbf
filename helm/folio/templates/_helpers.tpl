{{/* The chart's name, shortened to 63 characters (a DNS label). */}}
{{- define "folio.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The fully qualified app name: fullnameOverride, else <release>-<name> (or just the release when it already
contains the name). Every resource name starts with it.
*/}}
{{- define "folio.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "folio.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Standard labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */}}
{{- define "folio.labels" -}}
helm.sh/chart: {{ include "folio.chart" . }}
{{ include "folio.selectorLabels" . }}
app.kubernetes.io/version: {{ include "folio.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: folio
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels: never change them between releases (a Deployment's selector is immutable). */}}
{{- define "folio.selectorLabels" -}}
app.kubernetes.io/name: {{ include "folio.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Per-component labels and selectors: call with (dict "root" $ "component" "api"). */}}
{{- define "folio.componentLabels" -}}
{{ include "folio.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "folio.componentSelectorLabels" -}}
{{ include "folio.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "folio.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "folio.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "folio.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "folio.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (include "folio.imageTag" .) }}
{{- end }}
{{- end }}

{{/*
The Secret holding DATABASE_URL, REDIS_URL, JWT_SECRET and SMTP_URL: the chart's own when secrets.create, else
secrets.existingSecret, which an install must name (secrets never live in values by default).
*/}}
{{- define "folio.secretName" -}}
{{- if .Values.secrets.create }}
{{- printf "%s-secrets" (include "folio.fullname" .) }}
{{- else }}
{{- required "secrets.existingSecret is required: the name of a Secret with DATABASE_URL, REDIS_URL, JWT_SECRET and SMTP_URL (or set secrets.create=true with secrets.values)" .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{/*
The api's terminationGracePeriodSeconds: preStop sleep + grace period (0 with a preStop sleep, see folio.configData)
+ drain timeout + margin, rounded up.
*/}}
{{- define "folio.api.terminationGracePeriodSeconds" -}}
{{- $s := .Values.shutdown }}
{{- $grace := ternary 0 (int $s.gracePeriodMs) (gt (int $s.preStopSleepSeconds) 0) }}
{{- $ms := add (mul (int $s.preStopSleepSeconds) 1000) $grace (int $s.timeoutMs) }}
{{- add (div (add $ms 999) 1000) (int $s.marginSeconds) }}
{{- end }}

{{/* `node [--import <preload>] <entry>`: the process itself receives SIGTERM (no shell, no npm in between). */}}
{{- define "folio.nodeArgs" -}}
- node
- --enable-source-maps
{{- with .root.Values.tracing.preload }}
- --import
- {{ . }}
{{- end }}
- {{ .entry }}
{{- end }}

{{/*
Non-secret environment as a YAML mapping of strings: the ConfigMap's data, and the migrations Job's inline env
(the Job cannot use the ConfigMap: pre-install hooks run before the release's other resources exist).
*/}}
{{- define "folio.configData" -}}
{{- range $key, $value := .Values.config }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
STORAGE_DIR: {{ printf "%s/files" .Values.storage.mountPath | quote }}
METRICS_PORT: {{ .Values.metrics.port | toString | quote }}
SHUTDOWN_GRACE_PERIOD_MS: {{ ternary 0 .Values.shutdown.gracePeriodMs (gt (int .Values.shutdown.preStopSleepSeconds) 0) | toString | quote }}
SHUTDOWN_TIMEOUT_MS: {{ .Values.shutdown.timeoutMs | toString | quote }}
{{- with .Values.tracing.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
OTEL_TRACES_SAMPLER: parentbased_traceidratio
OTEL_TRACES_SAMPLER_ARG: {{ $.Values.tracing.samplerRatio | toString | quote }}
{{- end }}
{{- end }}

{{/* envFrom for api and worker: the ConfigMap, the Secret, then extraEnvFrom. */}}
{{- define "folio.envFrom" -}}
- configMapRef:
    name: {{ include "folio.fullname" . }}
- secretRef:
    name: {{ include "folio.secretName" . }}
{{- with .Values.extraEnvFrom }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Volumes every Folio pod mounts: /tmp (read-only root filesystem) and the file storage (reports). */}}
{{- define "folio.volumes" -}}
- name: tmp
  emptyDir: {}
- name: storage
{{- if .Values.storage.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-storage" (include "folio.fullname" .)) .Values.storage.persistence.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}

{{- define "folio.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: storage
  mountPath: {{ .Values.storage.mountPath }}
{{- end }}
