package model

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// TestFlowStartToQuit runs the program as a person would: the demo starts
// after the first frame, a token arrives on its own, ctrl+s gets a 200,
// q quits.
func TestFlowStartToQuit(t *testing.T) {
	testEnv(t)
	srv, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := func(context.Context) (*app.Backend, error) {
		cfg, err := config.Parse("demo", []byte(demo.Config(demoHost)))
		if err != nil {
			return nil, err
		}
		client := &http.Client{Transport: handlerTransport{srv.Handler()}}
		return app.NewBackend(cfg, func(string) (string, bool) { return "", false }, providers.SessionOptions{Client: client}), nil
	}
	m := New(Options{Label: "built-in demo", Demo: true, Placeholder: []string{"demo-cc"}, Start: start, AutoFetch: true, Redact: true})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitFor(t, tm, "demo-cc", "● valid", "expires in 1:")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitFor(t, tm, "200 OK")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	fm := tm.FinalModel(t).(Model)
	if fm.ex == nil || fm.ex.Response == nil || fm.ex.Response.Status != 200 {
		t.Errorf("final model has no 200 response: %+v", fm.ex)
	}
	if got := srv.Stats().Grants["client_credentials"]; got != 1 {
		t.Errorf("server saw %d token requests, want 1", got)
	}
}

// waitFor waits until every text has been drawn. Each call reads the
// output from where the previous one stopped, so the texts of one call must
// all appear after it starts.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, text := range texts {
			if !bytes.Contains(b, []byte(text)) {
				return false
			}
		}
		return true
	},
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}
