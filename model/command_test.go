package model

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
)

// TestCommandGrantInTheTUI: the command grant's token is fetched off the
// UI loop, shown masked, and sent; a failing command shows its message in
// the token pane.
func TestCommandGrantInTheTUI(t *testing.T) {
	testEnv(t)
	const token = "cmd-tok-Kkk.123"
	dir := t.TempDir()
	script := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ok := script("ok", "echo "+token+"\n")
	bad := script("bad", "echo 'error: not logged in' >&2\nexit 1\n")
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"you_sent":%q}`, r.Header.Get("Authorization"))
	})
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.gh]\nbase_url = %q\ngrant = \"command\"\ncommand = [%q]\n\n[providers.bad]\nbase_url = %q\ngrant = \"command\"\ncommand = [%q]\n", srv.URL, ok, srv.URL, bad),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("enter"))
	if e := r.m.active(); e.tok == nil {
		t.Fatalf("no token: %v", e.err)
	}
	r.m.composer.SetRequest("GET", "/user", "", "")
	r.m.focus = paneRequest
	r.send(press("ctrl+s"))
	if sent := srv.Headers("Authorization"); strings.Join(sent, ",") != "Bearer "+token {
		t.Errorf("the API got %q", sent)
	}
	r.m.focus = paneProviders
	r.send(press("down"))
	r.send(press("enter"))
	if screen := plain(r.m); !strings.Contains(screen, "exit status 1: error: not") {
		t.Errorf("the failing command's message is not on screen:\n%s", screen)
	}
	r.noLeak(token)
}

// TestCommandGrantArgumentSecretInTokenPane: a command grant whose
// argument holds ${CMD_SECRET} fails, its program echoing its arguments on
// stderr: the token pane quotes the command line with ${CMD_SECRET} as
// written and the program's message, and no frame — revealed or not —
// holds the variable's value.
func TestCommandGrantArgumentSecretInTokenPane(t *testing.T) {
	testEnv(t)
	const value = "cmd-arg-Secret.4321"
	bad := filepath.Join(t.TempDir(), "login")
	if err := os.WriteFile(bad, []byte("#!/bin/sh\necho \"error: refused $*\" >&2\nexit 3\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	srv := exchangetest.NewRecorder(t, nil)
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.gh]\nbase_url = %q\ngrant = \"command\"\ncommand = [%q, \"--token=${CMD_SECRET}\"]\n", srv.URL, bad),
		map[string]string{"CMD_SECRET": value}, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 200, 40)
	r.send(press("enter"))
	screen := plain(r.m)
	if !strings.Contains(screen, "--token=${CMD_SECRET}") || !strings.Contains(screen, "error: refused") {
		t.Errorf("the token pane does not quote the command as written with its message:\n%s", screen)
	}
	r.send(press("ctrl+r"))
	r.noLeak(value)
}
