//go:build tools

// Package tools pins nsc for scripts/lib/ensure-tools.sh. The Go checksum database does not answer for nsc
// from our machines, so this module's go.sum, committed, is what verifies the nsc module we build.
package tools

import (
	_ "github.com/nats-io/nsc/v2"
)
