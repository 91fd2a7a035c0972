package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
)

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
