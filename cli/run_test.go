package cli

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/faults"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// The example folder the README points at runs green against the demo:
// create → read → delete → gone, chained by a capture.
func TestRunExampleFolderAgainstTheDemo(t *testing.T) {
	h := newHarness(t)
	srv, cfg := h.startDemo(demo.Options{})
	r := h.run("--config", cfg, "run", filepath.Join("..", "examples", "items"))
	r.expect(t, ExitOK, "run examples/items")
	if n := strings.Count(r.out, "PASS  "); n != 4 {
		t.Fatalf("want 4 passing requests, got %d:\n%s", n, r.out)
	}
	for _, want := range []string{"PASS  Create an item  201", "PASS  Read it back  200", "PASS  Delete it  204", "PASS  It is gone  404", "4 requests: 4 passed"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	if got := srv.Stats().Endpoints["/oauth2/token"]; got != 1 {
		t.Errorf("token requests: %d, want 1 (one token for the whole run)", got)
	}
}

// writeHTTP writes a .http file under the harness's folder.
func (h *harness) writeHTTP(name, text string) string {
	h.t.Helper()
	return h.writeConfig(name, text)
}

func TestRunExitCodes(t *testing.T) {
	es := newEchoServer(t)
	closed := faults.ClosedURL(t)
	cases := []struct {
		name, http string
		code       int
		want       string
	}{
		{"all pass", "# @provider api\nGET /a\n\n# @assert status == 200\n", ExitOK, "PASS"},
		{"a check fails", "# @provider api\nGET /a\n\n# @assert status == 201\n", 6, "t.http:4: @assert status == 201: found 200"},
		{"a status fails only through a check", "# @provider api\nGET /status/502\n", ExitOK, "PASS"},
		{"an unresolved variable is not sent; the rest runs", "### one\n# @provider api\nGET /{{nope}}\n\n### two\n# @provider api\nGET /b\n", 1, "{{nope}}"},
		{"a relative URL with no provider", "GET /a\n", 1, "needs a provider"},
		{"a network failure", "GET " + closed + "/x\n", 3, "FAIL"},
		{"a check that does not parse fails", "# @provider api\nGET /a\n\n# @assert status ~~ 2\n", 6, "does not parse"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", ""))
			file := h.writeHTTP("t.http", c.http)
			r := h.run("--config", cfg, "run", file)
			r.expect(t, c.code, c.name)
			if !strings.Contains(r.out+r.errOut, c.want) {
				t.Errorf("output lacks %q:\n%s\n%s", c.want, r.out, r.errOut)
			}
		})
	}
}

func TestRunParseProblemIsReportedAndTheOthersRun(t *testing.T) {
	_, h, cfg := apiAtEcho(t, "tok-1")
	file := h.writeHTTP("t.http", "### bad\nNOT A REQUEST LINE AT ALL\n\n### good\n# @provider api\nGET /ok\n")
	r := h.run("--config", cfg, "run", file)
	r.expect(t, 1, "a block that does not parse")
	if !strings.Contains(r.errOut, "t.http:2") {
		t.Errorf("the problem is not named with file:line:\n%s", r.errOut)
	}
	if !strings.Contains(r.out, "PASS  good") {
		t.Errorf("the good request did not run:\n%s", r.out)
	}
}

func TestRunNameGlob(t *testing.T) {
	_, h, cfg := apiAtEcho(t, "tok-1")
	file := h.writeHTTP("t.http", "### create item\n# @provider api\nPOST /a\n\n### read item\n# @provider api\nGET /b\n")
	r := h.run("--config", cfg, "run", file, "--name", "read*")
	r.expect(t, ExitOK, "--name read*")
	if strings.Contains(r.out, "create item") || !strings.Contains(r.out, "read item") {
		t.Errorf("--name ran the wrong requests:\n%s", r.out)
	}
	h.run("--config", cfg, "run", file, "--name", "zzz*").expect(t, 1, "--name matching nothing")
}

// A capture feeds the next request, and VS Code's response reference
// reads a named request's answer.
func TestRunCapturesAndResponseReferences(t *testing.T) {
	_, h, cfg := apiAtEcho(t, "tok-1")
	file := h.writeHTTP("t.http", `### first
# @provider api
POST /first
Content-Type: application/json

{"hello": "world"}

# @capture said = body.method
# @capture = body.method

### second
# @provider api
GET /second/{{said}}?ref={{first.response.body.$.uri}}

# @assert body.uri == "/second/POST?ref=/first"
`)
	r := h.run("--config", cfg, "run", file)
	r.expect(t, 1, "a capture path that is not one of the four forms")
	if !strings.Contains(r.out+r.errOut, "t.http:9") {
		t.Errorf("the bad capture is not named with its line:\n%s%s", r.out, r.errOut)
	}
	good := strings.Replace(string(mustRead(t, file)), "# @capture = body.method\n", "", 1)
	os.WriteFile(file, []byte(good), 0o600)
	r = h.run("--config", cfg, "run", file)
	r.expect(t, ExitOK, "a capture and a response reference")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// {{$auth.token("api")}} puts the provider's token exactly where the
// header says, adds no second Authorization, and keeps it out of every
// output; plain http to a host that is not loopback is refused.
func TestRunAuthTokenGoesExactlyWhereItStands(t *testing.T) {
	es := newEchoServer(t)
	other := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-secret-123", ""))
	file := h.writeHTTP("t.http", "### to another origin\nGET "+other.URL+"/x\nX-Api-Token: Token {{$auth.token(\"api\")}}\n\n### over plain http to a public host\nGET http://api.example.com/x\nAuthorization: Bearer {{$auth.token(\"api\")}}\n")
	junit := filepath.Join(h.dir, "report.xml")
	r := h.run("--config", cfg, "run", file, "--junit", junit)
	r.expect(t, 1, "the second request is refused")
	got, n := other.lastRequest()
	if n != 1 {
		t.Fatalf("the other origin got %d requests, want 1", n)
	}
	if v := got.Header["X-Api-Token"]; len(v) != 1 || v[0] != "Token tok-secret-123" {
		t.Errorf("X-Api-Token = %q", v)
	}
	if v := got.Header["Authorization"]; len(v) != 0 {
		t.Errorf("a second Authorization went out: %q", v)
	}
	if !strings.Contains(r.out, "token sent to "+other.URL) {
		t.Errorf("the origin the token went to is not shown:\n%s", r.out)
	}
	if !strings.Contains(r.out, "loopback") {
		t.Errorf("the http refusal does not say why:\n%s", r.out)
	}
	report := string(mustRead(t, junit))
	for _, out := range []string{r.out, r.errOut, report} {
		if strings.Contains(out, "tok-secret-123") {
			t.Fatalf("the token leaked:\n%s", out)
		}
	}
}

func TestRunJSONAndJUnit(t *testing.T) {
	_, h, cfg := apiAtEcho(t, "tok-1")
	file := h.writeHTTP("suite.http", "### ok\n# @provider api\nGET /a\n\n# @assert status == 200\n\n### bad\n# @provider api\nGET /b\n\n# @assert status == 404\n# @assert body.method == \"GET\"\n")
	junit := filepath.Join(h.dir, "out", "report.xml")
	os.MkdirAll(filepath.Dir(junit), 0o700)
	r := h.run("--config", cfg, "run", file, "--json", "--junit", junit)
	r.expect(t, 6, "a failed check")
	var rep struct {
		Results []struct {
			Name, Outcome string
			Status        int
			Checks        []struct{ Pass bool }
		}
		ExitCode int `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("--json is not JSON: %v\n%s", err, r.out)
	}
	if len(rep.Results) != 2 || rep.Results[0].Outcome != "passed" || rep.Results[1].Outcome != "failed" || rep.ExitCode != 6 ||
		len(rep.Results[1].Checks) != 2 || rep.Results[1].Checks[0].Pass || !rep.Results[1].Checks[1].Pass {
		t.Errorf("--json: %+v", rep)
	}
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(mustRead(t, junit), &suites); err != nil {
		t.Fatalf("JUnit is not XML: %v", err)
	}
	if suites.Tests != 2 || suites.Failures != 1 || len(suites.Suites) != 1 || suites.Suites[0].Cases[1].Failure == nil || suites.Suites[0].Cases[0].Failure != nil {
		t.Errorf("JUnit: %+v", suites)
	}
}

// A token that cannot be had sends nothing: a refused client is exit 2,
// and a token endpoint nobody answers is a network failure, exit 3, as
// call's.
func TestRunTokenFailures(t *testing.T) {
	srv, _ := newHarness(t).startDemo(demo.Options{})
	closed := faults.ClosedURL(t)
	for _, c := range []struct {
		name, base, tokenURL, secret string
		code                         int
		want                         string
	}{
		{"a refused client", srv.URL(), srv.URL() + "/oauth2/token", "wrong", 2, ""},
		{"an unreachable token endpoint", closed, closed + "/token", "y", 3, "1 network"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			cfg := h.writeConfig("k.toml", `[settings]
token_cache = "memory"

[providers.api]
base_url = "`+c.base+`"
grant = "client_credentials"
token_url = "`+c.tokenURL+`"
client_id = "demo-cc"
client_secret = "`+c.secret+`"
`)
			file := h.writeHTTP("t.http", "# @provider api\nGET /api/me\n")
			r := h.run("--config", cfg, "run", file)
			r.expect(t, c.code, c.name)
			if srv.Stats().Endpoints["/api/me"] != 0 {
				t.Error("the request went out without a token")
			}
			if !strings.Contains(r.out, c.want) {
				t.Errorf("the summary does not say %q:\n%s", c.want, r.out)
			}
		})
	}
}

// A .env beside the .http file that is a symbolic link (to another
// file's secrets) or a FIFO is refused, as the env files are: the request
// that needs $dotenv is not sent, the error names the file, and nothing
// waits for a FIFO's writer. A plain .env still works.
func TestRunDotenvIsNeverReadThroughALinkOrAFIFO(t *testing.T) {
	es := newEchoServer(t)
	for _, c := range []struct {
		name  string
		plant func(t *testing.T, env string)
		code  int
		want  string
	}{
		{"a regular file", func(t *testing.T, env string) {
			if err := os.WriteFile(env, []byte("KEY=dot-key-value\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, ExitOK, "PASS"},
		{"a link to another file", func(t *testing.T, env string) {
			other := filepath.Join(t.TempDir(), "secrets")
			if err := os.WriteFile(other, []byte("KEY=elsewhere-secret-1\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(other, env); err != nil {
				t.Skip("no symbolic links here:", err)
			}
		}, 1, "symbolic link"},
		{"a FIFO", func(t *testing.T, env string) {
			if err := mkfifo(env); err != nil {
				t.Skip("no mkfifo here:", err)
			}
		}, 1, "not a regular file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", ""))
			file := h.writeHTTP("c/t.http", "# @provider api\nGET /dotenv?k={{$dotenv KEY}}\n")
			c.plant(t, filepath.Join(filepath.Dir(file), ".env"))
			_, before := es.lastRequest()
			done := make(chan result, 1)
			go func() { done <- h.run("--config", cfg, "run", file) }()
			var r result
			select {
			case r = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the run still waits after 10s: the .env was opened as it stands")
			}
			r.expect(t, c.code, c.name)
			if !strings.Contains(r.out+r.errOut, c.want) {
				t.Errorf("output lacks %q:\n%s\n%s", c.want, r.out, r.errOut)
			}
			if strings.Contains(r.out+r.errOut, "elsewhere-secret-1") {
				t.Errorf("the linked file's secret was shown:\n%s\n%s", r.out, r.errOut)
			}
			last, after := es.lastRequest()
			switch {
			case c.code == ExitOK && (after != before+1 || last.RequestURI != "/dotenv?k=dot-key-value"):
				t.Errorf("the request with a plain .env: %d sent, last %+v", after-before, last)
			case c.code != ExitOK && after != before:
				t.Errorf("a request was sent with the %s's value: %+v", c.name, last)
			}
		})
	}
}

// {{$auth.idToken("NAME")}} sends the ID token the provider's answer
// carried, masked in every output; a provider whose answer carried none
// is said by name, and nothing is sent.
func TestRunAuthIDToken(t *testing.T) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"access-1","token_type":"Bearer","expires_in":3600,"id_token":"id-token-secret-9"}`)
	}))
	defer tokens.Close()
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"access-2","token_type":"Bearer","expires_in":3600}`)
	}))
	defer bare.Close()
	es := newEchoServer(t)
	h := newHarness(t)
	provider := func(name, tokenURL string) string {
		return "[providers." + name + "]\nbase_url = \"" + es.URL + "\"\ngrant = \"client_credentials\"\ntoken_url = \"" + tokenURL + "\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
	}
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n\n"+provider("oidc", tokens.URL)+"\n"+provider("plain", bare.URL))
	file := h.writeHTTP("t.http", "### with\nGET "+es.URL+"/x\nX-Id-Token: {{$auth.idToken(\"oidc\")}}\n\n### without\nGET "+es.URL+"/y\nX-Id-Token: {{$auth.idToken(\"plain\")}}\n")
	r := h.run("--config", cfg, "run", file, "--json")
	r.expect(t, 2, "a provider without an ID token")
	got, n := es.lastRequest()
	if n != 1 || got.Header["X-Id-Token"][0] != "id-token-secret-9" || len(got.Header["Authorization"]) != 0 {
		t.Fatalf("want one request with the ID token and no Authorization: %d, %v", n, got)
	}
	if !strings.Contains(r.out, "carried no ID token") {
		t.Errorf("the missing ID token is not said:\n%s", r.out)
	}
	if strings.Contains(r.out+r.errOut, "id-token-secret-9") {
		t.Errorf("the ID token leaked:\n%s%s", r.out, r.errOut)
	}
}

// The JUnit file is written whole and private, and never through a link
// planted at its path: the link is replaced, its target left alone.
func TestRunJUnitFileIsPrivateAndFollowsNoLink(t *testing.T) {
	_, h, cfg := apiAtEcho(t, "tok-1")
	file := h.writeHTTP("t.http", "# @provider api\nGET /a\n")
	junit := filepath.Join(h.dir, "report.xml")
	h.run("--config", cfg, "run", file, "--junit", junit).expect(t, ExitOK, "--junit")
	fi, err := os.Stat(junit)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("report: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	target := filepath.Join(h.dir, "elsewhere.txt")
	os.WriteFile(target, []byte("keep me"), 0o600)
	link := filepath.Join(h.dir, "link.xml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	h.run("--config", cfg, "run", file, "--junit", link).expect(t, ExitOK, "--junit at a link")
	if got := string(mustRead(t, target)); got != "keep me" {
		t.Fatalf("the link's target was written: %q", got)
	}
	if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the report at the link's path: %v, %v; want a private regular file", err, fi)
	}
}

// The env files beside the .http files give the environments; --env picks
// one, and its values reach the requests.
func TestRunEnvironmentsFromTheFilesBeside(t *testing.T) {
	a, b := newEchoServer(t), newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n")
	file := h.writeHTTP("api/t.http", "GET {{host}}/x\nX-Key: {{key}}\n\n# @assert status == 200\n")
	h.writeConfig("api/http-client.env.json", `{"a": {"host": "`+a.URL+`", "key": "public-a"}, "b": {"host": "`+b.URL+`", "key": "public-b"}}`)
	h.writeConfig("api/http-client.private.env.json", `{"b": {"key": "private-b-secret"}}`)
	h.run("--config", cfg, "run", file, "--env", "a").expect(t, ExitOK, "--env a")
	if got, n := a.lastRequest(); n != 1 || got.Header["X-Key"][0] != "public-a" {
		t.Fatalf("environment a: %d requests, %v", n, got)
	}
	r := h.run("--config", cfg, "run", file, "--env", "b", "--json")
	r.expect(t, ExitOK, "--env b")
	got, n := b.lastRequest()
	if n != 1 || got.Header["X-Key"][0] != "private-b-secret" {
		t.Fatalf("environment b: the private file's value should win: %d requests, %v", n, got)
	}
	if strings.Contains(r.out+r.errOut, "private-b-secret") {
		t.Errorf("a private env value leaked into the output:\n%s%s", r.out, r.errOut)
	}
	r = h.run("--config", cfg, "run", file, "--env", "nope")
	r.expect(t, ExitUsage, "an unknown environment")
	if !strings.Contains(r.errOut, "a") || !strings.Contains(r.errOut, "b") || !strings.Contains(r.errOut, "nope") {
		t.Errorf("the error does not name the known environments:\n%s", r.errOut)
	}
}

// In a dangerous environment a write is not sent without --yes; a read is.
func TestRunRefusesWritesInADangerousEnvironment(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", "")+`
[environments.production]
vars = { who = "prod" }
`)
	file := h.writeHTTP("t.http", "### read\n# @provider api\nGET /read\n\n### write\n# @provider api\nDELETE /items/{{who}}\n")
	r := h.run("--config", cfg, "run", file, "--env", "production")
	r.expect(t, ExitUsage, "a DELETE in production without --yes")
	if !strings.Contains(r.out, "production") || !strings.Contains(r.out, "--yes") {
		t.Errorf("the refusal does not name the environment and --yes:\n%s", r.out)
	}
	if got, n := es.lastRequest(); n != 1 || got.Method != "GET" {
		t.Fatalf("want only the GET sent, got %d requests, last %v", n, got)
	}
	h.run("--config", cfg, "run", file, "--env", "production", "--yes").expect(t, ExitOK, "with --yes")
	if got, n := es.lastRequest(); n != 3 || got.Method != "DELETE" || got.RequestURI != "/items/prod" {
		t.Fatalf("with --yes: %d requests, last %v", n, got)
	}
}

// Collections from the config: relative to the config's folder.
func TestRunConfiguredCollections(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("conf/k.toml", "[settings]\ntoken_cache = \"memory\"\ncollections = [\"requests/\", \"more/*.http\"]\n\n[providers.api]\nbase_url = \""+es.URL+"\"\ngrant = \"static\"\ntoken = \"t\"\n")
	h.writeHTTP("conf/requests/a.http", "### a\n# @provider api\nGET /a\n")
	h.writeHTTP("conf/more/b.http", "### b\n# @provider api\nGET /b\n")
	h.writeHTTP("conf/more/c.txt", "GET /c\n")
	r := h.run("--config", cfg, "run")
	r.expect(t, ExitOK, "the configured collections")
	if !strings.Contains(r.out, "PASS  a") || !strings.Contains(r.out, "PASS  b") || strings.Contains(r.out, "/c") {
		t.Errorf("ran the wrong requests:\n%s", r.out)
	}
	if _, n := es.lastRequest(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestRunHelpExampleRuns: the example of keyhole run --help that names
// the repository's example collection runs as written (from the
// repository's root, with no config: the built-in demo). It named
// examples/items.http, a file that does not exist.
func TestRunHelpExampleRuns(t *testing.T) {
	h := newHarness(t)
	help := h.run("run", "--help")
	help.expect(t, ExitOK, "run --help")
	var arg string
	for line := range strings.Lines(help.out) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "keyhole" && f[1] == "run" && strings.HasPrefix(f[2], "examples/") {
			arg = f[2]
		}
	}
	if arg == "" {
		t.Fatalf("run --help names no example of examples/:\n%s", help.out)
	}
	r := h.run("run", filepath.Join("..", filepath.FromSlash(arg)))
	r.expect(t, ExitOK, "keyhole run "+arg)
	r.outHas(t, "4 requests: 4 passed")
}

// TestRunNetworkFailureWithoutProvider: a request to a full URL that names
// no provider, whose server hangs up without answering, is reported as
// "FILE:LINE: request: ..." in the lines, the JSON and the JUnit report;
// it read "FILE:LINE: : request: ...", the empty provider's name before
// its colon.
func TestRunNetworkFailureWithoutProvider(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", srv.URL, "tok-1", ""))
	file := h.writeHTTP("t.http", "### hang up\nGET "+srv.URL+"/x\n")
	junit := filepath.Join(h.dir, "report.xml")
	r := h.run("--config", cfg, "run", file, "--junit", junit)
	r.expect(t, ExitNetwork, "a server that hangs up")
	r.outHas(t, "t.http:2: request: GET "+srv.URL+"/x: ")
	js := h.run("--config", cfg, "run", file, "--json")
	js.expect(t, ExitNetwork, "run --json")
	report, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	for what, out := range map[string]string{"lines": r.out, "stderr": r.errOut, "--json": js.out, "JUnit": string(report)} {
		if strings.Contains(out, ": : ") || strings.Contains(out, `": request`) {
			t.Errorf("%s name an empty provider:\n%s", what, out)
		}
	}
}

// TestRunJSONExitCodeIsTheProcessExitCode: run --json's exit_code is the
// code keyhole exits with, for a CI step that reads the report rather
// than $?. A --name that matched nothing said 0 and exited 1.
func TestRunJSONExitCodeIsTheProcessExitCode(t *testing.T) {
	_, h, cfg := apiAtEcho(t, "tok-1")
	file := h.writeHTTP("t.http", "### one\n# @provider api\nGET /a\n\n# @assert status == 201\n")
	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"a check fails", nil, 6},
		{"--name matches nothing", []string{"--name", "zzz*"}, ExitUsage},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.run(append([]string{"--config", cfg, "run", file, "--json"}, c.args...)...)
			r.expect(t, c.code, c.name)
			var rep struct {
				Exit *int `json:"exit_code"`
			}
			if err := json.Unmarshal([]byte(r.out), &rep); err != nil || rep.Exit == nil || *rep.Exit != c.code {
				t.Errorf("exit_code in the report is not %d (%v):\n%s", c.code, err, r.out)
			}
		})
	}
}

// TestRunJUnitToAMissingFolderSendsNothing: --junit naming a file in a
// folder that does not exist (or a folder) is a usage error before any
// request goes out, naming the file; it ran every request, the POSTs
// included, then failed on a temporary file's name, the results unsaid.
func TestRunJUnitToAMissingFolderSendsNothing(t *testing.T) {
	es, h, cfg := apiAtEcho(t, "tok-1")
	file := h.writeHTTP("t.http", "### create\n# @provider api\nPOST /items\n\n{}\n")
	for _, junit := range []string{filepath.Join(h.dir, "reports", "junit.xml"), h.dir} {
		r := h.run("--config", cfg, "run", file, "--junit", junit)
		r.expect(t, ExitUsage, "--junit "+junit)
		r.errHas(t, "--junit "+junit+": ")
		if strings.Contains(r.errOut, ".tmp-") {
			t.Errorf("the error names a temporary file:\n%s", r.errOut)
		}
		if _, n := es.lastRequest(); n != 0 {
			t.Fatalf("--junit %s: %d requests sent before the report could not be written", junit, n)
		}
	}
}
