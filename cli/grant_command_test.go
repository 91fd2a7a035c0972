package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// script writes an executable shell script under the harness's folder and
// returns its path: the program a command grant runs.
func (h *harness) script(name, body string) string {
	h.t.Helper()
	path := filepath.Join(h.dir, "bin", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		h.t.Fatal(err)
	}
	return path
}

// tomlList writes argv as a TOML array of strings.
func tomlList(argv ...string) string {
	b, _ := json.Marshal(argv) // a JSON array of strings is TOML too
	return string(b)
}

// TestCommandGrant drives the command grant through token, call and
// curl: plain output is the token, JSON output is mapped by
// token_response, and the arguments reach the program as written, with no
// shell in between.
func TestCommandGrant(t *testing.T) {
	h := newHarness(t)
	es := newEchoServer(t)
	argsFile := filepath.Join(h.dir, "args")
	pwned := filepath.Join(h.dir, "pwned")
	plain := h.script("plain", `printf '%s\n' "$@" > `+argsFile+"\necho cmd-token-Plain.123\n")
	exp := time.Now().Add(50 * time.Minute).Unix()
	az := h.script("az", `echo '{"accessToken": "cmd-token-Json.456", "expires_on": `+strconv.FormatInt(exp, 10)+`, "tokenType": "Bearer"}'`+"\n")
	hostile := []string{"$(touch " + pwned + ")", "a; touch " + pwned, "`touch " + pwned + "`", "*", "$HOME"}
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"file\"\n"+
		"[providers.gh]\nbase_url = \""+es.URL+"\"\ngrant = \"command\"\ncommand = "+tomlList(append([]string{plain}, hostile...)...)+"\n"+
		"[providers.az]\nbase_url = \""+es.URL+"\"\ngrant = \"command\"\ncommand = "+tomlList(az, "account", "get-access-token", "--output", "json")+"\n"+
		"token_response = { access_token = \"accessToken\", expires_at = \"expires_on\", token_type = \"tokenType\" }\n")

	r := h.run("token", "--config", cfg, "gh")
	r.expect(t, ExitOK, "token gh")
	if got := strings.TrimSpace(r.out); got != "cmd-token-Plain.123" {
		t.Fatalf("token gh printed %q", got)
	}
	args, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimSuffix(string(args), "\n"), "\n"); strings.Join(got, "|") != strings.Join(hostile, "|") {
		t.Errorf("the program got %q, want the arguments as written %q", got, hostile)
	}
	if _, err := os.Stat(pwned); err == nil {
		t.Fatal("an argument was run by a shell")
	}

	r = h.run("call", "--config", cfg, "gh", "GET", "/repos")
	r.expect(t, ExitOK, "call gh")
	last, _ := es.lastRequest()
	if got := strings.Join(last.Header["Authorization"], ","); got != "Bearer cmd-token-Plain.123" {
		t.Errorf("call gh sent Authorization %q", got)
	}

	r = h.run("token", "--config", cfg, "--json", "az")
	r.expect(t, ExitOK, "token --json az")
	tj := decodeTokenJSON(t, r.out)
	if tj.AccessToken != "cmd-token-Json.456" || tj.ExpiresAt == nil {
		t.Fatalf("token az: %+v", tj)
	}
	if at, err := time.Parse(time.RFC3339, *tj.ExpiresAt); err != nil || at.Unix() != exp {
		t.Errorf("expires_at %s, want the command's expires_on %d", *tj.ExpiresAt, exp)
	}
	r = h.run("call", "--config", cfg, "az", "GET", "/subscriptions")
	r.expect(t, ExitOK, "call az")
	if last, _ := es.lastRequest(); strings.Join(last.Header["Authorization"], ",") != "Bearer cmd-token-Json.456" {
		t.Errorf("call az sent Authorization %q", last.Header["Authorization"])
	}

	r = h.run("curl", "--config", cfg, "az", "GET", "/subscriptions")
	r.expect(t, ExitOK, "curl az")
	if strings.Contains(r.out, "cmd-token-Json.456") || !strings.Contains(r.out, "token az)") {
		t.Errorf("curl export: %s", r.out)
	}
	r = h.run("providers", "--config", cfg)
	r.expect(t, ExitOK, "providers")
	if !strings.Contains(r.out, "(command: "+az+" account get-access-token --output json)") {
		t.Errorf("providers does not say which command gives az's token:\n%s", r.out)
	}
}

// TestCommandGrantFailures: a command that fails, outlives the timeout,
// prints nothing, or prints more than a token exits 2 naming the provider
// and the command, with the first line of its stderr.
func TestCommandGrantFailures(t *testing.T) {
	h := newHarness(t)
	es := newEchoServer(t)
	fails := h.script("fails", "echo 'error: not logged in to github.com' >&2\necho 'run gh auth login' >&2\nexit 4\n")
	hangs := h.script("hangs", "echo waiting >&2\nexec sleep 30\n")
	quiet := h.script("quiet", "echo 'no account' >&2\n")
	chatty := h.script("chatty", "echo 'Your token is'\necho chatty-token-789\n")
	denied := h.script("denied", `echo '{"error": "AADSTS70043: the refresh token has expired"}'`+"\n")
	provider := func(name, script, extra string) string {
		return "[providers." + name + "]\nbase_url = \"" + es.URL + "\"\ngrant = \"command\"\ncommand = " + tomlList(script, "--flag") + "\n" + extra
	}
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n"+
		provider("fails", fails, "")+provider("hangs", hangs, "timeout = \"300ms\"\n")+provider("quiet", quiet, "")+
		provider("chatty", chatty, "")+provider("denied", denied, "")+
		provider("missing", filepath.Join(h.dir, "no-such-program"), ""))
	for _, c := range []struct {
		name string
		want []string
	}{
		{"fails", []string{"keyhole: fails: command " + fails + " --flag: exit status 4: error: not logged in to github.com\n", "hint: run the command yourself"}},
		{"hangs", []string{"keyhole: hangs: command " + hangs + " --flag: no token within 300ms (the provider's timeout): waiting\n", "hint: raise the provider's timeout"}},
		{"quiet", []string{"keyhole: quiet: command " + quiet + " --flag: printed no token: no account\n"}},
		{"chatty", []string{"printed more than one word, and not a JSON object"}},
		{"denied", []string{"keyhole: denied: command " + denied + " --flag: AADSTS70043: the refresh token has expired\n"}},
		{"missing", []string{"keyhole: missing: command ", "no-such-program"}},
	} {
		start := time.Now()
		for _, verb := range [][]string{{"token", c.name}, {"call", c.name, "GET", "/x"}} {
			r := h.run(append([]string{"--config", cfg}, verb...)...)
			r.expect(t, ExitToken, strings.Join(verb, " "))
			for _, w := range c.want {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("%s: stderr lacks %q:\n%s", strings.Join(verb, " "), w, r.errOut)
				}
			}
			if strings.Contains(r.errOut, "chatty-token-789") {
				t.Errorf("%s: the command's output is on stderr:\n%s", c.name, r.errOut)
			}
		}
		if c.name == "hangs" && time.Since(start) > 10*time.Second {
			t.Errorf("the hanging command held keyhole %v", time.Since(start))
		}
	}
	if _, n := es.lastRequest(); n != 0 {
		t.Errorf("the API got %d requests without a token", n)
	}
}

// TestCommandGrantConfig: the command grant's keys are checked with the
// file, line and key.
func TestCommandGrantConfig(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ text, want string }{
		{"[providers.a]\nbase_url = \"https://api.example.com\"\ngrant = \"command\"\n", ":3: providers.a.grant: grant command needs command"},
		{"[providers.a]\nbase_url = \"https://api.example.com\"\ngrant = \"command\"\ncommand = [\"\"]\n", ":3: providers.a.grant: grant command needs command"},
		{"[providers.a]\nbase_url = \"https://api.example.com\"\ngrant = \"static\"\ntoken = \"t\"\ncommand = [\"gh\"]\n", ":5: providers.a.command: command is only for grant = \"command\""},
		{"[providers.a]\nbase_url = \"https://api.example.com\"\ngrant = \"command\"\ncommand = \"gh auth token\"\n", "providers.a.command"},
	} {
		cfg := h.writeConfig("bad.toml", c.text)
		r := h.run("providers", "--config", cfg)
		r.expect(t, ExitUsage, c.text)
		if !strings.Contains(r.errOut, "bad.toml"+c.want) && !strings.Contains(r.errOut, c.want) {
			t.Errorf("%q: stderr %s, want %q", c.text, r.errOut, c.want)
		}
	}
}

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
