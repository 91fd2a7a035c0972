// Package proxychild runs the half of a test that needs proxy settings in
// a child process. Go's net/http reads HTTP_PROXY, HTTPS_PROXY and
// NO_PROXY once per process, and never proxies a loopback host, so a test
// that reaches made-up host names through a proxy of its own sets them
// for a child. Only tests import it.
package proxychild

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// marker names, in the child's environment, the test it was started for.
const marker = "KEYHOLE_PROXY_CHILD_TEST"

// cleared are the variables the child does not inherit: the proxy settings
// the test gives it, and CGI's REQUEST_METHOD, under which Go ignores
// HTTP_PROXY.
var cleared = []string{"HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "ALL_PROXY", "REQUEST_METHOD"}

// Run runs the test named child, of this test binary, in a child process
// whose environment is this one's without the proxy settings, plus env
// ("NAME=value"). t fails unless the child ran and passed.
func Run(t *testing.T, child string, env ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^"+child+"$", "-test.count=1", "-test.v")
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(cleared, strings.ToUpper(name)) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, marker+"="+child), env...)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+child) {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

// Child skips t unless this process is the child Run started for it: on
// its own, a test's other half does nothing.
func Child(t *testing.T) {
	t.Helper()
	if os.Getenv(marker) != t.Name() {
		t.Skip("run in a child process by the test that sets its proxy")
	}
}
