package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestInterruptedCommandExits130: Ctrl+C (or SIGTERM) during a call, a
// token request or a run ends keyhole with 130, as a shell reports a
// command killed by SIGINT, so that a pipeline tells an interruption from
// a failure. It exited 3, "a network failure", which no network had. The
// signal is what cancels run's context; the test cancels its parent.
func TestInterruptedCommandExits130(t *testing.T) {
	reached := make(chan struct{}, 8)
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The body read, the server notices the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		reached <- struct{}{}
		select { // a server that never answers
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer srv.Close()
	defer close(stop)
	h := newHarness(t)
	static := h.writeConfig("static.toml", staticConfig("api", srv.URL, "tok-1", ""))
	cc := h.writeConfig("cc.toml", "[providers.cc]\nbase_url = \""+srv.URL+"\"\ngrant = \"client_credentials\"\ntoken_url = \""+srv.URL+"/token\"\nclient_id = \"c\"\nclient_secret = \"s\"\n")
	file := h.writeHTTP("t.http", "# @provider api\nGET /slow\n")
	for _, c := range []struct {
		name string
		args []string
	}{
		{"call", []string{"--config", static, "call", "api", "GET", "/slow"}},
		{"call --json", []string{"--config", static, "call", "api", "GET", "/slow", "--json"}},
		{"token", []string{"--config", cc, "token", "cc"}},
		{"run", []string{"--config", static, "run", file}},
		{"run --json", []string{"--config", static, "run", file, "--json"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, out, errOut := h.env()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan int, 1)
			go func() { done <- run(ctx, c.args, e) }()
			select {
			case <-reached:
			case code := <-done:
				t.Fatalf("ended (%d) before the server was asked:\n%s", code, errOut.String())
			case <-time.After(10 * time.Second):
				t.Fatal("the server was never asked")
			}
			cancel()
			select {
			case code := <-done:
				if code != 130 {
					t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, 130, out.String(), errOut.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("still running after the interrupt")
			}
			switch c.name {
			case "call --json":
				if out.String() != "" {
					t.Errorf("--json printed something for no answer: %q", out.String())
				}
			case "run --json":
				// The report's exit code is the process's.
				var rep struct {
					Exit int `json:"exit_code"`
				}
				if err := json.Unmarshal([]byte(out.String()), &rep); err != nil || rep.Exit != 130 {
					t.Errorf("run --json: exit_code %d (%v), want 130:\n%s", rep.Exit, err, out.String())
				}
			}
		})
	}
}
