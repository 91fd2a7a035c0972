package demo

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/crypto"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// A JWT the server itself signed, for a live grant, is still refused by
// the sample API when its aud is not the API: the check a stolen token
// meant for another resource server must fail. Only the server's key can
// make such a token, so this test lives inside the package.
func TestAPIRefusesAnotherAudience(t *testing.T) {
	t.Parallel()
	srv, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	g := grant{id: newGrantID(), clientID: CCClientID, subject: CCClientID, scopes: []string{"api:read"}}
	srv.store.mu.Lock()
	jti, exp := srv.store.issueAccess(g, ts.URL, time.Now())
	srv.store.mu.Unlock()

	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: srv.keys.private},
		(&jose.SignerOptions{}).WithHeader("kid", srv.keys.id))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		aud    []string
		status int
	}{
		{[]string{apiAudience}, http.StatusOK}, // the control: the same token for the API works
		{[]string{"another-api"}, http.StatusUnauthorized},
	} {
		claims := oidc.NewAccessTokenClaims(ts.URL, g.subject, tc.aud, exp, jti, g.clientID, 0)
		raw, err := crypto.Sign(claims, signer)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(t.Context(), "GET", ts.URL+"/api/me", nil)
		req.Header.Set("Authorization", "Bearer "+raw)
		c := &http.Client{Transport: &http.Transport{}}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		c.CloseIdleConnections()
		if resp.StatusCode != tc.status {
			t.Errorf("aud %v: %d %s, want %d", tc.aud, resp.StatusCode, body, tc.status)
		}
		if tc.status == http.StatusUnauthorized && !strings.Contains(resp.Header.Get("WWW-Authenticate"), "another audience") {
			t.Errorf("aud %v: WWW-Authenticate = %q", tc.aud, resp.Header.Get("WWW-Authenticate"))
		}
	}
}
