package syncbuf_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
)

// TestConcurrentWriters is meant for -race: writers and a reader at once,
// and every line arrives whole.
func TestConcurrentWriters(t *testing.T) {
	var b syncbuf.Buffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				fmt.Fprintf(&b, "writer %d line %d\n", i, j)
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if n := strings.Count(b.String(), "\n"); n != 8*50 {
		t.Errorf("%d lines, want %d", n, 8*50)
	}
}
