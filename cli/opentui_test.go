package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/app"
	collenv "github.com/keyhole-sh/keyhole/collection/env"
)

// A start that can only open the TUI builds no subcommands; anything else
// gets the whole tree, so help, completion and every command still work.
func TestOpensTUI(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"--config", "k.toml"}, true},
		{[]string{"--config=k.toml"}, true},
		{[]string{"--config"}, false},
		{[]string{"--config", "--help"}, false},
		{[]string{"--help"}, false},
		{[]string{"-h"}, false},
		{[]string{"help"}, false},
		{[]string{"demo"}, false},
		{[]string{"--config", "k.toml", "call"}, false},
		{[]string{"__complete", ""}, false},
		{[]string{"--version"}, false},
		{[]string{"--env", "staging"}, true},
		{[]string{"--config", "k.toml", "--env=prod"}, true},
		{[]string{"--env"}, false},
		{[]string{"--env", "staging", "run"}, false},
	} {
		if got := opensTUI(c.args); got != c.want {
			t.Errorf("opensTUI(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

func TestTheTUIStartStillSaysWhatIsWrong(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", "http://127.0.0.1:9", "t", ""))
	r := h.run("--config", cfg)
	r.expect(t, ExitUsage, "no terminal")
	if !strings.Contains(r.errOut, "needs a terminal") {
		t.Errorf("no-terminal error: %s", r.errOut)
	}
	r = h.run("--help")
	r.expect(t, ExitOK, "--help")
	for _, cmd := range []string{"call", "token", "providers", "serve-demo"} {
		if !strings.Contains(r.out, cmd) {
			t.Errorf("--help does not list %s:\n%s", cmd, r.out)
		}
	}
}

// A start that names a command builds that command alone; help,
// completion and unknown words get the whole tree.
func TestCommandsFor(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"call", "demo-cc", "GET", "/api/me"}, "call"},
		{[]string{"--config", "k.toml", "--env", "prod", "token", "x"}, "token"},
		{[]string{"--config=k.toml", "run"}, "run"},
		{[]string{"help", "call"}, allCommands},
		{[]string{"__complete", "call", ""}, allCommands},
		{[]string{"--help"}, allCommands},
		{[]string{"cal"}, allCommands},
		{[]string{"--version"}, allCommands},
	} {
		if got := commandsFor(c.args); got != c.want {
			t.Errorf("commandsFor(%q) = %q, want %q", c.args, got, c.want)
		}
	}
	for _, name := range commandOrder {
		if _, ok := commandMakers[name]; !ok {
			t.Errorf("%s is listed but has no maker", name)
		}
	}
	if len(commandOrder) != len(commandMakers) {
		t.Errorf("%d commands listed, %d made", len(commandOrder), len(commandMakers))
	}
	h := newHarness(t)
	r := h.run("cal")
	r.expect(t, ExitUsage, "a mistyped command")
	if !strings.Contains(r.errOut, `unknown command "cal"`) {
		t.Errorf("a mistyped command:\n%s", r.errOut)
	}
	r = h.run("call", "--help")
	r.expect(t, ExitOK, "call --help")
	if !strings.Contains(r.out, "--send-token") || !strings.Contains(r.out, "--config") {
		t.Errorf("call --help lacks its own or the global flags:\n%s", r.out)
	}
}

// TestTUIFindsTheCollectionAndItsEnvFiles: the TUI's collection is the
// configured one, relative to the config's folder, and the env files
// beside it give the environment's variables, as for keyhole run.
func TestTUIFindsTheCollectionAndItsEnvFiles(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("keyhole/config.toml", "[providers.api]\nbase_url = \"https://api.example.test\"\ngrant = \"static\"\ntoken = \"t\"\n\n[settings]\ncollections = [\"requests/\"]\n")
	h.writeConfig("keyhole/requests/items.http", "GET {{host}}/items\n")
	h.writeConfig("keyhole/requests/http-client.env.json", `{"dev": {"host": "https://dev.example.test"}}`)
	h.vars["KEYHOLE_ENV"] = "dev"
	e, _, _ := h.env()
	opts, cleanup, err := tuiOptions(e, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	c := opts.Collection
	if len(c.Patterns) != 1 || c.Patterns[0] != "requests/" || c.Base != filepath.Dir(cfg) {
		t.Errorf("collection options: %+v", c)
	}
	if l := opts.Environment; l == nil || l.Name != "dev" || l.Vars("")["host"] != "https://dev.example.test" {
		t.Fatalf("the env files beside the collection are not read: %+v", l)
	}
}

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
