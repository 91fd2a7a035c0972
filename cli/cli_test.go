package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

func TestVersion(t *testing.T) {
	e, out, _ := testEnv(t)
	if code := run(context.Background(), []string{"version"}, e); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "keyhole ") {
		t.Errorf("version printed %q", out.String())
	}
}

func TestHelpHasExamples(t *testing.T) {
	e, out, _ := testEnv(t)
	if code := run(context.Background(), []string{"--help"}, e); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"serve-demo", "demo", "version", "--config", "keyhole --config ./keyhole.toml"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestTUIWithoutTerminalExits1(t *testing.T) {
	for _, args := range [][]string{nil, {"demo"}} {
		e, out, errOut := testEnv(t)
		if code := run(context.Background(), args, e); code != ExitUsage {
			t.Errorf("keyhole %v without a terminal: exit %d, want 1", args, code)
		}
		if !strings.Contains(errOut.String(), "needs a terminal") {
			t.Errorf("keyhole %v: stderr %q does not say a terminal is needed", args, errOut.String())
		}
		if out.Len() != 0 {
			t.Errorf("keyhole %v wrote to stdout: %q", args, out.String())
		}
	}
}

func TestFindConfig(t *testing.T) {
	e, _, _ := testEnv(t)
	if _, found, err := findConfig("", e); err != nil || found {
		t.Fatalf("no config anywhere: found=%v err=%v", found, err)
	}
	if _, _, err := findConfig("/nonexistent/keyhole.toml", e); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("a missing --config file is not an error naming the flag: %v", err)
	}
	def := DefaultConfigPath(e.getenv)
	if err := os.MkdirAll(filepath.Dir(def), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(def, []byte("[settings]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if path, found, err := findConfig("", e); err != nil || !found || path != def {
		t.Errorf("default config: path=%q found=%v err=%v", path, found, err)
	}
}

func TestTUIReportsABrokenConfig(t *testing.T) {
	e, _, _ := testEnv(t)
	path := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(path, []byte("[providers.x]\ngrant = \"client_credentials\"\nbase_url = \"https://api\"\ntokne_url = \"https://t\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := tuiOptions(e, path, false)
	if err == nil || !strings.Contains(err.Error(), path+":4") || !strings.Contains(err.Error(), "did you mean token_url?") {
		t.Errorf("broken config error = %v; want file:line and a suggestion", err)
	}
}

func TestServeDemoPrintsAWorkingConfig(t *testing.T) {
	e, out, errOut := testEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve-demo", "--addr", "127.0.0.1:0", "--token-ttl", "1h"}, e) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(errOut.String(), "Ctrl+C stops it") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve-demo did not start; stderr: %s", errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cfg, err := config.Parse("served.toml", []byte(out.String()))
	if err != nil {
		t.Fatalf("printed config does not parse: %v\n%s", err, out.String())
	}
	p, ok := cfg.Provider("demo-cc")
	if !ok {
		t.Fatal("no demo-cc in the printed config")
	}
	sess, err := providers.NewSession(p, providers.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := sess.Token(ctx)
	if err != nil {
		t.Fatalf("token from the printed config: %v", err)
	}
	if left := time.Until(tok.Expiry); left < 59*time.Minute {
		t.Errorf("--token-ttl 1h gave a token living %s", left)
	}
	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Errorf("serve-demo exit %d after interrupt", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve-demo did not stop when its context ended")
	}
	// One log line per request, and no secret in the log.
	log := errOut.String()
	if !strings.Contains(log, "/oauth2/token") {
		t.Errorf("the token request was not logged:\n%s", log)
	}
	for _, s := range []string{"demo-cc-secret", tok.Access.Reveal()} {
		if strings.Contains(log, s) {
			t.Errorf("log holds a secret %q", s[:min(12, len(s))])
		}
	}
}

func TestServeDemoRefusesANonLoopbackAddress(t *testing.T) {
	e, _, errOut := testEnv(t)
	if code := run(context.Background(), []string{"serve-demo", "--addr", "0.0.0.0:0"}, e); code == ExitOK {
		t.Fatal("serve-demo listened on 0.0.0.0")
	}
	if !strings.Contains(strings.ToLower(errOut.String()), "loopback") {
		t.Errorf("error does not explain loopback: %s", errOut.String())
	}
}

func TestExampleConfigParses(t *testing.T) {
	cfg, err := config.LoadFile("../config.example.toml")
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	grants := map[string]bool{}
	for _, p := range cfg.Providers {
		grants[string(p.Grant)] = true
	}
	for _, g := range []string{"client_credentials", "authorization_code", "device_code", "refresh_token", "password", "static", "custom", "jwt_bearer"} {
		if !grants[g] {
			t.Errorf("config.example.toml has no example of grant %s", g)
		}
	}
	auths := map[string]bool{}
	for _, p := range cfg.Providers {
		auths[p.ClientAuth] = true
	}
	for _, a := range []string{"private_key_jwt", "client_secret_jwt", "tls_client_auth", "self_signed_tls_client_auth"} {
		if !auths[a] {
			t.Errorf("config.example.toml has no example of client_auth %s", a)
		}
	}
	for _, vendor := range []string{"tapkey", "sys303", "azurecn", "maptable"} {
		if _, ok := cfg.Provider(vendor); !ok {
			t.Errorf("config.example.toml lacks the %s preset", vendor)
		}
	}
}

// TestTerminalErrorPrintedOnceVerbatim: on a terminal, a broken config's
// error is said once, as written — the path in its own case, not
// title-cased by the styling — and its hint is not said a second time.
func TestTerminalErrorPrintedOnceVerbatim(t *testing.T) {
	h := newHarness(t)
	path := h.writeConfig("bad-cfg.toml", "[providers.x]\nbase_url = \"http://127.0.0.1:1\"\ngrant = \"client_credentials\"\ntoken_url = 42\n")
	for _, args := range [][]string{{"providers", "--config", path}, {"token", "x", "--config", path}} {
		r := runOn(h, true, args...)
		if r.code != ExitUsage {
			t.Errorf("keyhole %v: exit %d, want %d", args, r.code, ExitUsage)
		}
		out := attack.OwnSGR.ReplaceAllString(r.errOut, "")
		if n := strings.Count(out, path+":4:"); n != 1 {
			t.Errorf("keyhole %v: the path %s:4 is printed %d times, want once, verbatim:\n%s", args, path, n, out)
		}
		if n := strings.Count(out, "quote the value"); n != 1 {
			t.Errorf("keyhole %v: the hint is printed %d times, want once:\n%s", args, n, out)
		}
		if !strings.Contains(out, "ERROR") {
			t.Errorf("keyhole %v: no error badge on a terminal:\n%s", args, out)
		}
		checkTerminalSafe(t, "error on a terminal", r.errOut, true)
	}
}
