package cli

import (
	"strings"
	"testing"
)

// What keyhole sends for constructs met in .http files kept in public
// repositories, checked at an echo server. Each file is our own.

// TestRunSendsSpacesInAURLEncoded: an OData filter written with spaces
// goes encoded, as both tools send it; an escape already written is not
// encoded twice.
func TestRunSendsSpacesInAURLEncoded(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	r, got, n := runEcho(t, h, es, "@base = "+es.URL+"\n\nGET {{base}}/odata/people?$filter=Name eq 'Ann Lee'&tag=a%20b HTTP/1.1\n", ExitOK, "a URL with spaces", "run")
	if n != 1 {
		t.Fatalf("%d requests reached the server, want 1:\n%s%s", n, r.out, r.errOut)
	}
	if want := "/odata/people?$filter=Name%20eq%20'Ann%20Lee'&tag=a%20b"; got.RequestURI != want {
		t.Errorf("sent %q, want %q", got.RequestURI, want)
	}
}

// TestRunJoinsFormLines: VS Code's form body, one field a line with the
// next starting with & (or the one before ending in it), is one form;
// indented lines too; a space in a value goes encoded, as VS Code sends it.
func TestRunJoinsFormLines(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	_, got, _ := runEcho(t, h, es, "POST "+es.URL+"/token\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=client_credentials\n&client_id=web\n    &scope=read write&\n  audience=api\n", ExitOK, "a form over three lines", "run")
	if want := "grant_type=client_credentials&client_id=web&scope=read%20write&audience=api"; got == nil || got.Body != want {
		t.Errorf("sent body %+v, want %q", got, want)
	}
}

// TestRunCommentedTemplateBody: the body of a request as a project
// template writes it, a // line above the JSON, goes as JSON alone; the
// request after variables set below a body finds them.
func TestRunCommentedTemplateBody(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	r, got, n := runEcho(t, h, es, "\ufeff@Api_HostAddress = "+es.URL+`

POST {{Api_HostAddress}}/api/lists
Content-Type: application/json

// CreateListCommand
{
  "title": "Backlog"
}

# @assert body.body matches ^\{

@listPath = /api/lists/1
###

GET {{Api_HostAddress}}{{listPath}}
`, ExitOK, "a template's requests", "run", "--json")
	if strings.Count(r.out, `"outcome"`) != 2 {
		t.Errorf("want two results:\n%s", r.out)
	}
	if n != 2 || got.RequestURI != "/api/lists/1" {
		t.Errorf("last request %+v (%d sent), want GET /api/lists/1 second", got, n)
	}
}

// TestRunRefusesAHostWithoutAScheme: "127.0.0.1:PORT/path" is a host,
// which the tools would send over http (JetBrains) or https (VS Code):
// keyhole says so rather than send it as a path under the provider's
// base_url.
func TestRunRefusesAHostWithoutAScheme(t *testing.T) {
	es, h, cfg := apiAtEcho(t, "tok-1")
	host := strings.TrimPrefix(es.URL, "http://")
	r, _, n := runEcho(t, h, es, "GET "+host+"/api/urls HTTP/1.1\n", 1, "a host without a scheme", "--config", cfg, "run", "--provider", "api")
	if n != 0 {
		t.Errorf("%d requests were sent, want none", n)
	}
	if want := "names the host " + host + " without a scheme"; !strings.Contains(r.out+r.errOut, want) {
		t.Errorf("output lacks %q:\n%s%s", want, r.out, r.errOut)
	}
}

// TestRunRefusesAHeaderValueWithALineBreak: a header whose value holds a
// line break once its {{…}} are expanded ($processEnv of a value with a
// newline in it) is not sent, and says which header: net/http refused it
// on the way out, and run counted it a network failure (exit 3).
func TestRunRefusesAHeaderValueWithALineBreak(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	h.vars["TWO_LINES"] = "a\r\nInjected: yes"
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok-1", ""))
	r, _, n := runEcho(t, h, es, "### crlf\n# @provider api\nGET /x\nX-Note: {{$processEnv TWO_LINES}}\n", ExitUsage, "a header value with a line break", "--config", cfg, "run")
	if n != 0 {
		t.Errorf("%d requests were sent, want none", n)
	}
	if !strings.Contains(r.out+r.errOut, "header X-Note: its value holds a line break") {
		t.Errorf("the output does not say which header:\n%s%s", r.out, r.errOut)
	}
}

// runEcho writes text as t.http and runs keyhole with args, then the
// file; the run must exit code. It returns the run, the last request es
// got, and how many it got.
func runEcho(t *testing.T, h *harness, es *echoServer, text string, code int, what string, args ...string) (result, *echoed, int) {
	t.Helper()
	r := h.run(append(args, h.writeHTTP("t.http", text))...)
	r.expect(t, code, what)
	got, n := es.lastRequest()
	return r, got, n
}
