{{/* The chart's name, or nameOverride. */}}
{{- define "dms.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The objects' name: fullnameOverride, else the release name (with the chart's name unless it already holds it). */}}
{{- define "dms.fullname" -}}
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

{{/* Labels that select the pods (never change them on an installed release: the selector is immutable). */}}
{{- define "dms.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dms.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "dms.labels" -}}
{{ include "dms.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The Secret the pods read their secrets from: secrets.existingSecret, else the release's fullname. The chart never creates it. */}}
{{- define "dms.secretName" -}}
{{- default (include "dms.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* The ConfigMap of the route files: routes.existingConfigMap, else the chart's own. */}}
{{- define "dms.routesConfigMap" -}}
{{- default (printf "%s-routes" (include "dms.fullname" .)) .Values.routes.existingConfigMap -}}
{{- end -}}

{{/* repository:tag, or repository@digest when image.digest is set. */}}
{{- define "dms.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* One env entry read from the Secret; optional ones are left unset when their key is missing. */}}
{{- define "dms.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
      optional: {{ .optional }}
{{- end -}}

{{/* Pods at most: the HPA's maximum (or replicaCount) plus the rollout's surge. */}}
{{- define "dms.maxPods" -}}
{{- $replicas := ternary .Values.autoscaling.maxReplicas .Values.replicaCount .Values.autoscaling.enabled -}}
{{- add $replicas .Values.rollingUpdate.maxSurge -}}
{{- end -}}
