//go:build tools

// Package tools pins the jsonnet command that evaluates Jsonnet sources, and jsonnet-deps, which
// lists the files one imports so that Capstan can refuse those outside the repository.
package tools

import (
	_ "github.com/google/go-jsonnet/cmd/jsonnet"
	_ "github.com/google/go-jsonnet/cmd/jsonnet-deps"
)
