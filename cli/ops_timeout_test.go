package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestOpsSpecThatNeverEnds: a spec URL whose server sends its body a few
// bytes at a time, without end, is given up after the provider's timeout,
// as every call the provider makes is: exit 3 with nothing cached, the
// cached copy (and a note) with one. keyhole ops waited for ever.
func TestOpsSpecThatNeverEnds(t *testing.T) {
	var trickle atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !trickle.Load() {
			w.Write([]byte(opsSpec))
			return
		}
		w.Header().Set("Content-Length", "100000000")
		w.WriteHeader(http.StatusOK)
		for {
			if _, err := w.Write([]byte("[1,")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("st", srv.URL, "tok-1", "openapi = \""+srv.URL+"/openapi.json\"\ntimeout = \"1s\"\n"))
	ops := func(what string) result {
		t.Helper()
		e, out, errOut := h.env()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan int, 1)
		go func() { done <- run(ctx, []string{"--config", cfg, "ops", "st"}, e) }()
		select {
		case code := <-done:
			return result{code: code, out: out.String(), errOut: errOut.String()}
		case <-time.After(15 * time.Second):
			cancel()
			<-done
			t.Fatalf("%s: keyhole ops still waits for the spec after 15s (timeout = 1s)", what)
		}
		return result{}
	}

	trickle.Store(true)
	r := ops("nothing cached")
	r.expect(t, ExitNetwork, "a spec that never ends, nothing cached")
	r.errHas(t, srv.URL+"/openapi.json", "no copy is cached")

	trickle.Store(false)
	ops("a spec that ends").expect(t, ExitOK, "a spec that ends")
	trickle.Store(true)
	r = ops("a copy cached")
	r.expect(t, ExitOK, "a spec that never ends, a copy cached")
	r.outHas(t, "listItems")
	r.errHas(t, "using the copy cached")
	if strings.Contains(r.errOut, "tok-1") {
		t.Errorf("the token leaked: %s", r.errOut)
	}
}
