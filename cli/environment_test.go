package cli

import (
	"os"
	"strings"
	"testing"

	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// TestEnvUnknown: an environment neither the config nor an env file
// defines is a usage error listing those there are, before anything else.
func TestEnvUnknown(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", "https://api.example.com", "tok", "\n[environments.dev]\n\n[environments.Staging]\ndanger = true\n"))
	h.writeConfig(collenv.PublicFile, `{"local": {"host": "http://127.0.0.1"}, "$shared": {}}`)
	for _, args := range [][]string{
		{"--config", cfg, "--env", "nope", "providers"},
		{"--config", cfg, "call", "api", "GET", "/x", "--env", "nope"},
		{"--config", cfg, "token", "api", "--env=nope"},
	} {
		r := h.run(args...)
		r.expect(t, ExitUsage, strings.Join(args, " "))
		if !strings.Contains(r.errOut, `no environment "nope"`) || !strings.Contains(r.errOut, "known: dev, Staging, local") {
			t.Errorf("%v: stderr = %s", args, r.errOut)
		}
	}
	h.vars["KEYHOLE_ENV"] = "nope"
	r := h.run("--config", cfg, "providers")
	r.expect(t, ExitUsage, "KEYHOLE_ENV=nope providers")
	delete(h.vars, "KEYHOLE_ENV")

	// A known one is shown by providers, and marked on each provider.
	r = h.run("--config", cfg, "--env", "Staging", "providers")
	r.expect(t, ExitOK, "--env Staging providers")
	if !strings.Contains(r.errOut, "environment Staging, dangerous") || !strings.Contains(r.errOut, "environments: dev, Staging, local") {
		t.Errorf("stderr = %s", r.errOut)
	}
	r = h.run("--config", cfg, "--env", "local", "providers", "--json")
	r.expect(t, ExitOK, "--env local providers --json")
	if !strings.Contains(r.out, `"environment": "local"`) {
		t.Errorf("stdout = %s", r.out)
	}
}

// liveAndStaging starts two echo servers and writes a config whose
// provider api goes to live with live-token, and in the environment
// staging to staging with staging-token; more is added at the end.
func liveAndStaging(t *testing.T, h *harness, more string) (cfg string, live, staging *echoServer) {
	t.Helper()
	live, staging = newEchoServer(t), newEchoServer(t)
	cfg = h.writeConfig("k.toml", staticConfig("api", live.URL, "live-token", `
[environments.staging.providers.api]
base_url = "`+staging.URL+`"
token = "staging-token"
`+more))
	return cfg, live, staging
}

// TestEnvAppliesProviderKeys: --env changes the provider's keys before it
// is used: the call goes to the environment's base_url, with its token.
func TestEnvAppliesProviderKeys(t *testing.T) {
	h := newHarness(t)
	cfg, live, staging := liveAndStaging(t, h, "")
	r := h.run("--config", cfg, "--env", "staging", "call", "api", "GET", "/items")
	r.expect(t, ExitOK, "call in staging")
	got, n := staging.lastRequest()
	if n != 1 || got.Header["Authorization"][0] != "Bearer staging-token" {
		t.Fatalf("staging saw %d requests, last %+v", n, got)
	}
	if _, n := live.lastRequest(); n != 0 {
		t.Error("the call in staging reached the live server")
	}
	r = h.run("--config", cfg, "call", "api", "GET", "/items")
	r.expect(t, ExitOK, "call with no environment")
	if got, n := live.lastRequest(); n != 1 || got.Header["Authorization"][0] != "Bearer live-token" {
		t.Errorf("live saw %d requests, last %+v", n, got)
	}
}

// TestEnvDangerRefusesWrites: in a dangerous environment call refuses a
// method that may change something unless --yes, and sends nothing;
// GET, HEAD and OPTIONS go as always.
func TestEnvDangerRefusesWrites(t *testing.T) {
	h := newHarness(t)
	es := newEchoServer(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", es.URL, "tok", "\n[environments.live]\ndanger = true\n\n[environments.Prod]\n\n[environments.dev]\n"))
	// An environment only the env file has, called production.
	h.writeConfig(collenv.PublicFile, `{"production": {}}`)
	for _, env := range []string{"live", "Prod", "production"} {
		for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
			r := h.run("--config", cfg, "--env", env, "call", "api", method, "/items", "-d", `{"a":1}`)
			r.expect(t, ExitUsage, env+" "+method)
			if !strings.Contains(r.errOut, "environment "+env+" is dangerous") || !strings.Contains(r.errOut, "--yes") {
				t.Errorf("%s %s: stderr = %s", env, method, r.errOut)
			}
		}
		if _, n := es.lastRequest(); n != 0 {
			t.Fatalf("%s: %d requests were sent", env, n)
		}
	}
	h.vars["KEYHOLE_ENV"] = "live"
	r := h.run("--config", cfg, "call", "api", "DELETE", "/items/1")
	r.expect(t, ExitUsage, "KEYHOLE_ENV=live DELETE")
	delete(h.vars, "KEYHOLE_ENV")
	if _, n := es.lastRequest(); n != 0 {
		t.Fatal("KEYHOLE_ENV=live: the DELETE was sent")
	}

	for i, args := range [][]string{
		{"--env", "live", "call", "api", "GET", "/items"},
		{"--env", "live", "call", "api", "HEAD", "/items"},
		{"--env", "live", "call", "api", "OPTIONS", "/items"},
		{"--env", "live", "call", "api", "DELETE", "/items/1", "--yes"},
		{"--env", "dev", "call", "api", "POST", "/items", "-d", "x"},
		{"call", "api", "POST", "/items", "-d", "x"},
	} {
		r := h.run(append([]string{"--config", cfg}, args...)...)
		r.expect(t, ExitOK, strings.Join(args, " "))
		if _, n := es.lastRequest(); n != i+1 {
			t.Fatalf("%v: %d requests in all, want %d", args, n, i+1)
		}
	}
}

// TestEnvTokensCachedPerEnvironment: staging's token is never used in
// prod, and the other way round; each environment's is cached; with no
// environment the token is cached under the key it always had.
func TestEnvTokensCachedPerEnvironment(t *testing.T) {
	h := newHarness(t)
	srv, cfg := h.startDemo(demo.Options{})
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg = h.writeConfig("envs.toml", string(text)+"\n[environments.staging]\n\n[environments.prod]\n")
	grants := func() int { return srv.Stats().Grants["client_credentials"] }
	token := func(args ...string) string {
		t.Helper()
		r := h.run(append([]string{"--config", cfg, "token", "demo-cc"}, args...)...)
		r.expect(t, ExitOK, "token "+strings.Join(args, " "))
		return strings.TrimSpace(r.out)
	}
	staging := token("--env", "staging")
	prod := token("--env", "prod")
	if staging == prod || grants() != 2 {
		t.Fatalf("prod got staging's token (%d token requests)", grants())
	}
	if again := token("--env", "staging"); again != staging || grants() != 2 {
		t.Errorf("staging's token was not cached (%d token requests)", grants())
	}
	none := token()
	if none == staging || none == prod || grants() != 3 {
		t.Errorf("no environment used an environment's token (%d token requests)", grants())
	}
	if again := token(); again != none || grants() != 3 {
		t.Errorf("no environment: the token was not cached (%d token requests)", grants())
	}
}

// TestEnvFileAuthProvider: a Security.Auth entry of http-client.env.json
// is a provider keyhole gets tokens for; one named like a config provider
// is left for the config's, with a warning.
func TestEnvFileAuthProvider(t *testing.T) {
	h := newHarness(t)
	srv, cfg := h.startDemo(demo.Options{})
	h.writeConfig(collenv.PublicFile, `{
  "dev": {
    "token_url": "`+srv.URL()+`/oauth2/token",
    "Security": {"Auth": {
      "jb": {"Type": "OAuth2", "Grant Type": "Client Credentials", "Token URL": "{{token_url}}", "Client ID": "`+demo.CCClientID+`", "Client Credentials": "basic"},
      "demo-cc": {"Type": "OAuth2", "Grant Type": "Client Credentials", "Token URL": "https://elsewhere.example/token", "Client ID": "x"}
    }}
  }
}`)
	h.writeConfig(collenv.PrivateFile, `{"dev": {"Security": {"Auth": {"jb": {"Client Secret": "`+demo.CCClientSecret+`"}}}}}`)
	r := h.run("--config", cfg, "--env", "dev", "token", "jb")
	r.expect(t, ExitOK, "token jb")
	if !jwtRE.MatchString(strings.TrimSpace(r.out)) {
		t.Errorf("stdout = %q", r.out)
	}
	if !strings.Contains(r.errOut, "Security.Auth.demo-cc not used: the config defines a provider demo-cc") {
		t.Errorf("no warning for the shadowed entry: %s", r.errOut)
	}
	r = h.run("--config", cfg, "--env", "dev", "token", "demo-cc")
	r.expect(t, ExitOK, "token demo-cc (the config's)")
	if strings.Contains(r.errOut, demo.CCClientSecret) || strings.Contains(r.out+r.errOut, "elsewhere") {
		t.Errorf("the env file's demo-cc was used: %s", r.errOut)
	}
}

// TestEnvCurlTokenCommand: a curl command printed in an environment gets
// its token in that environment; otherwise it would fetch the token of the
// provider as no environment changes it and send it to this environment's
// base_url.
func TestEnvCurlTokenCommand(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", "https://api.example.com", "tok", `
[environments.staging.providers.api]
base_url = "https://staging.example.com"
`))
	r := h.run("--config", cfg, "--env", "staging", "curl", "api", "GET", "/x")
	r.expect(t, ExitOK, "curl in staging")
	if !strings.Contains(r.out, "https://staging.example.com/x") || !strings.Contains(r.out, "--env=staging token api") {
		t.Errorf("stdout = %s", r.out)
	}
	r = h.run("--config", cfg, "curl", "api", "GET", "/x")
	r.expect(t, ExitOK, "curl")
	if strings.Contains(r.out, "--env") {
		t.Errorf("no environment, yet: %s", r.out)
	}
}
