package demo_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
	"github.com/keyhole-sh/keyhole/providers/demo"
)

// zitadel's op logs request errors through the process-wide slog default
// logger, which writes to stderr: under keyhole's TUI that would scribble
// over the screen. The demo must not reach that code. Not parallel: it
// swaps the default logger for the length of the test.
func TestRequestErrorsAreNotLogged(t *testing.T) {
	var logged syncbuf.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })

	_, base := testServer(t, demo.Options{})
	ctx := clientCtx(t)

	// Token endpoint errors, one per grant, and a success.
	wrong := ccConfig(base, oauth2.AuthStyleInHeader)
	wrong.ClientSecret = "wrong"
	if _, err := wrong.Token(ctx); err == nil {
		t.Fatal("wrong secret accepted")
	}
	if _, err := ccConfig(base, oauth2.AuthStyleInHeader, "admin").Token(ctx); err == nil {
		t.Fatal("unknown scope accepted")
	}
	ccToken(t, base)
	postForm(t, base+"/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {demo.PKCEClientID}, "code": {"nope"}})
	postForm(t, base+"/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {demo.PKCEClientID}, "refresh_token": {"nope"}})
	postForm(t, base+"/oauth2/token", url.Values{"grant_type": {"password"}, "client_id": {demo.PKCEClientID}})

	// The device grant: pending, then a bad scope.
	_, da := deviceAuth(t, base, "api:read")
	wantPollError(t, base, demo.DeviceClientID, da.DeviceCode, 400, "authorization_pending")
	if _, err := deviceConfig(base, "admin").DeviceAuth(ctx); err == nil {
		t.Fatal("device authorization with an unknown scope accepted")
	}

	// The authorization endpoint: an error sent back, and one shown.
	cfg := pkceConfig(base, redirectURL, "admin")
	redirectOf(t, get(t, cfg.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))))
	redirectOf(t, get(t, pkceConfig(base, "http://evil.example/callback").AuthCodeURL("state-0123456789")))

	// Revocation and introspection without credentials.
	if resp, _ := postForm(t, base+"/oauth2/revoke", url.Values{"token": {"x"}}); resp.StatusCode == http.StatusOK {
		t.Error("revoke without client authentication answered 200")
	}
	if resp, _ := postForm(t, base+"/oauth2/introspect", url.Values{"token": {"x"}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("introspect without client authentication: %d, want 401", resp.StatusCode)
	}

	if out := logged.String(); out != "" {
		t.Errorf("the demo server logged through slog's default logger:\n%s", out)
	}
}
