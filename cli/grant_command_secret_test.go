package cli

import (
	"strings"
	"testing"
)

// TestCommandGrantArgumentSecretRedacted: a command grant whose argument
// holds ${CMD_SECRET} and whose program fails, echoing its arguments on
// stderr as programs do: token exits 2 quoting the command line with
// ${CMD_SECRET} as written, never its value — nor does the line the
// program printed; providers lists the written form too.
func TestCommandGrantArgumentSecretRedacted(t *testing.T) {
	const value = "cmd-arg-Secret.8765"
	h := newHarness(t)
	h.vars["CMD_SECRET"] = value
	es := newEchoServer(t)
	bad := h.script("login", `echo "error: login refused for $*" >&2`+"\nexit 3\n")
	cfg := h.writeConfig("k.toml", "[providers.gh]\nbase_url = \""+es.URL+"\"\ngrant = \"command\"\ncommand = "+
		tomlList(bad, "--token=${CMD_SECRET}", "--verbose")+"\n")

	r := h.run("token", "--config", cfg, "gh")
	r.expect(t, ExitToken, "token gh")
	if strings.Contains(r.out+r.errOut, value) {
		t.Errorf("the argument's value is in the output:\n%s%s", r.out, r.errOut)
	}
	if !strings.Contains(r.errOut, "--token=${CMD_SECRET} --verbose") || !strings.Contains(r.errOut, "error: login refused") {
		t.Errorf("stderr does not quote the command as written, with the program's message:\n%s", r.errOut)
	}

	r = h.run("call", "--config", cfg, "gh", "GET", "/x")
	if r.code == ExitOK || strings.Contains(r.out+r.errOut, value) {
		t.Errorf("call: exit %d, the argument's value in the output:\n%s%s", r.code, r.out, r.errOut)
	}

	r = h.run("providers", "--config", cfg)
	r.expect(t, ExitOK, "providers")
	if strings.Contains(r.out+r.errOut, value) || !strings.Contains(r.out, "${CMD_SECRET}") {
		t.Errorf("providers shows the value, or not the written form:\n%s%s", r.out, r.errOut)
	}
}
