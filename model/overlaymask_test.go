package model

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
)

// TestOverlaysFollowTheRedactionSwitch: the introspection answer opened
// while secrets were shown is masked as soon as ctrl+r masks them, and
// shown again on the next ctrl+r; the decoded claims mask a credential
// field (a "password" claim) like any JSON the screen shows.
func TestOverlaysFollowTheRedactionSwitch(t *testing.T) {
	testEnv(t)
	const (
		clientSecret = "overlay-client-secret-0342"
		claimSecret  = "overlay-claim-password-0342"
	)
	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	accessToken := seg(`{"alg":"none"}`) + "." + seg(`{"sub":"overlay-user","password":"`+claimSecret+`"}`) + ".sig0342"
	tokens := hostileServer(t, 200, "application/json", `{"access_token":"`+accessToken+`","token_type":"Bearer","expires_in":3600}`)
	intro := hostileServer(t, 200, "application/json", `{"active":true,"token":"`+accessToken+`","echo":"`+clientSecret+`","scope":"api:read"}`)
	cfg, err := providers.Parse("o.toml", []byte(fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.p]\nbase_url = %q\ngrant = \"client_credentials\"\nclient_id = \"c\"\nclient_secret = \"${CS}\"\ntoken_url = %q\nintrospect_url = %q\n", tokens, tokens+"/token", intro+"/introspect")))
	if err != nil {
		t.Fatal(err)
	}
	b := app.NewBackend(cfg, func(k string) (string, bool) { return clientSecret, k == "CS" }, providers.SessionOptions{})
	m := New(Options{Label: "o.toml", Backend: b, Redact: false, Now: func() time.Time { return fixedNow }, Location: time.UTC})
	r := &recorder{t: t, m: update(t, m, tea.WindowSizeMsg{Width: 200, Height: 50})}
	r.send(press("enter"))
	r.m.setFocus(paneToken)
	r.send(press("i"))
	if s := plain(r.m); !strings.Contains(s, "api:read") || !strings.Contains(s, clientSecret) {
		t.Fatalf("with secrets shown, the introspection answer is not on screen whole:\n%s", s)
	}
	r.send(press("ctrl+r"))
	if s := plain(r.m); !strings.Contains(s, "api:read") || strings.Contains(s, clientSecret[:10]) || strings.Contains(s, accessToken[:20]) {
		t.Errorf("ctrl+r did not mask the introspection answer:\n%s", s)
	}
	r.send(press("ctrl+r"))
	if s := plain(r.m); !strings.Contains(s, clientSecret) {
		t.Errorf("the second ctrl+r did not show the introspection answer again:\n%s", s)
	}
	r.send(press("ctrl+r"))
	r.send(press("esc"))
	r.send(press("v"))
	if s := plain(r.m); !strings.Contains(s, "overlay-user") || strings.Contains(s, claimSecret[:10]) {
		t.Errorf("the claims do not show, masked:\n%s", s)
	}
	r.send(press("ctrl+r"))
	if s := plain(r.m); !strings.Contains(s, claimSecret) {
		t.Errorf("ctrl+r does not show the claim:\n%s", s)
	}
}
