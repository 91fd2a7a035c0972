//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A .env beside the .http file that is a symbolic link (to another
// file's secrets) or a FIFO is refused, as the env files are: the request
// that needs $dotenv is not sent, the error names the file, and nothing
// waits for a FIFO's writer. A plain .env still works.
func TestRunDotenvIsNeverReadThroughALinkOrAFIFO(t *testing.T) {
	es := newEchoServer(t)
	for _, c := range []struct {
		name  string
		plant func(t *testing.T, env string)
		code  int
		want  string
	}{
		{"a regular file", func(t *testing.T, env string) {
			if err := os.WriteFile(env, []byte("KEY=dot-key-value\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, ExitOK, "PASS"},
		{"a link to another file", func(t *testing.T, env string) {
			other := filepath.Join(t.TempDir(), "secrets")
			if err := os.WriteFile(other, []byte("KEY=elsewhere-secret-1\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(other, env); err != nil {
				t.Fatal(err)
			}
		}, 1, "symbolic link"},
		{"a FIFO", func(t *testing.T, env string) {
			if err := syscall.Mkfifo(env, 0o600); err != nil {
				t.Fatal(err)
			}
		}, 1, "not a regular file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", ""))
			file := h.writeHTTP("c/t.http", "# @provider api\nGET /dotenv?k={{$dotenv KEY}}\n")
			c.plant(t, filepath.Join(filepath.Dir(file), ".env"))
			_, before := es.lastRequest()
			done := make(chan result, 1)
			go func() { done <- h.run("--config", cfg, "run", file) }()
			var r result
			select {
			case r = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the run still waits after 10s: the .env was opened as it stands")
			}
			r.expect(t, c.code, c.name)
			if !strings.Contains(r.out+r.errOut, c.want) {
				t.Errorf("output lacks %q:\n%s\n%s", c.want, r.out, r.errOut)
			}
			if strings.Contains(r.out+r.errOut, "elsewhere-secret-1") {
				t.Errorf("the linked file's secret was shown:\n%s\n%s", r.out, r.errOut)
			}
			last, after := es.lastRequest()
			switch {
			case c.code == ExitOK && (after != before+1 || last.RequestURI != "/dotenv?k=dot-key-value"):
				t.Errorf("the request with a plain .env: %d sent, last %+v", after-before, last)
			case c.code != ExitOK && after != before:
				t.Errorf("a request was sent with the %s's value: %+v", c.name, last)
			}
		})
	}
}
