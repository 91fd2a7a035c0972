package model

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/par/partest"
)

// TestGrantedDetails: each object's type first, the rest as the server
// sent it (keys sorted); anything else as it came.
func TestGrantedDetails(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"1.00"}},{"type":"account_information"}]`,
			`payment_initiation {"instructedAmount":{"currency":"EUR","amount":"1.00"}}; account_information`},
		{`[{"actions":["a"]}]`, `[{"actions":["a"]}]`},
		{`{"type":"x"}`, `{"type":"x"}`},
		{`[]`, `[]`},
		{`not json`, `not json`},
	} {
		if got := grantedDetails(tc.in); got != tc.want {
			t.Errorf("grantedDetails(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestTokenPaneShowsGrantedDetails: the authorization_details a server
// grants (RFC 9396 §7) show in the token pane, from the verifier's
// answer to a client_credentials request that asked for them.
func TestTokenPaneShowsGrantedDetails(t *testing.T) {
	r := bankToken(t, "  actions = [\"read_balances\"]\n", 160, 40)
	if screen := plain(r.m); !strings.Contains(screen, `granted authorization_details: account_information {"actions":["read_balances"]}`) {
		t.Errorf("the token pane does not show the granted details:\n%s", screen)
	}
	r.noLeak("bank-secret-Jjj.000")
}

// bankToken starts keyhole at width×height on a client_credentials
// provider, bank, whose token endpoint is partest's verifier, asking for
// authorization_details of type account_information (details is the rest
// of that table, in TOML); it returns the recording once the token came.
func bankToken(t *testing.T, details string, width, height int) *recorder {
	t.Helper()
	testEnv(t)
	v := partest.New(map[string]string{"bank-client": "bank-secret-Jjj.000"})
	t.Cleanup(v.Close)
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.bank]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"bank-client\"\nclient_secret = \"bank-secret-Jjj.000\"\n\n"+
		"  [[providers.bank.authorization_details]]\n  type = \"account_information\"\n"+details, v.URL, v.URL+"/token"),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, width, height)
	r.send(press("enter"))
	if e := r.m.active(); e.tok == nil {
		t.Fatalf("no token: %v (refused %v)", e.err, v.Refusals())
	}
	return r
}

// TestGrantedDetailsTypeShowsOnNarrowScreen: on an 80×24 terminal the
// token pane cuts the granted authorization_details at 58 columns; the
// type, which says what was granted, comes first so that it stays.
func TestGrantedDetailsTypeShowsOnNarrowScreen(t *testing.T) {
	r := bankToken(t, "  actions = [\"list_accounts\", \"read_balances\"]\n  locations = [\"https://api.bank.example/accounts\"]\n", 80, 24)
	if screen := plain(r.m); !strings.Contains(screen, "granted authorization_details: account_information") {
		t.Errorf("the token pane at 80×24 does not show what was granted:\n%s", screen)
	}
}

// TestSignInNamesTheDetailsAsked: the sign-in says which
// authorization_details it asks for, by type, beside the scopes: the
// consent page will ask the person about them.
func TestSignInNamesTheDetailsAsked(t *testing.T) {
	m := newTestModel(t, configBackend(t, "k.toml", staticConfig("api", "https://api.example.com"), nil, providers.SessionOptions{}), nil)
	e := &entry{name: "bank", Provider: app.Provider{Config: &config.Provider{Grant: config.GrantAuthorizationCode, AuthorizationDetails: []map[string]any{
		{"type": "account_information", "actions": []any{"read_balances"}},
		{"type": "payment\x1b[2Jinitiation"},
	}}}}
	e.pending = &providers.Pending{Grant: config.GrantAuthorizationCode, ClientID: "bank-client", Scopes: []string{"openid"},
		URL: "https://id.example.com/authorize?x=1", Redirect: "http://127.0.0.1:8765/callback", Expires: fixedNow.Add(5 * time.Minute)}
	body, _ := m.signInLines(e, 100, 30, "")
	raw := strings.Join(body, "\n")
	text := ansiRE.ReplaceAllString(raw, "")
	if !strings.Contains(text, "approving client bank-client for scopes openid and authorization_details of type account_information, payment") {
		t.Errorf("the sign-in does not name the details asked:\n%s", text)
	}
	if strings.Contains(raw, "\x1b[2J") {
		t.Error("a type from the config reached the screen unsanitized")
	}
	e.Config.AuthorizationDetails = nil
	body, _ = m.signInLines(e, 100, 30, "")
	if text := ansiRE.ReplaceAllString(strings.Join(body, "\n"), ""); strings.Contains(text, "authorization_details") {
		t.Errorf("details named where none are asked:\n%s", text)
	}
}
