package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/internal/shellword/shelltest"
)

func TestCurlRoundTrip(t *testing.T) {
	shelltest.RequireCurl(t)
	const token = "tok-Abc.123_~XYZ"
	pathDir, argsFile := shelltest.FakeKeyhole(t, token)
	h := newHarness(t)
	es := newEchoServer(t)
	base := es.URL + "/base"
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n"+
		"[providers.api]\nbase_url = \""+base+"\"\ngrant = \"static\"\ntoken = \"config-token-never-printed\"\n"+
		"[providers.q]\nbase_url = \""+base+"\"\ngrant = \"static\"\ntoken = \"t\"\ninject = { query = \"access_token\" }\n"+
		"[providers.raw]\nbase_url = \""+base+"\"\ngrant = \"static\"\ntoken = \"t\"\ninject = { header = \"X-Api-Token\", prefix = \"\" }\n"+
		"[providers.\"odd name's\"]\nbase_url = \""+base+"\"\ngrant = \"static\"\ntoken = \"t\"\n")
	absCfg, _ := filepath.Abs(cfg)
	bodyFile := filepath.Join(h.dir, "body with space's.bin")
	fileBody := "line 1\r\nline 2 'quoted' $X `y`\n\x00\x01 end"
	if err := os.WriteFile(bodyFile, []byte(fileBody), 0o600); err != nil {
		t.Fatal(err)
	}
	nastyHeader := `it's "$HOME" ` + "`id` $(id)" + ` \ back \\ !! *`
	nastyJSON := `{"msg": "it's \"$HOME\" ` + "`id`" + ` $(id) \\ back", "n": [1, 2]}`
	nastyForm := "a=1&b='x'$y`z`&c=line1\nline2"
	for _, c := range []struct {
		name      string
		provider  string
		args      []string
		stdin     string
		method    string
		uri       string
		body      string
		header    map[string]string
		noHeader  []string
		wantInCmd []string
	}{
		{name: "GET with header token", provider: "api", args: []string{"GET", "/items?page=2"}, method: "GET", uri: "/base/items?page=2",
			header: map[string]string{"Authorization": "Bearer " + token}, wantInCmd: []string{`-H "Authorization: Bearer $(keyhole --config ` + shellword.Quote(absCfg) + ` token api)"`}},
		{name: "nasty header", provider: "api", args: []string{"GET", "/h", "-H", "X-Nasty: " + nastyHeader, "-H", "X-Empty:"}, method: "GET", uri: "/base/h",
			header: map[string]string{"X-Nasty": nastyHeader, "Authorization": "Bearer " + token}},
		{name: "user Authorization is replaced by the token's", provider: "api", args: []string{"GET", "/h", "-H", "Authorization: Basic dXNlcjpwYXNz"}, method: "GET", uri: "/base/h",
			header: map[string]string{"Authorization": "Bearer " + token}},
		{name: "POST nasty JSON", provider: "api", args: []string{"POST", "/items", "-d", nastyJSON}, method: "POST", uri: "/base/items", body: nastyJSON,
			header: map[string]string{"Content-Type": "application/json"}},
		{name: "PUT nasty form", provider: "api", args: []string{"PUT", "/f", "-d", nastyForm}, method: "PUT", uri: "/base/f", body: nastyForm,
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
		{name: "stdin starting with @", provider: "api", args: []string{"POST", "/at", "-d", "@-", "-H", "Content-Type: text/plain"}, stdin: "@not-a-file", method: "POST", uri: "/base/at", body: "@not-a-file",
			header: map[string]string{"Content-Type": "text/plain"}, wantInCmd: []string{"--data-raw @not-a-file"}},
		{name: "-d @file", provider: "api", args: []string{"PATCH", "/file", "-d", "@" + bodyFile}, method: "PATCH", uri: "/base/file", body: fileBody,
			wantInCmd: []string{"--data-binary " + shellword.Quote("@"+bodyFile)}},
		{name: "DELETE", provider: "api", args: []string{"DELETE", "/items/1"}, method: "DELETE", uri: "/base/items/1", wantInCmd: []string{"-X DELETE"}},
		{name: "HEAD", provider: "api", args: []string{"HEAD", "/items/1"}, method: "HEAD", uri: "/base/items/1", wantInCmd: []string{"--head"}},
		{name: "GET with a body", provider: "api", args: []string{"GET", "/search", "-d", `{"q": 1}`}, method: "GET", uri: "/base/search", body: `{"q": 1}`},
		{name: "odd path", provider: "api", args: []string{"GET", "/it's/$x/(y)"}, method: "GET", uri: "/base/it's/$x/(y)"},
		{name: "brackets in the query", provider: "api", args: []string{"GET", "/q?a[0]=1&b={x}"}, method: "GET", uri: "/base/q?a[0]=1&b={x}", wantInCmd: []string{" -g "}},
		{name: "dot segments", provider: "api", args: []string{"GET", "/a/../b/./c"}, method: "GET", uri: "/base/a/../b/./c", wantInCmd: []string{"--path-as-is"}},
		{name: "query injection", provider: "q", args: []string{"GET", "/q?x=1&access_token=old&y=2"}, method: "GET", uri: "/base/q?x=1&y=2&access_token=" + token,
			noHeader: []string{"Authorization"}, wantInCmd: []string{`&access_token=$(keyhole`}},
		{name: "query injection, no query", provider: "q", args: []string{"POST", "/q", "-d", "a=b"}, method: "POST", uri: "/base/q?access_token=" + token, body: "a=b"},
		{name: "header without prefix", provider: "raw", args: []string{"GET", "/r"}, method: "GET", uri: "/base/r",
			header: map[string]string{"X-Api-Token": token}, noHeader: []string{"Authorization"}, wantInCmd: []string{`-H "X-Api-Token: $(keyhole`}},
		{name: "odd provider name", provider: "odd name's", args: []string{"GET", "/o"}, method: "GET", uri: "/base/o",
			header: map[string]string{"Authorization": "Bearer " + token}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h.stdin = nil
			if c.stdin != "" {
				in := filepath.Join(t.TempDir(), "stdin")
				if err := os.WriteFile(in, []byte(c.stdin), 0o600); err != nil {
					t.Fatal(err)
				}
				f, err := os.Open(in)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				h.stdin = f
			}
			r := h.run(append([]string{"curl", "--config", cfg, c.provider}, c.args...)...)
			r.expect(t, ExitOK, c.name)
			cmd := r.out
			if strings.Contains(cmd, "config-token-never-printed") || strings.Contains(cmd, token) {
				t.Fatalf("the command holds a token:\n%s", cmd)
			}
			for _, s := range c.wantInCmd {
				if !strings.Contains(cmd, s) {
					t.Errorf("command lacks %q:\n%s", s, cmd)
				}
			}
			for _, shell := range shelltest.Shells(t) {
				_, before := es.lastRequest()
				run := exec.Command(shell, "-c", "set -e\n"+cmd)
				run.Env = []string{"PATH=" + pathDir + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=/nonexistent-home"}
				if out, err := run.CombinedOutput(); err != nil {
					t.Fatalf("%s: the printed command failed: %v\n%s\ncommand:\n%s", shell, err, out, cmd)
				}
				got, after := es.lastRequest()
				if after != before+1 {
					t.Fatalf("%s: the server saw %d requests, want 1", shell, after-before)
				}
				if got.Method != c.method || got.RequestURI != c.uri || got.Body != c.body {
					t.Errorf("%s: server saw %s %s %q\nwant %s %s %q\ncommand:\n%s", shell, got.Method, got.RequestURI, got.Body, c.method, c.uri, c.body, cmd)
				}
				for k, v := range c.header {
					if g := got.Header[k]; len(g) != 1 || g[0] != v {
						t.Errorf("%s: %s = %q, want %q\ncommand:\n%s", shell, k, g, v, cmd)
					}
				}
				for _, k := range c.noHeader {
					if g, ok := got.Header[k]; ok {
						t.Errorf("%s: unexpected %s: %q", shell, k, g)
					}
				}
				args, err := os.ReadFile(argsFile)
				if err != nil {
					t.Fatalf("%s: keyhole was not run: %v", shell, err)
				}
				if want := "--config\n" + absCfg + "\ntoken\n" + c.provider + "\n"; string(args) != want {
					t.Errorf("%s: keyhole ran with %q, want %q", shell, args, want)
				}
			}
		})
	}
}

func TestCurlConfigFlag(t *testing.T) {
	h := newHarness(t)
	es := newEchoServer(t)
	text := staticConfig("api", es.URL, "t", "")
	// At the default location, the command needs no --config.
	def := DefaultConfigPath(func(k string) string { return h.vars[k] })
	if err := os.MkdirAll(filepath.Dir(def), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(def, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.run("curl", "api", "GET", "/x")
	r.expect(t, ExitOK, "curl with the default config")
	if !strings.Contains(r.out, `"Authorization: Bearer $(keyhole token api)"`) {
		t.Errorf("command:\n%s", r.out)
	}
	// Named by $KEYHOLE_CONFIG (relative, even): the command names it, absolute.
	h.writeConfig("rel.toml", text)
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, filepath.Join(h.dir, "rel.toml"))
	if err != nil {
		t.Fatal(err)
	}
	h.vars["KEYHOLE_CONFIG"] = rel
	r = h.run("curl", "api", "GET", "/x")
	r.expect(t, ExitOK, "curl with $KEYHOLE_CONFIG")
	if !strings.Contains(r.out, "$(keyhole --config "+shellword.Quote(filepath.Join(h.dir, "rel.toml"))+" token api)") {
		t.Errorf("command:\n%s", r.out)
	}
	// The secret's ${VAR} need not be set to print the command: the
	// printed keyhole token needs it, where it runs. base_url's must be.
	delete(h.vars, "KEYHOLE_CONFIG")
	unset := h.writeConfig("unset.toml", staticConfig("api", "${API_BASE}", "${API_TOKEN}", ""))
	r = h.run("curl", "--config", unset, "api", "GET", "/x")
	r.expect(t, ExitUsage, "curl with base_url unset")
	if !strings.Contains(r.errOut, "${API_BASE}") {
		t.Errorf("stderr does not name the variable: %s", r.errOut)
	}
	h.vars["API_BASE"] = es.URL
	h.run("curl", "--config", unset, "api", "GET", "/x").expect(t, ExitOK, "curl with only the secret unset")
}

func TestCurlMasksOtherSecrets(t *testing.T) {
	h := newHarness(t)
	es := newEchoServer(t)
	hostPort := strings.TrimPrefix(es.URL, "http://")
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "t", ""))
	secrets := []string{"s3cr3t-query", "cookie-val", "key-123", "Zm9vOmJhcg==", "hunter2", "url-pass"}
	args := []string{"curl", "--config", cfg, "api", "POST", "http://user:url-pass@" + hostPort + "/x?client_secret=s3cr3t-query&keep=1",
		"-H", "Cookie: sid=cookie-val", "-H", "X-Api-Key: key-123", "-H", "Proxy-Authorization: Basic Zm9vOmJhcg==", "-H", "X-Plain: visible",
		"-d", "user=me&password=hunter2"}
	r := h.run(args...)
	r.expect(t, ExitOK, "curl with secrets")
	for _, s := range secrets {
		if strings.Contains(r.out+r.errOut, s) {
			t.Errorf("%q was printed:\n%s", s, r.out)
		}
	}
	for _, s := range []string{"client_secret=••••", "keep=1", "Cookie: ••••", "X-Api-Key: ••••", "Proxy-Authorization: Basic ••••", "X-Plain: visible", "user=me&password=••••", "user:••••@"} {
		if !strings.Contains(r.out, s) {
			t.Errorf("command lacks %q:\n%s", s, r.out)
		}
	}
	if !strings.Contains(r.errOut, "--reveal") {
		t.Errorf("stderr does not say how to reveal: %q", r.errOut)
	}
	r = h.run(append(args, "--reveal")...)
	r.expect(t, ExitOK, "curl --reveal")
	for _, s := range secrets {
		if !strings.Contains(r.out, s) {
			t.Errorf("--reveal hides %q:\n%s", s, r.out)
		}
	}
}

func TestCurlRefusals(t *testing.T) {
	h := newHarness(t)
	home, other := newEchoServer(t), newEchoServer(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", home.URL, "t", ""))
	r := h.run("curl", "demo-cc", "GET", "/api/me")
	r.expect(t, ExitUsage, "curl on the built-in demo")
	if !strings.Contains(r.errOut, "serve-demo") {
		t.Errorf("stderr does not point at serve-demo: %s", r.errOut)
	}
	r = h.run("curl", "--config", cfg, "api", "GET", other.URL+"/x")
	r.expect(t, ExitOK, "curl to another origin")
	if strings.Contains(r.out, "keyhole") || !strings.Contains(r.errOut, "not sent there") {
		t.Errorf("a foreign origin got the token:\n%s\n%s", r.out, r.errOut)
	}
	r = h.run("curl", "--config", cfg, "api", "GET", other.URL+"/x", "--send-token")
	r.expect(t, ExitOK, "curl --send-token")
	if !strings.Contains(r.out, "$(keyhole") {
		t.Errorf("--send-token left the token out:\n%s", r.out)
	}
}

// TestCurlBodyAShellCannotCarry: a body from standard input that holds a
// NUL byte cannot be a shell word (bash drops it, with a warning, and
// sends another body): keyhole curl says so and prints no command, where
// it printed one with the NUL inside. A body sent with -d @FILE is read
// by curl from the file, NUL and all, and stays exportable.
func TestCurlBodyAShellCannotCarry(t *testing.T) {
	_, h, cfg := apiAtEcho(t, "tok-1")
	body := h.writeConfig("body.bin", "a\x00b")
	f, err := os.Open(body)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h.stdin = f
	r := h.run("--config", cfg, "curl", "api", "POST", "/x", "-d", "@-")
	r.expect(t, ExitUsage, "a NUL in a body from stdin")
	r.errHas(t, "NUL", "-d @FILE")
	if r.out != "" {
		t.Errorf("a command was printed:\n%q", r.out)
	}
	h.stdin = nil
	r = h.run("--config", cfg, "curl", "api", "POST", "/x", "-d", "@"+body)
	r.expect(t, ExitOK, "a NUL in a body file")
	r.outHas(t, "--data-binary")
}
