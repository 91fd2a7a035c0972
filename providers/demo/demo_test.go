package demo_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testServer serves a fresh demo server through httptest, so its URLs come
// from the request Host, and returns it with its base URL.
func testServer(t *testing.T, opts demo.Options) (*demo.Server, string) {
	t.Helper()
	srv, err := demo.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srv, ts.URL
}

// clientCtx makes x/oauth2 use a client whose connections the test closes.
func clientCtx(t *testing.T) context.Context {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(c.CloseIdleConnections)
	return context.WithValue(t.Context(), oauth2.HTTPClient, c)
}

func ccConfig(base string, style oauth2.AuthStyle, scopes ...string) *clientcredentials.Config {
	return &clientcredentials.Config{
		ClientID:     demo.CCClientID,
		ClientSecret: demo.CCClientSecret,
		TokenURL:     base + "/oauth2/token",
		Scopes:       scopes,
		AuthStyle:    style,
	}
}

// ccToken gets a client_credentials access token.
func ccToken(t *testing.T, base string, scopes ...string) string {
	t.Helper()
	tok, err := ccConfig(base, oauth2.AuthStyleInHeader, scopes...).Token(clientCtx(t))
	if err != nil {
		t.Fatalf("client_credentials: %v", err)
	}
	return tok.AccessToken
}

// call sends a request with an optional bearer token and returns the
// response with its body read.
func call(t *testing.T, method, url, token string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	defer c.CloseIdleConnections()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return resp, b
}

// formRequest is a POST of form to rawURL, form-encoded as an OAuth
// client or a browser sends it.
func formRequest(t *testing.T, rawURL string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// postForm sends form to rawURL and returns the response with its body
// read.
func postForm(t *testing.T, rawURL string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	return do(t, formRequest(t, rawURL, form))
}

// postFormAs is postForm as a confidential client, authenticated with
// HTTP Basic.
func postFormAs(t *testing.T, clientID, secret, rawURL string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	req := formRequest(t, rawURL, form)
	req.SetBasicAuth(clientID, secret)
	return do(t, req)
}

// jwtParts decodes a compact JWT's header and claims without verifying it.
func jwtParts(t *testing.T, token string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("access token is not a JWT: %d parts", len(parts))
	}
	decode := func(s string) map[string]any {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("JWT segment: %v", err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("JWT segment: %v", err)
		}
		return m
	}
	return decode(parts[0]), decode(parts[1])
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	for _, tc := range []struct {
		name  string
		style oauth2.AuthStyle
	}{
		{"client_secret_basic", oauth2.AuthStyleInHeader},
		{"client_secret_post", oauth2.AuthStyleInParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := ccConfig(base, tc.style, "api:read", "api:write").Token(clientCtx(t))
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			if tok.TokenType != "bearer" {
				t.Errorf("token_type = %q, want bearer", tok.TokenType)
			}
			if scope, _ := tok.Extra("scope").(string); scope != "api:read api:write" {
				t.Errorf("scope = %q, want %q", scope, "api:read api:write")
			}
			if left := time.Until(tok.Expiry); left < demo.DefaultTokenTTL-5*time.Second || left > demo.DefaultTokenTTL+time.Second {
				t.Errorf("expires in %v, want about %v", left, demo.DefaultTokenTTL)
			}
			if tok.RefreshToken != "" {
				t.Errorf("client_credentials issued a refresh token")
			}

			header, claims := jwtParts(t, tok.AccessToken)
			if header["alg"] != "ES256" || header["kid"] == nil {
				t.Errorf("JWT header = %v, want alg ES256 and a kid", header)
			}
			want := map[string]any{"iss": base, "sub": demo.CCClientID, "client_id": demo.CCClientID, "scope": "api:read api:write"}
			for k, v := range want {
				if claims[k] != v {
					t.Errorf("claim %s = %v, want %v", k, claims[k], v)
				}
			}
			if aud, _ := claims["aud"].([]any); len(aud) != 1 || aud[0] != "demo-api" {
				t.Errorf("claim aud = %v, want [demo-api]", claims["aud"])
			}
			exp, _ := claims["exp"].(float64)
			iat, _ := claims["iat"].(float64)
			if ttl := time.Duration(exp-iat) * time.Second; ttl < demo.DefaultTokenTTL-time.Second || ttl > demo.DefaultTokenTTL {
				t.Errorf("exp - iat = %v, want %v", ttl, demo.DefaultTokenTTL)
			}

			resp, body := call(t, "GET", base+"/api/me", tok.AccessToken, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("/api/me: %d %s", resp.StatusCode, body)
			}
			var me struct {
				Sub      string   `json:"sub"`
				ClientID string   `json:"client_id"`
				Scopes   []string `json:"scopes"`
			}
			if err := json.Unmarshal(body, &me); err != nil {
				t.Fatal(err)
			}
			if me.Sub != demo.CCClientID || me.ClientID != demo.CCClientID || strings.Join(me.Scopes, " ") != "api:read api:write" {
				t.Errorf("/api/me = %s", body)
			}
		})
	}
}

func TestClientCredentialsScopes(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	ctx := clientCtx(t)

	tok, err := ccConfig(base, oauth2.AuthStyleInHeader).Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if scope, _ := tok.Extra("scope").(string); scope != "api:read api:write" {
		t.Errorf("no scope requested: granted %q, want the client's default api:read api:write", scope)
	}

	tok, err = ccConfig(base, oauth2.AuthStyleInHeader, "api:read").Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if scope, _ := tok.Extra("scope").(string); scope != "api:read" {
		t.Errorf("granted %q, want api:read", scope)
	}

	_, err = ccConfig(base, oauth2.AuthStyleInHeader, "offline_access").Token(ctx)
	if re := retrieveError(t, err); re.ErrorCode != "invalid_scope" {
		t.Errorf("offline_access for demo-cc: error %q, want invalid_scope", re.ErrorCode)
	}
}

func retrieveError(t *testing.T, err error) *oauth2.RetrieveError {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v, want *oauth2.RetrieveError", err)
	}
	return re
}

func TestClientCredentialsRejected(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	for _, tc := range []struct {
		name         string
		id, secret   string
		style        oauth2.AuthStyle
		status       int
		code, detail string
	}{
		{"wrong secret, basic", demo.CCClientID, "nope", oauth2.AuthStyleInHeader, 401, "invalid_client", ""},
		{"wrong secret, post", demo.CCClientID, "nope", oauth2.AuthStyleInParams, 401, "invalid_client", ""},
		{"no secret", demo.CCClientID, "", oauth2.AuthStyleInParams, 401, "invalid_client", ""},
		{"unknown client", "someone", "x", oauth2.AuthStyleInHeader, 401, "invalid_client", ""},
		{"public client", demo.PKCEClientID, "", oauth2.AuthStyleInParams, 400, "", "client_credentials"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ccConfig(base, tc.style)
			cfg.ClientID, cfg.ClientSecret = tc.id, tc.secret
			tok, err := cfg.Token(clientCtx(t))
			if err == nil {
				t.Fatalf("got a token %q, want an error", tok.AccessToken[:10])
			}
			re := retrieveError(t, err)
			if re.Response.StatusCode != tc.status {
				t.Errorf("status %d, want %d (%s)", re.Response.StatusCode, tc.status, re.Body)
			}
			if tc.code != "" && re.ErrorCode != tc.code {
				t.Errorf("error %q, want %q", re.ErrorCode, tc.code)
			}
			if !strings.Contains(string(re.Body), tc.detail) {
				t.Errorf("body %s does not mention %q", re.Body, tc.detail)
			}
			// RFC 6749 §5.2: a 401 names the scheme the client may use.
			if got := re.Response.Header.Get("WWW-Authenticate"); tc.status == 401 && !strings.HasPrefix(got, "Basic ") {
				t.Errorf("WWW-Authenticate = %q, want a Basic challenge with the 401", got)
			}
		})
	}
}
