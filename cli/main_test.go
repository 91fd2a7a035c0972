package cli

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a command leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
