package providers_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/dpop/dpoptest"
)

// TestDPoPSessionProvesEveryTokenRequest: with dpop = true, the grant and
// the refresh carry a proof each, through x/oauth2 (client_auth basic) and
// through keyhole's own token request (basic_raw); the refresh token is
// bound to the key, so a refresh proven by any other key would be refused.
func TestDPoPSessionProvesEveryTokenRequest(t *testing.T) {
	for _, auth := range []string{"basic", "basic_raw"} {
		t.Run(auth, func(t *testing.T) {
			srv := dpoptest.NewServer()
			defer srv.Close()
			srv.RequireNonce, srv.Refresh = true, true
			cfg, err := config.Parse("k.toml", fmt.Appendf(nil, "[providers.api]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"svc\"\nclient_secret = \"s3cret\"\nclient_auth = %q\ndpop = true\n", srv.URL, srv.URL+"/token", auth))
			if err != nil {
				t.Fatal(err)
			}
			p, _ := cfg.Provider("api")
			key, _ := dpop.Generate()
			b := &dpop.Binding{Key: key, Nonces: dpop.NewNonces("")}
			now := time.Now()
			// The client carries the binding's proofs, as app wraps it.
			sess, err := providers.NewSession(p, providers.SessionOptions{Client: wrap(b), DPoP: b, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := sess.Token(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tok.Type != "DPoP" || tok.Refresh.IsZero() {
				t.Fatalf("token type %q, refresh %v", tok.Type, !tok.Refresh.IsZero())
			}
			now = now.Add(2 * time.Hour) // past expires_in: the refresh token is used
			fresh, err := sess.Token(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if fresh.Source != providers.SourceRefreshed || srv.Issued() != 2 {
				t.Fatalf("source %s, %d issued: want a refresh", fresh.Source, srv.Issued())
			}
			for _, rec := range srv.Records() {
				if rec.Err == nil && rec.Proof.JKT != key.Thumbprint() {
					t.Errorf("a proof made with another key: %s", rec.Proof.JKT)
				}
			}
			if n := len(srv.Records()); n != 3 {
				t.Errorf("%d token requests, want 3 (nonce refused, grant, refresh)", n)
			}
		})
	}
}

func wrap(b *dpop.Binding) *http.Client {
	c := providers.NewClient(nil)
	c.Transport = b.Wrap(nil)
	return c
}
