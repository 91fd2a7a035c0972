package model

import (
	"context"
	"testing"
	"time"
)

// TestStoredTokensArriveTogether: the tokens the providers already hold
// come back from Init as one message, so the start draws one frame for
// them all, and each lands on its own provider.
func TestStoredTokensArriveTogether(t *testing.T) {
	b, _ := demoBackend(t, demoOpts(), nil)
	for _, p := range b.Providers {
		if p.Config.Name == "demo-cc" {
			if _, err := p.Session.Token(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	m := newTestModel(t, b, nil)
	var peeks []peekedAllMsg
	for _, msg := range drainWait(t, m.Init(), 2*time.Second) {
		switch msg := msg.(type) {
		case peekedMsg:
			t.Errorf("a peek came alone: %s", msg.name)
		case peekedAllMsg:
			peeks = append(peeks, msg)
		}
	}
	if len(peeks) != 1 || len(peeks[0]) != len(m.entries) || len(m.entries) < 2 {
		t.Fatalf("peeks came as %d messages (%v); want one for the %d providers", len(peeks), peeks, len(m.entries))
	}
	m = update(t, m, peeks[0])
	for _, e := range m.entries {
		if got := e.tok != nil; got != (e.name == "demo-cc") {
			t.Errorf("%s holds a token: %v; only demo-cc should", e.name, got)
		}
	}
}
