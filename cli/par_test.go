package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/par/partest"
)

// parBrowser plays the person's browser against the PAR verifier: the
// address it is given must carry client_id and request_uri only; it
// follows the verifier's redirect to keyhole's loopback listener.
func parBrowser(t *testing.T, opened *[]string) func(string) error {
	return func(addr string) error {
		*opened = append(*opened, addr)
		u, err := url.Parse(addr)
		if err != nil {
			return err
		}
		if q := u.Query(); len(q) != 2 || q.Get("client_id") == "" || !strings.HasPrefix(q.Get("request_uri"), partest.RequestURIPrefix) {
			t.Errorf("the browser got %s: more than client_id and request_uri", addr)
		}
		resp, err := noRedirects.Get(addr)
		if err != nil {
			return err
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "http://127.0.0.1:") {
			return fmt.Errorf("the authorization endpoint answered %d, Location %q", resp.StatusCode, loc)
		}
		back, err := noRedirects.Get(loc)
		if err != nil {
			return err
		}
		return back.Body.Close()
	}
}

const bankDetails = `
  [[providers.bank.authorization_details]]
  type = "account_information"
  actions = ["list_accounts", "read_balances"]
  locations = ["https://example.com/accounts"]

  [[providers.bank.authorization_details]]
  type = "payment_initiation"
  instructedAmount = { currency = "EUR", amount = "123.50" }
  creditorName = "Merchant A"
`

// wantDetails is bankDetails as JSON, in the order keyhole sends it.
const wantDetails = `[{"actions":["list_accounts","read_balances"],"locations":["https://example.com/accounts"],"type":"account_information"},{"creditorName":"Merchant A","instructedAmount":{"amount":"123.50","currency":"EUR"},"type":"payment_initiation"}]`

// TestPARSignIn signs in through a pushed authorization request (RFC
// 9126) with authorization_details (RFC 9396), against a verifier written
// from those RFCs: the endpoint from discovery, every parameter pushed
// with the client's Basic authentication, only client_id and request_uri
// in the browser, the details on the token request too, and the granted
// ones in token --json.
func TestPARSignIn(t *testing.T) {
	v := partest.New(map[string]string{"bank-client": "bank-secret-Hhh.888"})
	defer v.Close()
	h := newHarness(t)
	es := newEchoServer(t)
	var opened []string
	h.open = parBrowser(t, &opened)
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"file\"\n[providers.bank]\nbase_url = \""+es.URL+"\"\ngrant = \"authorization_code\"\n"+
		"issuer = \""+v.URL+"\"\nclient_id = \"bank-client\"\nclient_secret = \"bank-secret-Hhh.888\"\nscopes = [\"accounts\"]\npar = true\n"+bankDetails)
	r := h.run("token", "--config", cfg, "--json", "bank")
	r.expect(t, ExitOK, "token bank")
	if refused := v.Refusals(); len(refused) > 0 {
		t.Fatalf("the verifier refused: %v", refused)
	}
	if len(opened) != 1 {
		t.Fatalf("the browser was opened %d times", len(opened))
	}
	pushes := v.PushedForms()
	if len(pushes) != 1 {
		t.Fatalf("%d pushes", len(pushes))
	}
	p := pushes[0]
	redirect, _ := url.Parse(p.Get("redirect_uri"))
	if p.Get("client_id") != "bank-client" || p.Get("scope") != "accounts" || p.Get("code_challenge_method") != "S256" || p.Get("state") == "" ||
		redirect == nil || redirect.Hostname() != "127.0.0.1" || p.Get("authorization_details") != wantDetails {
		t.Errorf("pushed %v", p)
	}
	if strings.Contains(opened[0], "bank-secret") || strings.Contains(opened[0], "authorization_details") || strings.Contains(opened[0], "code_challenge") {
		t.Errorf("the browser saw %s", opened[0])
	}
	tokens := v.TokenForms()
	if len(tokens) != 1 || tokens[0].Get("authorization_details") != wantDetails {
		t.Errorf("token requests %v", tokens)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(r.out), &out); err != nil {
		t.Fatal(err)
	}
	granted, _ := json.Marshal(out["authorization_details"])
	if string(granted) != wantDetails {
		t.Errorf("token --json authorization_details %s", granted)
	}
	r = h.run("call", "--config", cfg, "bank", "GET", "/accounts")
	r.expect(t, ExitOK, "call bank from the cache")
	if last, _ := es.lastRequest(); !strings.HasPrefix(strings.Join(last.Header["Authorization"], ","), "Bearer par-access-") {
		t.Errorf("Authorization %q", last.Header["Authorization"])
	}
	r = h.run("token", "--config", cfg, "--json", "bank")
	r.expect(t, ExitOK, "token bank from the cache")
	if !strings.Contains(r.out, `"authorization_details"`) {
		t.Errorf("the cached token lost its granted authorization_details: %s", r.out)
	}
}

// TestPARRefusals: a PAR endpoint missing from discovery, and a push the
// server refuses, are exit 2 naming the provider and the key, with the
// server's own message; no browser opens and no secret is printed.
func TestPARRefusals(t *testing.T) {
	v := partest.New(map[string]string{"bank-client": "bank-secret-Hhh.888"})
	defer v.Close()
	noPAR := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		base := "http://" + r.Host
		fmt.Fprintf(w, `{"issuer":%q,"authorization_endpoint":%q,"token_endpoint":%q}`, base, base+"/authorize", base+"/token")
	}))
	defer noPAR.Close()
	h := newHarness(t)
	var opened []string
	h.open = parBrowser(t, &opened)
	provider := func(name, issuer, secret string) string {
		return "[providers." + name + "]\nbase_url = \"https://api.example\"\ngrant = \"authorization_code\"\nissuer = \"" + issuer + "\"\nclient_id = \"bank-client\"\nclient_secret = \"" + secret + "\"\npar = true\n"
	}
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n"+provider("nopar", noPAR.URL, "bank-secret-Hhh.888")+provider("wrong", v.URL, "wrong-secret-Iii.999"))
	for _, c := range []struct{ name, want, hint string }{
		{"nopar", "keyhole: nopar: authorization request: par = true, but there is no par_url and the issuer's metadata names no pushed_authorization_request_endpoint", "hint: set par_url"},
		{"wrong", "keyhole: wrong: PAR endpoint answered 401: invalid_client: client authentication failed", "hint: the token endpoint refused the client"},
	} {
		r := h.run("token", "--config", cfg, c.name)
		r.expect(t, ExitToken, "token "+c.name)
		if !strings.Contains(r.errOut, c.want) || !strings.Contains(r.errOut, c.hint) {
			t.Errorf("%s: stderr %s", c.name, r.errOut)
		}
		if strings.Contains(r.out+r.errOut, "-secret-") {
			t.Errorf("%s: a secret is printed", c.name)
		}
	}
	if len(opened) != 0 {
		t.Errorf("a browser was opened for a request never pushed: %v", opened)
	}
}

// TestRARClientCredentials: authorization_details ride on a
// client_credentials token request too, and the granted ones show.
func TestRARClientCredentials(t *testing.T) {
	v := partest.New(map[string]string{"bank-client": "bank-secret-Hhh.888"})
	defer v.Close()
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n[providers.bank]\nbase_url = \"https://api.example\"\ngrant = \"client_credentials\"\n"+
		"token_url = \""+v.URL+"/token\"\nclient_id = \"bank-client\"\nclient_secret = \"bank-secret-Hhh.888\"\n"+bankDetails)
	r := h.run("token", "--config", cfg, "--json", "bank")
	r.expect(t, ExitOK, "token bank")
	if tokens := v.TokenForms(); len(tokens) != 1 || tokens[0].Get("authorization_details") != wantDetails {
		t.Errorf("token requests %v (refused %v)", tokens, v.Refusals())
	}
	if !strings.Contains(r.out, `"type": "payment_initiation"`) {
		t.Errorf("token --json: %s", r.out)
	}
}

// TestPARConfig: par and authorization_details are checked with the
// file, line and key.
func TestPARConfig(t *testing.T) {
	h := newHarness(t)
	const head = "[providers.bank]\nbase_url = \"https://api.example.com\"\n"
	for _, c := range []struct{ text, want string }{
		{head + "grant = \"client_credentials\"\ntoken_url = \"https://l.example/t\"\npar = true\n", "bad.toml:5: providers.bank.par: par is for grant = \"authorization_code\""},
		{head + "grant = \"authorization_code\"\nauth_url = \"https://l.example/a\"\ntoken_url = \"https://l.example/t\"\npar = true\n", "bad.toml:6: providers.bank.par: par = true needs par_url, or issuer"},
		{head + "grant = \"authorization_code\"\nissuer = \"https://l.example\"\npar_url = \"https://l.example/par\"\n", "bad.toml:5: providers.bank.par_url: par_url is set but par is not"},
		{head + "grant = \"authorization_code\"\nissuer = \"https://l.example\"\npar = true\npar_url = \"javascript:alert(1)\"\n", "providers.bank.par_url"},
		{head + "grant = \"client_credentials\"\ntoken_url = \"https://l.example/t\"\n\n  [[providers.bank.authorization_details]]\n  type = \"a\"\n\n  [[providers.bank.authorization_details]]\n  actions = [\"read\"]\n", "providers.bank.authorization_details: entry 2 has no type"},
	} {
		cfg := h.writeConfig("bad.toml", c.text)
		r := h.run("providers", "--config", cfg)
		r.expect(t, ExitUsage, c.text)
		if !strings.Contains(r.errOut, c.want) {
			t.Errorf("%q:\nstderr %s\nwant %q", c.text, r.errOut, c.want)
		}
	}
}
