//go:build tools

// Package tools pins the helm command that renders Helm charts.
package tools

import _ "helm.sh/helm/v4/cmd/helm"
