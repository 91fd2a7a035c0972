package tokencmd

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestErrorNamesTheProgramNotItsArguments: a command's error says which
// program failed and why, never its arguments, where a credential may
// stand.
func TestErrorNamesTheProgramNotItsArguments(t *testing.T) {
	_, err := Run(context.Background(), []string{"sh", "-c", "echo refused >&2; exit 3", "--token", "s3cret-arg-value"}, 5*time.Second)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Run: %v, want an *Error", err)
	}
	if msg := err.Error(); strings.Contains(msg, "s3cret-arg-value") || !strings.Contains(msg, "command sh") || !strings.Contains(msg, "refused") {
		t.Errorf("error %q: want the program and its stderr, not its arguments", msg)
	}
	if _, err := Run(context.Background(), nil, time.Second); err == nil || !strings.Contains(err.Error(), "no program to run") {
		t.Errorf("no program: %v", err)
	}
}
