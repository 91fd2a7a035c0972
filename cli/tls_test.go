package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
)

// tlsConfig serves {"ok":true} over TLS with httptest's self-signed
// certificate and writes a config with four static providers for it:
// trusted (ca_file is that certificate), plain (no TLS settings), risky
// (insecure = true) and broken (a ca_file that is not there).
func tlsConfig(t *testing.T, h *harness) (cfgPath, missing string) {
	t.Helper()
	srv, ca := exchangetest.TLSServer(t, h.dir)
	missing = filepath.Join(h.dir, "missing.pem")
	return h.writeConfig("tls.toml", exchangetest.TLSProviders(srv.URL, ca, missing)), missing
}

func TestCallUsesTheProvidersTLSSettings(t *testing.T) {
	h := newHarness(t)
	cfg, missing := tlsConfig(t, h)

	r := h.run("--config", cfg, "call", "trusted", "GET", "/")
	r.expect(t, ExitOK, "call with ca_file")
	if !strings.Contains(r.out, `"ok"`) || strings.Contains(r.errOut, "warning") {
		t.Errorf("stdout %q stderr %q", r.out, r.errOut)
	}

	r = h.run("--config", cfg, "call", "plain", "GET", "/")
	r.expect(t, ExitNetwork, "call without ca_file")
	if !strings.Contains(r.errOut, "hint: TLS verification failed: point ca_file") {
		t.Errorf("stderr %q", r.errOut)
	}

	r = h.run("--config", cfg, "call", "risky", "GET", "/")
	r.expect(t, ExitOK, "call with insecure = true")
	if !strings.Contains(r.errOut, "warning: risky has insecure = true") || strings.Contains(r.errOut, "\x1b[") {
		t.Errorf("stderr %q: want a plain warning", r.errOut)
	}

	r = h.run("--config", cfg, "token", "broken")
	r.expect(t, ExitUsage, "token with a missing ca_file")
	if !strings.Contains(r.errOut, "provider broken: ca_file "+missing+": no such file") {
		t.Errorf("stderr %q", r.errOut)
	}
}

func TestProvidersMarksInsecureInRedOnATerminal(t *testing.T) {
	h := newHarness(t)
	cfg, missing := tlsConfig(t, h)
	r := h.run("--config", cfg, "providers")
	r.expect(t, ExitOK, "providers")
	lines := map[string]string{}
	for _, line := range strings.Split(r.out, "\n") {
		if name, _, ok := strings.Cut(line, " "); ok {
			lines[name] = line
		}
	}
	if !strings.HasSuffix(lines["risky"], "ok (insecure: TLS not verified)") || strings.Contains(r.out, "\x1b[") {
		t.Errorf("risky, no terminal: %q", lines["risky"])
	}
	if !strings.Contains(lines["broken"], "unusable: ca_file "+missing+": no such file") {
		t.Errorf("broken: %q", lines["broken"])
	}
	if strings.Contains(lines["trusted"], "insecure") || !strings.HasSuffix(lines["trusted"], "ok") {
		t.Errorf("trusted: %q", lines["trusted"])
	}

	// A terminal that takes colour (forced, as a test has no terminal).
	h.vars["CLICOLOR_FORCE"], h.vars["TERM"] = "1", "xterm-256color"
	r = h.run("--config", cfg, "providers")
	if !strings.Contains(r.out, "\x1b[1;31m(insecure: TLS not verified)\x1b[0m") {
		t.Errorf("no red mark on a colour terminal: %q", r.out)
	}
	r = h.run("--config", cfg, "call", "risky", "GET", "/")
	if !strings.Contains(r.errOut, "\x1b[1;31mwarning: risky has insecure = true") {
		t.Errorf("no red warning on a colour terminal: %q", r.errOut)
	}
	// Without the force, and with NO_COLOR: the words stay, the colour
	// goes. (On a real terminal NO_COLOR wins over everything.)
	delete(h.vars, "CLICOLOR_FORCE")
	h.vars["NO_COLOR"] = "1"
	r = h.run("--config", cfg, "providers")
	if strings.Contains(r.out, "\x1b[") || !strings.Contains(r.out, "(insecure: TLS not verified)") {
		t.Errorf("NO_COLOR: %q", r.out)
	}
}

// TestRelativeCAFileIsTakenFromTheConfigFolder: a config in another folder
// names its CA as certs/ca.pem; keyhole, run from elsewhere, finds it
// beside the config, and a missing one is named by where it was looked
// for.
func TestRelativeCAFileIsTakenFromTheConfigFolder(t *testing.T) {
	h := newHarness(t)
	folder := filepath.Join(h.dir, "project")
	if err := os.MkdirAll(filepath.Join(folder, "certs"), 0o700); err != nil {
		t.Fatal(err)
	}
	srv, _ := exchangetest.TLSServer(t, filepath.Join(folder, "certs"))
	text := "[settings]\ntoken_cache = \"memory\"\n"
	for _, p := range []struct{ name, file string }{{"trusted", "certs/ca.pem"}, {"broken", "missing.pem"}} {
		text += fmt.Sprintf("\n[providers.%s]\nbase_url = %q\ngrant = \"static\"\ntoken = \"t\"\nca_file = %q\n", p.name, srv.URL, p.file)
	}
	cfg := h.writeConfig(filepath.Join("project", "keyhole.toml"), text)
	t.Chdir(t.TempDir())

	r := h.run("--config", cfg, "call", "trusted", "GET", "/")
	r.expect(t, ExitOK, "call with ca_file relative to the config")
	if !strings.Contains(r.out, `"ok"`) {
		t.Errorf("stdout %q stderr %q", r.out, r.errOut)
	}
	r = h.run("--config", cfg, "token", "broken")
	r.expect(t, ExitUsage, "token with a missing relative ca_file")
	if want := "ca_file " + filepath.Join(folder, "missing.pem") + ": no such file"; !strings.Contains(r.errOut, want) {
		t.Errorf("stderr %q, want %q", r.errOut, want)
	}
}
