package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/app"
	collenv "github.com/keyhole-sh/keyhole/collection/env"
)

// TestTUIStartsInTheEnvironmentAsked: keyhole --env NAME (or
// $KEYHOLE_ENV) starts the TUI in that environment, wired through app as
// the command line is (its base_url, its token); an unknown name is the
// command line's error, before the first frame; and the TUI can switch
// to another environment of the same config.
func TestTUIStartsInTheEnvironmentAsked(t *testing.T) {
	h := newHarness(t)
	cfg, live, staging := liveAndStaging(t, h, "\n[environments.prod]\n")
	start := func(name string) (*tuiStart, error) {
		e, _, _ := h.env()
		e.envFlag = &name
		opts, cleanup, err := tuiOptions(e, cfg, false)
		if err != nil {
			return nil, err
		}
		t.Cleanup(cleanup)
		return &tuiStart{opts.Environment.Name, opts.Environment.Danger, opts.Start, opts.SwitchEnv}, nil
	}

	o, err := start("staging")
	if err != nil {
		t.Fatal(err)
	}
	if o.name != "staging" || o.danger {
		t.Errorf("environment %q (danger %v), want staging", o.name, o.danger)
	}
	b, err := o.start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p := b.Providers[0]; p.Config.BaseURL != staging.URL {
		t.Errorf("api's base_url in staging: %s, want %s", p.Config.BaseURL, staging.URL)
	} else if tok, err := p.Session.Token(context.Background()); err != nil || tok.Access.Reveal() != "staging-token" {
		t.Errorf("api's token in staging: %v, %v", tok, err)
	}

	// The switch the TUI's e makes: the same config, another environment.
	l, b, err := o.switchTo(context.Background(), "prod")
	if err != nil {
		t.Fatal(err)
	}
	if l.Name != "prod" || !l.Danger || b.Providers[0].Config.BaseURL != live.URL {
		t.Errorf("switched to %q (danger %v), base_url %s", l.Name, l.Danger, b.Providers[0].Config.BaseURL)
	}
	if _, _, err := o.switchTo(context.Background(), "nope"); err == nil || !strings.Contains(err.Error(), `no environment "nope"`) {
		t.Errorf("a switch to an unknown environment: %v", err)
	}

	h.vars["KEYHOLE_ENV"] = "prod"
	if o, err = start(""); err != nil || o.name != "prod" || !o.danger {
		t.Errorf("KEYHOLE_ENV=prod: %+v, %v", o, err)
	}
	delete(h.vars, "KEYHOLE_ENV")

	// An unknown name: the command line's error, before any frame.
	_, err = start("nope")
	r := h.run("--config", cfg, "--env", "nope", "providers")
	if err == nil || !strings.Contains(r.errOut, err.Error()) || !strings.Contains(err.Error(), "known: staging, prod") {
		t.Errorf("unknown environment: TUI %v; command line %s", err, r.errOut)
	}
}

// tuiStart is what the test reads of the TUI's options.
type tuiStart struct {
	name     string
	danger   bool
	start    func(context.Context) (*app.Backend, error)
	switchTo func(context.Context, string) (*collenv.Layer, *app.Backend, error)
}
