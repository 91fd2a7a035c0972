package cli

import (
	"strings"
	"testing"
)

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
