package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// idTokenExpiring is an unsigned ID token JWT whose exp is exp.
func idTokenExpiring(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":"person","exp":%d}`, exp.Unix()))) + ".sig"
}

// TestInjectIDTokenExpiry: with inject = { token = "id_token" }, token
// --json's expires_at is the ID token's exp — what is sent expires then,
// ten minutes in, though the access token lives an hour — and the access
// token's expiry is access_token_expires_at; from the cache too. Without
// inject.token, expires_at stays the access token's. An ID token already
// expired is not taken from the cache: a new one is fetched.
func TestInjectIDTokenExpiry(t *testing.T) {
	const access = "access-tok-Fff.555"
	idExp := time.Now().Add(10 * time.Minute).Truncate(time.Second)
	h := newHarness(t)
	es := newEchoServer(t)
	tokSrv, calls := idTokenServer(t, access, idTokenExpiring(idExp))
	provider := func(name, inject string) string {
		return "[providers." + name + "]\nbase_url = \"" + es.URL + "\"\ngrant = \"client_credentials\"\ntoken_url = \"" + tokSrv.URL + "/token\"\nclient_id = \"c\"\nclient_secret = \"s\"\n" + inject + "\n"
	}
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"file\"\n"+provider("oidc", `inject = { token = "id_token" }`)+provider("plain", ""))

	for _, source := range []string{"fetched", "cache"} {
		r := h.run("token", "--config", cfg, "--json", "oidc")
		r.expect(t, ExitOK, "token --json oidc")
		var tj struct {
			ExpiresAt       string `json:"expires_at"`
			AccessExpiresAt string `json:"access_token_expires_at"`
			Source          string `json:"source"`
		}
		if err := json.Unmarshal([]byte(r.out), &tj); err != nil {
			t.Fatal(err)
		}
		if tj.Source != source || tj.ExpiresAt != idExp.UTC().Format(time.RFC3339) {
			t.Errorf("%s: expires_at %s (source %s), want the ID token's exp %s", source, tj.ExpiresAt, tj.Source, idExp.UTC().Format(time.RFC3339))
		}
		at, err := time.Parse(time.RFC3339, tj.AccessExpiresAt)
		if err != nil || at.Sub(idExp) < 45*time.Minute {
			t.Errorf("%s: access_token_expires_at %q, want the access token's, an hour in", source, tj.AccessExpiresAt)
		}
	}
	r := h.run("token", "--config", cfg, "--json", "plain")
	r.expect(t, ExitOK, "token --json plain")
	var plain map[string]any
	if err := json.Unmarshal([]byte(r.out), &plain); err != nil {
		t.Fatal(err)
	}
	if at, err := time.Parse(time.RFC3339, fmt.Sprint(plain["expires_at"])); err != nil || at.Sub(idExp) < 45*time.Minute || plain["access_token_expires_at"] != nil {
		t.Errorf("without inject.token: %s", r.out)
	}

	// An ID token that has expired while its access token has not: the
	// cached pair is stale, for what would be sent is refused.
	h2 := newHarness(t)
	staleSrv, staleCalls := idTokenServer(t, access, idTokenExpiring(time.Now().Add(-time.Minute)))
	cfg2 := h2.writeConfig("k.toml", "[settings]\ntoken_cache = \"file\"\n[providers.oidc]\nbase_url = \""+es.URL+"\"\ngrant = \"client_credentials\"\ntoken_url = \""+staleSrv.URL+"/token\"\nclient_id = \"c\"\nclient_secret = \"s\"\ninject = { token = \"id_token\" }\n")
	for range 2 {
		h2.run("token", "--config", cfg2, "oidc").expect(t, ExitOK, "token oidc with an expired ID token")
	}
	if n := staleCalls.Load(); n != 2 {
		t.Errorf("%d token requests, want 2: an expired ID token is not taken from the cache", n)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d token requests, want 2: one per provider, the second oidc run from the cache", n)
	}
}
