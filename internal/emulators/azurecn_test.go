package emulators_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/emulators"
)

func azureForm(emu emulators.Emulator, extra ...string) string {
	env := emu.Env()
	kv := append([]string{
		"grant_type", "client_credentials", "client_id", env["AZURECN_CLIENT_ID"],
		"client_secret", env["AZURECN_CLIENT_SECRET"], "scope", env["AZURECN_RESOURCE"] + "/.default",
	}, extra...)
	return form(kv...)
}

func azurePath(emu emulators.Emulator) string {
	return "/" + emu.Env()["AZURECN_TENANT"] + "/oauth2/v2.0/token"
}

const formCT = "Content-Type: application/x-www-form-urlencoded"

// Seed 003's curl and Python send Type=oauth2; its C# sample does not.
func TestAzureCNWithAndWithoutType(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "azurecn", emulators.Options{Now: clk.Now})
	for _, body := range []string{azureForm(emu, "Type", "oauth2"), azureForm(emu)} {
		r := do(t, srv, "POST", azurePath(emu), body, formCT)
		wantStatus(t, r, 200)
		if str(r, "token_type") != "Bearer" || num(r, "expires_in") != 3599 || num(r, "ext_expires_in") != 3599 || len(r.body) != 4 {
			t.Fatalf("token body %s", r.raw)
		}
		tok := str(r, "access_token")
		c := claims(t, tok)
		if c["aud"] != emu.Env()["AZURECN_RESOURCE"] || c["tid"] != emu.Env()["AZURECN_TENANT"] || c["appid"] != emu.Env()["AZURECN_CLIENT_ID"] {
			t.Errorf("claims %v", c)
		}
		api := do(t, srv, "GET", "/api/devcenter/apps", "", "Authorization: Bearer "+tok)
		wantStatus(t, api, 200)
		if !strings.Contains(api.raw, `"value":[`) {
			t.Errorf("api body %s", api.raw)
		}
	}
	wantStats(t, emu.Stats(), emulators.Stats{Requests: 4, TokenOK: 2, APIOK: 2})
}

func TestAzureCNRejectsWrongSecretWithAADSTS(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "azurecn", emulators.Options{Now: clk.Now})
	env := emu.Env()
	r := do(t, srv, "POST", azurePath(emu), form("grant_type", "client_credentials", "client_id", env["AZURECN_CLIENT_ID"],
		"client_secret", "wrong", "scope", env["AZURECN_RESOURCE"]+"/.default", "Type", "oauth2"), formCT)
	wantStatus(t, r, 401)
	if str(r, "error") != "invalid_client" || !strings.HasPrefix(str(r, "error_description"), "AADSTS7000215: Invalid client secret provided.") {
		t.Errorf("body %s", r.raw)
	}
	if codes, _ := r.body["error_codes"].([]any); len(codes) != 1 || codes[0] != float64(7000215) {
		t.Errorf("error_codes %v", r.body["error_codes"])
	}
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !guid.MatchString(str(r, "trace_id")) || !guid.MatchString(str(r, "correlation_id")) {
		t.Errorf("trace/correlation ids %s", r.raw)
	}
	if str(r, "timestamp") != clk.Now().Format("2006-01-02 15:04:05Z") {
		t.Errorf("timestamp %q, want the injected clock's", str(r, "timestamp"))
	}

	cases := []struct {
		name, path, body, ct string
		status               int
		err                  string
		code                 float64
	}{
		{"wrong tenant", "/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token", azureForm(emu), formCT, 400, "invalid_request", 90002},
		{"unknown client", azurePath(emu), form("grant_type", "client_credentials", "client_id", "nobody", "client_secret", "x", "scope", env["AZURECN_RESOURCE"]+"/.default"), formCT, 400, "unauthorized_client", 700016},
		{"no secret", azurePath(emu), form("grant_type", "client_credentials", "client_id", env["AZURECN_CLIENT_ID"], "scope", env["AZURECN_RESOURCE"]+"/.default"), formCT, 401, "invalid_client", 7000218},
		{"JSON body", azurePath(emu), `{"grant_type":"client_credentials"}`, "Content-Type: application/json", 400, "invalid_request", 900144},
		{"scope without /.default", azurePath(emu), azureForm(emu, "scope", env["AZURECN_RESOURCE"]), formCT, 400, "invalid_scope", 1002012},
		{"other resource", azurePath(emu), azureForm(emu, "scope", "11111111-2222-3333-4444-555555555555/.default"), formCT, 400, "invalid_resource", 500011},
		{"auth code grant", azurePath(emu), azureForm(emu, "grant_type", "authorization_code"), formCT, 400, "unsupported_grant_type", 70003},
	}
	for _, c := range cases {
		r := do(t, srv, "POST", c.path, c.body, c.ct)
		if r.status != c.status || str(r, "error") != c.err || !strings.HasPrefix(str(r, "error_description"), "AADSTS") {
			t.Errorf("%s: %d %s", c.name, r.status, r.raw)
		}
		if codes, _ := r.body["error_codes"].([]any); len(codes) != 1 || codes[0] != c.code {
			t.Errorf("%s: error_codes %v, want [%v]", c.name, r.body["error_codes"], c.code)
		}
	}
	wantStats(t, emu.Stats(), emulators.Stats{TokenFailed: map[string]int{
		emulators.ReasonInvalidClient: 3, emulators.ReasonWrongTenant: 1, emulators.ReasonBadRequest: 1,
		emulators.ReasonInvalidScope: 2, emulators.ReasonUnsupportedGrant: 1,
	}})
}

func TestAzureCNAPIRequiresBearerAndExpires(t *testing.T) {
	clk := newClock()
	emu, srv := start(t, "azurecn", emulators.Options{Now: clk.Now})
	tok := str(do(t, srv, "POST", azurePath(emu), azureForm(emu), formCT), "access_token")

	for _, h := range []string{"Authorization: " + tok, "Authorization: access_token " + tok, "Authorization: Bearer Bearer " + tok} {
		r := do(t, srv, "GET", "/api/devcenter/apps/app-001", "", h)
		wantStatus(t, r, 401)
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), `Bearer authorization_uri="`+srv.URL+"/"+emu.Env()["AZURECN_TENANT"]+`", error="invalid_token"`) {
			t.Errorf("%s: WWW-Authenticate %q", h, r.header.Get("WWW-Authenticate"))
		}
	}
	wantStatus(t, do(t, srv, "GET", "/api/devcenter/apps/app-001", "", "Authorization: Bearer "+tok), 200)
	wantStatus(t, do(t, srv, "GET", "/api/devcenter/apps/nope", "", "Authorization: Bearer "+tok), 404)
	clk.Advance(3599 * time.Second)
	r := do(t, srv, "GET", "/api/devcenter/apps", "", "Authorization: Bearer "+tok)
	wantStatus(t, r, 401)
	if str(r, "error.code") != "ExpiredAuthenticationToken" {
		t.Errorf("expired body %s", r.raw)
	}
	wantStats(t, emu.Stats(), emulators.Stats{TokenOK: 1, APIOK: 1, APIRejected: map[string]int{
		emulators.ReasonWrongScheme: 2, emulators.ReasonDoublePrefix: 1, emulators.ReasonNotFound: 1, emulators.ReasonExpiredToken: 1,
	}})
}
