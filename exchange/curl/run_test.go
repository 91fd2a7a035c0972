package curl

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/internal/shellword/shelltest"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestCurlCommandSendsWhatSendSends runs each exported command with a
// shell and curl against a server on 127.0.0.1, a fake keyhole on PATH
// printing the token, and checks the server saw exactly what Send sends
// for the same request: method, path and query, headers, body.
func TestCurlCommandSendsWhatSendSends(t *testing.T) {
	shelltest.RequireCurl(t)
	const token = "tok-Abc.123_~XYZ"
	pathDir, argsFile := shelltest.FakeKeyhole(t, token)
	rec := exchangetest.NewRecorder(t, nil)
	base := rec.URL + "/base"
	empty := ""
	ps := map[string]*config.Provider{
		"api":        {Name: "api", BaseURL: base},
		"q":          {Name: "q", BaseURL: base, Inject: &config.Inject{Query: "access_token"}},
		"raw":        {Name: "raw", BaseURL: base, Inject: &config.Inject{Header: "X-Api-Token", Prefix: &empty}},
		"odd name's": {Name: "odd name's", BaseURL: base},
	}
	config := filepath.Join(t.TempDir(), "it's a config.toml")
	type tc struct {
		name, provider string
		r              exchange.Request
	}
	cases := []tc{
		{"GET", "api", exchange.Request{Target: "/items?page=2", Header: []exchange.Field{{Name: "Accept", Value: "application/json"}}}},
		{"user Authorization replaced", "api", exchange.Request{Target: "/h", Header: []exchange.Field{{Name: "Authorization", Value: "Basic dXNlcjpwYXNz"}}}},
		{"DELETE", "api", exchange.Request{Method: "DELETE", Target: "/items/1"}},
		{"HEAD", "api", exchange.Request{Method: "HEAD", Target: "/items/1"}},
		{"GET with a body", "api", exchange.Request{Target: "/search", Body: `{"q": 1}`}},
		{"odd path", "api", exchange.Request{Target: "/it's/$x/(y)"}},
		{"brackets", "api", exchange.Request{Target: "/q?a[0]=1&b={x}"}},
		{"dot segments", "api", exchange.Request{Target: "/a/../b/./c"}},
		{"query injection", "q", exchange.Request{Target: "/q?x=1&access_token=old&y=2"}},
		{"query injection, no query", "q", exchange.Request{Method: "POST", Target: "/q", Body: "a=b"}},
		{"raw header", "raw", exchange.Request{Target: "/r"}},
		{"odd provider name", "odd name's", exchange.Request{Target: "/o"}},
		{"empty header", "api", exchange.Request{Target: "/e", Header: []exchange.Field{{Name: "X-Empty", Value: ""}}}},
	}
	for i, s := range shelltest.Nasty {
		if !strings.ContainsAny(s, "\r\n") && s == trimHTTPBlanks(s) {
			cases = append(cases, tc{"nasty header " + caseLabel(i), "api", exchange.Request{Target: "/h", Header: []exchange.Field{{Name: "X-Nasty", Value: s}}}})
		}
		if s != "" {
			cases = append(cases, tc{"nasty body " + caseLabel(i), "api", exchange.Request{Method: "PATCH", Target: "/b", Body: s}})
		}
	}
	sh := shelltest.Shells(t)[0]
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ps[c.provider]
			ex := exchange.Send(context.Background(), exchangetest.Client(t), p, exchangetest.Bearer(token), c.r, exchange.Options{})
			if ex.Err != nil {
				t.Fatal(ex.Err)
			}
			want, n := rec.Last()
			cmd, err := Export(p, c.r, Options{ConfigPath: config})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(cmd.Command, token) {
				t.Fatalf("the command holds the token:\n%s", cmd.Command)
			}
			run := exec.Command(sh, "-c", "set -e\n"+cmd.Command)
			run.Env = []string{"PATH=" + pathDir + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=/nonexistent-home"}
			if out, err := run.CombinedOutput(); err != nil {
				t.Fatalf("the command failed: %v\n%s\ncommand:\n%s", err, out, cmd.Command)
			}
			got, m := rec.Last()
			if m != n+1 {
				t.Fatalf("the server saw %d requests, want 1", m-n)
			}
			if got.Method != want.Method || got.URI != want.URI || got.Body != want.Body {
				t.Errorf("curl sent %s %s %q\nSend sent %s %s %q\ncommand:\n%s", got.Method, got.URI, got.Body, want.Method, want.URI, want.Body, cmd.Command)
			}
			ignore := []string{"User-Agent", "Accept-Encoding", "Content-Length", "Expect"}
			if !fieldsHave(c.r.Header, "Accept") {
				ignore = append(ignore, "Accept") // curl's */*
			}
			for _, h := range []http.Header{got.Header, want.Header} {
				for _, k := range ignore {
					h.Del(k)
				}
			}
			if !sameHeaders(got.Header, want.Header) {
				t.Errorf("curl sent headers %q\nSend sent %q\ncommand:\n%s", got.Header, want.Header, cmd.Command)
			}
			args, err := os.ReadFile(argsFile)
			if want := "--config\n" + config + "\ntoken\n" + c.provider + "\n"; err != nil || string(args) != want {
				t.Errorf("keyhole ran with %q, want %q (%v)", args, want, err)
			}
		})
	}
}

func fieldsHave(fs []exchange.Field, name string) bool {
	for _, f := range fs {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

func sameHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb := b[k]
		if len(va) != len(vb) {
			return false
		}
		for i := range va {
			if va[i] != vb[i] {
				return false
			}
		}
	}
	return true
}

func caseLabel(i int) string { return string(rune('a'+i/26)) + string(rune('a'+i%26)) }
