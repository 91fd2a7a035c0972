package cli

import (
	"strings"
	"testing"
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
		{nil, noCommand},
		{[]string{"--config", "k.toml"}, noCommand},
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
