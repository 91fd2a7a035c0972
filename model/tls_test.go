package model

import (
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/ui"
)

func TestEachProviderSendsWithItsOwnTLSSettings(t *testing.T) {
	testEnv(t)
	dir := t.TempDir()
	srv, ca := exchangetest.TLSServer(t, dir)
	text := exchangetest.TLSProviders(srv.URL, ca, filepath.Join(dir, "missing.pem"))
	base := &http.Client{Transport: &http.Transport{}}
	b := configBackend(t, "tls.toml", text, nil, providers.SessionOptions{Client: base, Now: func() time.Time { return fixedNow }})
	byName := map[string]app.Provider{}
	for _, p := range b.Providers {
		byName[p.Config.Name] = p
	}
	if p := byName["plain"]; p.Client == nil || p.Client.Transport != base.Transport || p.Session == nil {
		t.Errorf("plain: client %+v, want the shared transport %p", p.Client, base.Transport)
	}
	for _, name := range []string{"trusted", "risky"} {
		if p := byName[name]; p.Client == nil || p.Client.Transport == base.Transport || p.Session == nil || p.Err != nil {
			t.Errorf("%s: %+v, want its own client and a session", name, p)
		}
	}
	var fe *providers.TLSFileError
	if p := byName["broken"]; p.Session != nil || !errors.As(p.Err, &fe) || fe.Key != "ca_file" {
		t.Errorf("broken: %+v, want no session and the ca_file error", p)
	}

	m := newTestModel(t, b, nil)
	send := func(i int) Model {
		t.Helper()
		m.list.SetCursor(i)
		m = run(t, m, press("enter"))
		return run(t, m, press("ctrl+s"))
	}
	for i, c := range []struct {
		name string
		ok   bool
	}{{"trusted", true}, {"plain", false}, {"risky", true}} {
		m = send(i)
		switch {
		case c.ok && (m.ex == nil || m.ex.Err != nil || m.ex.Response == nil || m.ex.Response.Status != http.StatusOK):
			t.Errorf("%s: %+v", c.name, m.ex)
		case !c.ok && (m.ex == nil || !strings.Contains(providers.Hint(m.ex.Err), "ca_file")):
			t.Errorf("%s: want a TLS failure hinting at ca_file, got %+v", c.name, m.ex)
		}
		screen := plain(m)
		if warned := strings.Contains(screen, "TLS NOT VERIFIED"); warned != (c.name == "risky") {
			t.Errorf("%s: TLS NOT VERIFIED shown: %v\n%s", c.name, warned, screen)
		}
	}
	// The insecure provider is marked, in red, in the list and the token
	// pane; the broken one says why it cannot be used.
	raw := m.View().Content
	st := ui.NewStyles(true)
	for _, want := range []string{st.Bad.Bold(true).Render(ui.InsecureMark), st.Bad.Bold(true).Render("TLS NOT VERIFIED")} {
		if !strings.Contains(raw, want) {
			t.Errorf("screen lacks %q in red", want)
		}
	}
	if !strings.Contains(plain(m), "risky !") {
		t.Errorf("list lacks the mark:\n%s", plain(m))
	}
	m.list.SetCursor(3)
	m = run(t, m, press("enter"))
	if screen := plain(m); !strings.Contains(screen, "ca_file") || !strings.Contains(screen, "no such file") {
		t.Errorf("broken provider's reason not shown:\n%s", screen)
	}
}
