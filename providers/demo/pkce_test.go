package demo_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

// A port nothing listens on: the tests read the redirect, never follow it.
const redirectURL = "http://127.0.0.1:53682/callback"

func pkceConfig(base, redirect string, scopes ...string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: demo.PKCEClientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/oauth2/auth",
			TokenURL:  base + "/oauth2/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: redirect,
		Scopes:      scopes,
	}
}

// redirectOf requests authURL without following redirects and returns the
// response and its Location, parsed.
func redirectOf(t *testing.T, req *http.Request) (*http.Response, *url.URL) {
	t.Helper()
	c := &http.Client{
		Transport:     &http.Transport{},
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer c.CloseIdleConnections()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return resp, nil
	}
	return resp, loc
}

func get(t *testing.T, rawURL string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// authorize runs the authorization request and returns the code.
func authorize(t *testing.T, cfg *oauth2.Config, verifier string) string {
	t.Helper()
	const state = "state-0123456789"
	resp, loc := redirectOf(t, get(t, cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))))
	if resp.StatusCode/100 != 3 || loc == nil {
		t.Fatalf("authorize: status %d, want a redirect", resp.StatusCode)
	}
	q := loc.Query()
	if q.Get("error") != "" {
		t.Fatalf("authorize: %s: %s", q.Get("error"), q.Get("error_description"))
	}
	want, _ := url.Parse(cfg.RedirectURL)
	if loc.Scheme != want.Scheme || loc.Host != want.Host || loc.Path != want.Path {
		t.Errorf("redirected to %s://%s%s, want %s", loc.Scheme, loc.Host, loc.Path, cfg.RedirectURL)
	}
	if q.Get("state") != state {
		t.Errorf("state = %q, want %q", q.Get("state"), state)
	}
	if q.Get("code") == "" {
		t.Fatalf("no code in %s", loc)
	}
	return q.Get("code")
}

// pkceToken runs the whole authorization-code flow.
func pkceToken(t *testing.T, base string, scopes ...string) (*oauth2.Config, *oauth2.Token) {
	t.Helper()
	cfg := pkceConfig(base, redirectURL, scopes...)
	verifier := oauth2.GenerateVerifier()
	code := authorize(t, cfg, verifier)
	tok, err := cfg.Exchange(clientCtx(t), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	return cfg, tok
}

func TestAuthorizationCodePKCE(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})

	_, tok := pkceToken(t, base, "api:read", "offline_access")
	if tok.RefreshToken == "" {
		t.Error("no refresh token although offline_access was granted")
	}
	if scope, _ := tok.Extra("scope").(string); scope != "api:read offline_access" {
		t.Errorf("scope = %q", scope)
	}
	_, claims := jwtParts(t, tok.AccessToken)
	if claims["sub"] != "demo-user" || claims["client_id"] != demo.PKCEClientID || claims["iss"] != base {
		t.Errorf("claims = %v", claims)
	}
	resp, body := call(t, "GET", base+"/api/me", tok.AccessToken, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"sub":"demo-user"`) {
		t.Errorf("/api/me: %d %s", resp.StatusCode, body)
	}

	_, tok = pkceToken(t, base, "api:read")
	if tok.RefreshToken != "" {
		t.Error("refresh token issued without offline_access")
	}
}

func TestAuthorizationCodeLoopbackPorts(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	for _, redirect := range []string{"http://127.0.0.1:1/callback", "http://127.0.0.1:65535/callback", "http://[::1]:8080/callback"} {
		authorize(t, pkceConfig(base, redirect, "api:read"), oauth2.GenerateVerifier())
	}
}

func TestAuthorizationCodeRejected(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	cfg := pkceConfig(base, redirectURL, "api:read")

	exchangeFails := func(t *testing.T, want string, opts ...oauth2.AuthCodeOption) {
		t.Helper()
		code := authorize(t, cfg, oauth2.GenerateVerifier())
		_, err := cfg.Exchange(clientCtx(t), code, opts...)
		if re := retrieveError(t, err); re.ErrorCode != want {
			t.Errorf("error %q, want %s (%s)", re.ErrorCode, want, re.Body)
		}
	}
	// A missing parameter is invalid_request (RFC 6749 §5.2); a verifier
	// that does not match is invalid_grant (RFC 7636 §4.6).
	t.Run("missing verifier", func(t *testing.T) { exchangeFails(t, "invalid_request") })
	t.Run("wrong verifier", func(t *testing.T) {
		exchangeFails(t, "invalid_grant", oauth2.VerifierOption(oauth2.GenerateVerifier()))
	})

	t.Run("code used twice", func(t *testing.T) {
		verifier := oauth2.GenerateVerifier()
		code := authorize(t, cfg, verifier)
		ctx := clientCtx(t)
		first, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		if re := retrieveError(t, err); re.ErrorCode != "invalid_grant" {
			t.Errorf("error %q, want invalid_grant", re.ErrorCode)
		}
		// A replayed code revokes what it was exchanged for (RFC 6749 §4.1.2).
		if resp, _ := call(t, "GET", base+"/api/me", first.AccessToken, nil); resp.StatusCode != 401 {
			t.Errorf("access token after its code was replayed: %d, want 401", resp.StatusCode)
		}
	})

	// Errors the server can send back to a valid redirect_uri.
	for _, tc := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		{"missing code_challenge", map[string]string{"code_challenge": "", "code_challenge_method": ""}, "invalid_request"},
		{"plain challenge", map[string]string{"code_challenge": strings.Repeat("a", 43), "code_challenge_method": "plain"}, "invalid_request"},
		{"unknown scope", map[string]string{"scope": "admin"}, "invalid_scope"},
		{"plain method by default", map[string]string{"code_challenge": strings.Repeat("a", 43), "code_challenge_method": ""}, "invalid_request"},
		{"unknown scope among known", map[string]string{"scope": "api:read admin offline_access"}, "invalid_scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := url.Parse(cfg.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
			q := u.Query()
			for k, v := range tc.params {
				if v == "" {
					q.Del(k)
				} else {
					q.Set(k, v)
				}
			}
			u.RawQuery = q.Encode()
			_, loc := redirectOf(t, get(t, u.String()))
			if loc == nil || loc.Query().Get("error") != tc.want {
				t.Errorf("redirect %v, want error=%s", loc, tc.want)
			}
			if loc != nil && loc.Query().Get("code") != "" {
				t.Error("a code was issued")
			}
		})
	}

	// A redirect_uri the client did not register must not be redirected to.
	for _, redirect := range []string{"http://evil.example/callback", "http://127.0.0.1:8080/other", "http://localhost:8080/callback", "https://127.0.0.1:8080/callback"} {
		t.Run("redirect "+redirect, func(t *testing.T) {
			resp, loc := redirectOf(t, get(t, pkceConfig(base, redirect).AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))))
			if loc != nil || resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, location %v; want 400 and no redirect", resp.StatusCode, loc)
			}
		})
	}
}

func TestRefreshTokenRotation(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	cfg, first := pkceToken(t, base, "api:read", "offline_access")
	ctx := clientCtx(t)

	// Refresh in a later second than the first issue, so a stale iat shows.
	_, firstClaims := jwtParts(t, first.AccessToken)
	firstIat, _ := firstClaims["iat"].(float64)
	time.Sleep(time.Until(time.Unix(int64(firstIat)+1, 0)) + 10*time.Millisecond)

	expired := &oauth2.Token{RefreshToken: first.RefreshToken, Expiry: time.Now().Add(-time.Minute)}
	second, err := cfg.TokenSource(ctx, expired).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if second.AccessToken == first.AccessToken || second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
		t.Fatal("refresh did not return a new access token and a rotated refresh token")
	}
	_, claims := jwtParts(t, second.AccessToken)
	if iat, _ := claims["iat"].(float64); iat <= firstIat {
		t.Errorf("refreshed token has iat %v, no later than the first token's %v", iat, firstIat)
	}
	if resp, body := call(t, "GET", base+"/api/me", second.AccessToken, nil); resp.StatusCode != 200 {
		t.Errorf("new access token: %d %s", resp.StatusCode, body)
	}
	if resp, _ := call(t, "GET", base+"/api/me", first.AccessToken, nil); resp.StatusCode != 401 {
		t.Errorf("old access token after refresh: %d, want 401 (rotation revokes it)", resp.StatusCode)
	}

	// The used refresh token is refused, and its reuse revokes the grant
	// (RFC 6819 §5.2.2.3), new tokens included.
	_, err = cfg.TokenSource(ctx, expired).Token()
	if re := retrieveError(t, err); re.ErrorCode != "invalid_grant" {
		t.Errorf("old refresh token: error %q, want invalid_grant", re.ErrorCode)
	}
	if resp, _ := call(t, "GET", base+"/api/me", second.AccessToken, nil); resp.StatusCode != 401 {
		t.Errorf("access token after refresh-token reuse: %d, want 401", resp.StatusCode)
	}
	_, err = cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: second.RefreshToken}).Token()
	if err == nil {
		t.Error("rotated refresh token still works after reuse of its predecessor")
	}
}

func TestConsentPage(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	cfg := pkceConfig(base, redirectURL, "api:read")
	authURL := cfg.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), oauth2.SetAuthURLParam("prompt", "consent"))

	resp, body := do(t, get(t, authURL))
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(body), "Approve") || !strings.Contains(string(body), "api:read") {
		t.Fatalf("consent page: %d %s", resp.StatusCode, body)
	}

	u, _ := url.Parse(authURL)
	for decision, want := range map[string]string{"approve": "code", "deny": "error"} {
		form := u.Query()
		form.Del("prompt")
		form.Set("decision", decision)
		req := formRequest(t, base+"/oauth2/auth", form)
		_, loc := redirectOf(t, req)
		if loc == nil || loc.Query().Get(want) == "" {
			t.Errorf("%s: redirect %v, want a %s", decision, loc, want)
		}
		if decision == "deny" && loc != nil && loc.Query().Get("error") != "access_denied" {
			t.Errorf("deny: error %q, want access_denied", loc.Query().Get("error"))
		}
	}
}
