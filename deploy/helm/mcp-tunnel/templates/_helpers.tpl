{{/* The image reference, always by digest: a tag-only install is refused at render time. */}}
{{- define "mcp-tunnel.image" -}}
{{- $digest := required "image.digest is required: pin the image by digest (sha256:<64 hex>)" .Values.image.digest -}}
{{- if not (regexMatch "^sha256:[0-9a-f]{64}$" $digest) -}}
{{- fail (printf "image.digest %q is not sha256:<64 hex>" $digest) -}}
{{- end -}}
{{- printf "%s@%s" .Values.image.repository $digest -}}
{{- end -}}

{{- define "mcp-tunnel.labels" -}}
app.kubernetes.io/name: mcp-tunnel
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "mcp-tunnel.selector" -}}
app.kubernetes.io/name: mcp-tunnel
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Secret holding the server certificate and key in each mode. */}}
{{- define "mcp-tunnel.certSecret" -}}
{{- if eq .Values.mode "managed" }}{{ .Release.Name }}{{ else }}mcp-tunnel-cert{{ end -}}
{{- end -}}

{{- define "mcp-tunnel.setupEnv" -}}
- {name: API_URL, value: {{ .Values.tunnel.apiUrl | quote }}}
- {name: ANTHROPIC_FEDERATION_RULE_ID, value: {{ required "setup.federationRuleId is required in managed mode" .Values.setup.federationRuleId | quote }}}
- {name: ANTHROPIC_ORGANIZATION_ID, value: {{ required "setup.organizationId is required in managed mode" .Values.setup.organizationId | quote }}}
- {name: ANTHROPIC_WORKSPACE_ID, value: {{ .Values.setup.workspaceId | quote }}}
- {name: ANTHROPIC_IDENTITY_TOKEN_FILE, value: /var/run/secrets/mcptunnel/identity/token}
{{- end -}}

{{/* NetworkPolicy egress rules to a list of {cidr, port}. */}}
{{- define "mcp-tunnel.egressTo" -}}
{{- range . }}
- to: [{ipBlock: {cidr: {{ .cidr | quote }}}}]
  ports: [{protocol: TCP, port: {{ .port }}}]
{{- end }}
{{- end }}

{{- define "mcp-tunnel.dns" -}}
- to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
  ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
{{- end }}
