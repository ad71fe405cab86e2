//go:build tools

// Package tools pins the in-memory OCI registry that only tests use, to serve OCI Helm charts.
package tools

import _ "github.com/google/go-containerregistry/cmd/registry"
