{{- define "nao.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "nao.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "nao.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nao.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "nao.labels" -}}
{{ include "nao.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "nao.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "nao.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* watchNamespaces as the comma list the operator reads; a list or a comma-separated string (--set) both work. */}}
{{- define "nao.watchNamespaces" -}}
{{- $ns := .Values.watchNamespaces | default list -}}
{{- if kindIs "string" $ns -}}
{{- $ns -}}
{{- else -}}
{{- join "," $ns -}}
{{- end -}}
{{- end -}}

{{/* operatorNamespaces as a list (a list or a comma-separated string both work), in a dict because include
returns text: use (include "nao.operatorNamespaceList" . | fromYaml).list. */}}
{{- define "nao.operatorNamespaceList" -}}
{{- $ns := .Values.operatorNamespaces | default list -}}
{{- if kindIs "string" $ns -}}
{{- $ns = splitList "," $ns | compact -}}
{{- end -}}
{{- $watch := include "nao.watchNamespaces" . | splitList "," | compact -}}
{{- if $watch -}}
{{- range $ns -}}
{{- if not (has . $watch) -}}
{{- fail (printf "operatorNamespaces: %s is not in watchNamespaces; Operators are reconciled only in watched namespaces" .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- dict "list" $ns | toYaml -}}
{{- end -}}

{{/* Label matchers that select this installation's series in the alert rules: the scrape job of the metrics
Service (prometheus-operator names it after the Service) and its namespace, unless prometheusRule.selector says
otherwise. */}}
{{- define "nao.alertSelector" -}}
{{- if .Values.prometheusRule.selector -}}
{{- .Values.prometheusRule.selector -}}
{{- else -}}
job="{{ include "nao.fullname" . }}-metrics",namespace="{{ .Release.Namespace }}"
{{- end -}}
{{- end -}}

{{/* Where importers reach the activation token Service: the value given, else the Service's in-cluster URL. */}}
{{- define "nao.activationUrlBase" -}}
{{- if .Values.activationTokens.urlBase -}}
{{- .Values.activationTokens.urlBase | trimSuffix "/" -}}
{{- else -}}
{{- printf "http://%s-activations.%s.svc:%v" (include "nao.fullname" .) .Release.Namespace .Values.activationTokens.port -}}
{{- end -}}
{{- end -}}
