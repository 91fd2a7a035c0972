package cli

import (
	"encoding/json"
	"encoding/xml"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	closed := closedPort(t)
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

// closedPort is a loopback URL nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestRunParseProblemIsReportedAndTheOthersRun(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", ""))
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
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", ""))
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
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", ""))
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
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", ""))
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

// A token request that fails is exit 2, and nothing is sent.
func TestRunTokenFailure(t *testing.T) {
	h := newHarness(t)
	srv, _ := h.startDemo(demo.Options{})
	cfg := h.writeConfig("bad.toml", `[settings]
token_cache = "memory"

[providers.api]
base_url = "`+srv.URL()+`"
grant = "client_credentials"
token_url = "`+srv.URL()+`/oauth2/token"
client_id = "demo-cc"
client_secret = "wrong"
`)
	file := h.writeHTTP("t.http", "# @provider api\nGET /api/me\n")
	r := h.run("--config", cfg, "run", file)
	r.expect(t, 2, "a refused client")
	if srv.Stats().Endpoints["/api/me"] != 0 {
		t.Error("the request went out without a token")
	}
}

// A token endpoint nobody answers is a network failure: exit 3, as call's.
func TestRunTokenEndpointUnreachable(t *testing.T) {
	h := newHarness(t)
	closed := closedPort(t)
	cfg := h.writeConfig("k.toml", `[settings]
token_cache = "memory"

[providers.api]
base_url = "`+closed+`"
grant = "client_credentials"
token_url = "`+closed+`/token"
client_id = "x"
client_secret = "y"
`)
	file := h.writeHTTP("t.http", "# @provider api\nGET /api/me\n")
	r := h.run("--config", cfg, "run", file)
	r.expect(t, 3, "an unreachable token endpoint")
	if !strings.Contains(r.out, "1 network") {
		t.Errorf("the summary does not say network:\n%s", r.out)
	}
}
