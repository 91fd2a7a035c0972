package cli

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/par/partest"
)

// dpopThumbprint is the JWK SHA-256 thumbprint of the key keyhole keeps
// for provider in the harness's state folder.
func dpopThumbprint(t *testing.T, h *harness, provider string) string {
	t.Helper()
	key, made, err := dpop.Load(filepath.Join(h.vars["XDG_STATE_HOME"], "keyhole", "dpop", provider+".jwk"))
	if err != nil || made {
		t.Fatalf("the DPoP key of %s: made %v, %v", provider, made, err)
	}
	return key.Thumbprint()
}

// TestDPoPJKTInPushedRequest: with dpop = true and par = true, the pushed
// authorization request carries dpop_jkt, the thumbprint of the
// provider's DPoP key (RFC 9449 §10), as the PAR verifier records it; a
// provider without dpop pushes none.
func TestDPoPJKTInPushedRequest(t *testing.T) {
	for _, withDPoP := range []bool{true, false} {
		v := partest.New(map[string]string{"bank-client": "bank-secret-Hhh.888"})
		defer v.Close()
		h := newHarness(t)
		var opened []string
		h.open = parBrowser(t, &opened)
		extra := ""
		if withDPoP {
			extra = "dpop = true\n"
		}
		cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"file\"\n[providers.bank]\nbase_url = \""+v.URL+"\"\ngrant = \"authorization_code\"\n"+
			"issuer = \""+v.URL+"\"\nclient_id = \"bank-client\"\nclient_secret = \"bank-secret-Hhh.888\"\npar = true\n"+extra)
		r := h.run("token", "--config", cfg, "bank")
		r.expect(t, ExitOK, "token bank")
		pushes := v.PushedForms()
		if len(pushes) != 1 {
			t.Fatalf("dpop %v: %d pushes, refusals %v", withDPoP, len(pushes), v.Refusals())
		}
		got := pushes[0]["dpop_jkt"]
		if !withDPoP {
			if got != nil {
				t.Errorf("a provider without dpop pushed dpop_jkt %q", got)
			}
			continue
		}
		if want := dpopThumbprint(t, h, "bank"); len(got) != 1 || got[0] != want {
			t.Errorf("pushed dpop_jkt %q, want the key's thumbprint %q", got, want)
		}
		if strings.Contains(opened[0], "dpop_jkt") {
			t.Errorf("the browser saw %s: dpop_jkt belongs in the pushed request", opened[0])
		}
	}
}

// TestDPoPJKTInBrowserURL: with dpop = true and no PAR, the authorization
// request the demo's authorization endpoint gets in the browser carries
// dpop_jkt, the thumbprint of the provider's DPoP key; the sign-in still
// completes. Without dpop there is none.
func TestDPoPJKTInBrowserURL(t *testing.T) {
	for _, withDPoP := range []bool{true, false} {
		h := newHarness(t)
		var opened []string
		h.open = pkceBrowser(t, &opened)
		srv, cfg := h.startDemo(demo.Options{})
		if withDPoP {
			text := "[settings]\ntoken_cache = \"file\"\n\n" + strings.Replace(demo.Config(srv.URL()), "[providers.demo-pkce]\n", "[providers.demo-pkce]\ndpop = true\n", 1)
			if !strings.Contains(text, "dpop = true") {
				t.Fatal("the demo's config has no [providers.demo-pkce] table")
			}
			cfg = h.writeConfig("demo.toml", text)
		}
		r := h.run("token", "--config", cfg, "demo-pkce")
		r.expect(t, ExitOK, "token demo-pkce")
		if len(opened) != 1 {
			t.Fatalf("the browser was opened %d times", len(opened))
		}
		u, err := url.Parse(opened[0])
		if err != nil {
			t.Fatal(err)
		}
		got := u.Query()["dpop_jkt"]
		if !withDPoP {
			if got != nil {
				t.Errorf("a provider without dpop sent dpop_jkt %q", got)
			}
			continue
		}
		if want := dpopThumbprint(t, h, "demo-pkce"); len(got) != 1 || got[0] != want {
			t.Errorf("dpop_jkt %q in %s, want the key's thumbprint %q", got, opened[0], want)
		}
	}
}
