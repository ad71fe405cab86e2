//go:build tools

// Package tools pins the jsonnet command that evaluates Jsonnet sources.
package tools

import _ "github.com/google/go-jsonnet/cmd/jsonnet"
