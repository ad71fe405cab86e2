//go:build tools

// Package tools pins the KWOK command that simulates the test cluster's nodes.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
