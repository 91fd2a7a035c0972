package providers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
)

func docPrefix(s string) *string { return &s }

// TestDiagnose is one real exchange per finding: an API on 127.0.0.1
// enforcing the rule, a request built by Provider.Apply, and the doctor
// naming the cause first, with a fix in the config's own words and never
// the token.
func TestDiagnose(t *testing.T) {
	const plain = "tok-8f2a91c4d7e6b3a5"
	jwtExpired := docJWT(t, map[string]any{"sub": "svc", "exp": docNow.Add(-2 * time.Minute).Unix()})
	jwtBilling := docJWT(t, map[string]any{"sub": "svc", "aud": "billing-api", "exp": docNow.Add(time.Hour).Unix()})
	jwtURLAud := docJWT(t, map[string]any{"sub": "svc", "aud": "https://billing.example.com", "exp": docNow.Add(time.Hour).Unix()})
	maptable := docJWT(t, map[string]any{"sub": "app", "exp": docNow.Add(8 * time.Hour).Unix()})

	type setup struct {
		p      *providers.Provider
		tok    *providers.Token
		path   string      // joined to the server's URL
		header http.Header // written in the request by hand, before Apply
		// byHand: the request went out as written, without Apply (a curl
		// import, or -H with $(keyhole token NAME)); tok is still held.
		byHand bool
	}
	tests := []struct {
		name   string
		api    docAPI
		setup  func(base string) setup
		other  bool     // send to a second server: another origin than base_url
		want   string   // the first finding's code
		fixHas []string // what its Fix must say
	}{
		{name: "no token held", want: providers.CodeNoAuthorization, fixHas: []string{"keyhole token demo"},
			api: docAPI{token: plain},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "demo", BaseURL: base}, path: "/api/me"}
			}},
		{name: "token in another header", want: providers.CodeNoAuthorization, fixHas: []string{`inject = { header = "Authorization", prefix = "Bearer " }`},
			api: docAPI{token: plain},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base, Inject: &providers.Inject{Header: "X-Api-Token"}}, tok: docToken(plain, "Bearer"), path: "/api/me"}
			}},
		{name: "seed 000: access_token scheme", want: providers.CodeWrongScheme, fixHas: []string{`inject = { header = "Authorization", prefix = "Bearer " }`, `prefix = "access_token "`},
			api: docAPI{token: plain},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "tapkey", BaseURL: base, Inject: &providers.Inject{Header: "Authorization", Prefix: docPrefix("access_token ")}}, tok: docToken(plain, "Bearer"), path: "/Owners"}
			}},
		{name: "Token scheme", want: providers.CodeWrongScheme, fixHas: []string{`prefix = "Bearer "`},
			api: docAPI{token: plain},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base, Inject: &providers.Inject{Prefix: docPrefix("Token ")}}, tok: docToken(plain, "bearer"), path: "/x"}
			}},
		{name: "bare token, no scheme", want: providers.CodeWrongScheme, fixHas: []string{`prefix = "Bearer "`},
			api: docAPI{token: plain},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base, Inject: &providers.Inject{Prefix: docPrefix("")}}, tok: docToken(plain, "Bearer"), path: "/x"}
			}},
		// Apply never doubles the scheme; a header written by hand does,
		// as with -H "Authorization: Bearer $(keyhole token maptable)",
		// which prints maptable's token with its "Bearer " already on.
		{name: "maptable: Bearer Bearer", want: providers.CodeDoublePrefix, fixHas: []string{`inject = { header = "Authorization", prefix = "" }`, "{{access_token}}"},
			api: docAPI{token: maptable},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "maptable", BaseURL: base, Inject: &providers.Inject{Header: "Authorization", Prefix: docPrefix("")}},
					tok: docToken("Bearer "+maptable, ""), byHand: true,
					path: "/open/api/v1/x", header: http.Header{"Authorization": {"Bearer Bearer " + maptable}}}
			}},
		{name: "sys303: header where the API takes ?access_token=", want: providers.CodeHeaderVsQuery, fixHas: []string{`inject = { query = "access_token" }`},
			api: docAPI{token: plain, query: "access_token"},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "sys303", BaseURL: base}, tok: docToken(plain, ""), path: "/ocr"}
			}},
		{name: "query where the API takes a header", want: providers.CodeQueryVsHeader, fixHas: []string{`inject = { header = "Authorization", prefix = "Bearer " }`, `in place of`},
			api: docAPI{token: plain},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base, Inject: &providers.Inject{Query: "access_token"}}, tok: docToken(plain, "Bearer"), path: "/x"}
			}},
		{name: "expired by keyhole's clock", want: providers.CodeExpiredLocal, fixHas: []string{"05:05:07", "press r", "keyhole token demo-cc --force"},
			api: docAPI{token: plain, expires: docNow.Add(-time.Minute)},
			setup: func(base string) setup {
				tok := docToken(plain, "bearer")
				tok.Expiry = docNow.Add(-time.Minute)
				return setup{p: &providers.Provider{Name: "demo-cc", BaseURL: base}, tok: tok, path: "/api/me"}
			}},
		{name: "expired by the JWT's exp", want: providers.CodeExpiredJWT, fixHas: []string{"05:04:07", "press r", "--force"},
			api: docAPI{token: jwtExpired},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base}, tok: docToken(jwtExpired, "Bearer"), path: "/x"}
			}},
		{name: "clock 5 minutes behind the server", want: providers.CodeClockSkew, fixHas: []string{"5m0s behind the server's", `refresh_before = "6m0s"`},
			api: docAPI{token: plain, skew: 5 * time.Minute, expires: docNow.Add(2 * time.Minute)},
			setup: func(base string) setup {
				tok := docToken(plain, "Bearer")
				tok.Expiry = docNow.Add(2 * time.Minute)
				return setup{p: &providers.Provider{Name: "x", BaseURL: base}, tok: tok, path: "/x"}
			}},
		{name: "a token the server does not know", want: providers.CodeInvalidToken, fixHas: []string{"keyhole token x --force", "`token_url`", "press i"},
			api: docAPI{token: "another-token-entirely"},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base}, tok: docToken(plain, "Bearer"), path: "/x"}
			}},
		{name: "403 insufficient_scope", want: providers.CodeInsufficientScope, fixHas: []string{`scopes = ["api:read", "api:write"]`},
			api: docAPI{token: plain, needs: "api:write", scopes: []string{"api:read"}},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base, Scopes: []string{"api:read"}}, tok: docToken(plain, "Bearer", "api:read"), path: "/items"}
			}},
		{name: "aud is not the configured audience", want: providers.CodeAudienceMismatch, fixHas: []string{`audience = "orders-api"`},
			api: docAPI{token: jwtBilling, aud: "orders-api"},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base, Audience: "orders-api"}, tok: docToken(jwtBilling, "Bearer"), path: "/orders"}
			}},
		{name: "the server blames the audience", want: providers.CodeAudienceMismatch, fixHas: []string{`audience = "http://127.0.0.1:`},
			api: docAPI{token: jwtURLAud, aud: "orders-api"},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base + "/v1"}, tok: docToken(jwtURLAud, "Bearer"), path: "/v1/orders"}
			}},
		{name: "scope asked for but not granted", want: providers.CodeScopeNotGranted, fixHas: []string{`scopes = ["openid", "api:read"]`, "api:write"},
			api: docAPI{token: plain, needs: "api:write", scopes: []string{"api:read"}, plain: true},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base, Scopes: []string{"openid", "api:read", "api:write"}}, tok: docToken(plain, "Bearer", "api:read"), path: "/items"}
			}},
		{name: "token in two places", want: providers.CodeInvalidRequest, fixHas: []string{"one way only", `inject = { header = "Authorization", prefix = "Bearer " }`},
			api: docAPI{token: plain},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base}, tok: docToken(plain, "Bearer"), path: "/x?access_token=" + plain}
			}},
		{name: "another origin: withheld", want: providers.CodeTokenWithheld, fixHas: []string{`base_url = "http://127.0.0.1:`, "--send-token"}, other: true,
			api: docAPI{token: plain},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base}, tok: docToken(plain, "Bearer"), path: "/x"}
			}},
		{name: "401 with nothing to go on", want: providers.CodeUnexplained, fixHas: []string{"keyhole token x --force", "press i"},
			api: docAPI{token: plain, refuse: http.StatusUnauthorized},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base}, tok: docToken(plain, "Bearer", "api:read"), path: "/x"}
			}},
		{name: "403 with nothing to go on", want: providers.CodeUnexplained, fixHas: []string{`scopes = ["api:read"]`, "press v"},
			api: docAPI{token: plain, refuse: http.StatusForbidden},
			setup: func(base string) setup {
				return setup{p: &providers.Provider{Name: "x", BaseURL: base, Scopes: []string{"api:read"}}, tok: docToken(plain, "Bearer", "api:read"), path: "/admin"}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := docServe(t, tt.api)
			s := tt.setup(srv.URL)
			target := srv.URL
			if tt.other {
				target = docServe(t, tt.api).URL
			}
			held := s.tok
			if s.byHand {
				held = nil
			}
			ev := docExchange(t, s.p, held, target+s.path, s.header)
			ev.Token = s.tok
			fs := providers.Diagnose(ev)
			if len(fs) == 0 || fs[0].Code != tt.want {
				t.Fatalf("status %d: findings %v, want %s first\n%s", ev.Status, docCodes(fs), tt.want, docFindingsText(fs))
			}
			for _, want := range tt.fixHas {
				if !strings.Contains(fs[0].Fix, want) {
					t.Errorf("Fix does not say %q:\n%s", want, fs[0].Fix)
				}
			}
			if fs[0].Cause == "" || strings.Contains(fs[0].Cause, "\n") {
				t.Errorf("Cause must be one line: %q", fs[0].Cause)
			}
			secrets := []string{plain, maptable, jwtExpired, jwtBilling, jwtURLAud}
			if s.tok != nil {
				secrets = append(secrets, s.tok.Access.Reveal())
			}
			docCheckNoSecret(t, fs, secrets...)
			t.Logf("%s", docFindingsText(fs))
		})
	}
}

func docFindingsText(fs []providers.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.Code + ": " + f.String() + "\n")
	}
	return b.String()
}

// TestDiagnoseOnlyExplainsRefusals: any other status, from a real server,
// gives no findings.
func TestDiagnoseOnlyExplainsRefusals(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusTooManyRequests, http.StatusInternalServerError} {
		srv := docServe(t, docAPI{refuse: status})
		p := &providers.Provider{Name: "x", BaseURL: srv.URL}
		ev := docExchange(t, p, docToken("tok-8f2a91c4d7e6b3a5", "Bearer"), srv.URL+"/x", nil)
		if ev.Status != status {
			t.Fatalf("server answered %d, want %d", ev.Status, status)
		}
		if fs := providers.Diagnose(ev); fs != nil {
			t.Errorf("%d: findings %v, want nil", status, docCodes(fs))
		}
	}
	if fs := providers.Diagnose(providers.Evidence{Status: http.StatusUnauthorized}); len(fs) == 0 {
		t.Error("an empty 401 must still get an answer")
	}
}

// TestDiagnoseAudienceNeedsSomeoneToSaySo: an aud that looks foreign is
// not blamed when neither the config nor the server says what it should be.
func TestDiagnoseAudienceNeedsSomeoneToSaySo(t *testing.T) {
	tok := docJWT(t, map[string]any{"aud": "https://billing.example.com", "exp": docNow.Add(time.Hour).Unix()})
	srv := docServe(t, docAPI{token: "not-this-one"})
	p := &providers.Provider{Name: "x", BaseURL: srv.URL}
	fs := providers.Diagnose(docExchange(t, p, docToken(tok, "Bearer"), srv.URL+"/x", nil))
	if slices.Contains(docCodes(fs), providers.CodeAudienceMismatch) {
		t.Errorf("findings %v: audience_mismatch with nobody saying what aud should be", docCodes(fs))
	}
	docCheckNoSecret(t, fs, tok)
}

// TestDiagnoseScopesServersLeaveOut: openid, offline_access and Azure's
// .default are not "asked for but not granted" when the answer omits them.
func TestDiagnoseScopesServersLeaveOut(t *testing.T) {
	srv := docServe(t, docAPI{refuse: http.StatusForbidden})
	p := &providers.Provider{Name: "azurecn", BaseURL: srv.URL, Scopes: []string{"openid", "offline_access", "api://1f2e/.default"}}
	fs := providers.Diagnose(docExchange(t, p, docToken("tok-8f2a91c4d7e6b3a5", "Bearer", "Orders.Read"), srv.URL+"/x", nil))
	if codes := docCodes(fs); slices.Contains(codes, providers.CodeScopeNotGranted) {
		t.Errorf("findings %v: scope_not_granted for scopes servers never list", codes)
	}
}

// TestDiagnoseMaptableAsIssued: maptable's token carries "Bearer " and is
// sent raw; that is the right scheme, not a wrong or doubled one.
func TestDiagnoseMaptableAsIssued(t *testing.T) {
	jwt := docJWT(t, map[string]any{"exp": docNow.Add(time.Hour).Unix()})
	srv := docServe(t, docAPI{token: jwt, refuse: http.StatusUnauthorized})
	p := &providers.Provider{Name: "maptable", BaseURL: srv.URL, Inject: &providers.Inject{Header: "Authorization", Prefix: docPrefix("")}}
	ev := docExchange(t, p, docToken("Bearer "+jwt, ""), srv.URL+"/x", nil)
	if got := ev.Header.Get("Authorization"); got != "Bearer "+jwt {
		t.Fatalf("sent %.20q..., want the token as issued", got)
	}
	fs := providers.Diagnose(ev)
	if codes := docCodes(fs); !slices.Equal(codes, []string{providers.CodeUnexplained}) {
		t.Errorf("findings %v, want only unexplained\n%s", codes, docFindingsText(fs))
	}
	docCheckNoSecret(t, fs, jwt)
}

func TestFindingString(t *testing.T) {
	f := providers.Finding{Code: "c", Cause: "the cause", Fix: "the fix"}
	if got := f.String(); got != "the cause — the fix" {
		t.Errorf("String = %q", got)
	}
	if got := (providers.Finding{Cause: "only"}).String(); got != "only" {
		t.Errorf("String without a fix = %q", got)
	}
}

// TestDiagnoseQuotesServerTextSafely: what the server says is shown, but
// never a control sequence that would drive the terminal, and never at
// any length.
func TestDiagnoseQuotesServerTextSafely(t *testing.T) {
	long := strings.Repeat("very long explanation ", 40)
	srv := docServe(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", docNow.Format(http.TimeFormat))
		docJSON(w, http.StatusUnauthorized, map[string]any{"error_msg": "\x1b[2J\x1b]52;c;aGk=\x07cleared\r\nyour screen " + long})
	}))
	p := &providers.Provider{Name: "x", BaseURL: srv.URL}
	fs := providers.Diagnose(docExchange(t, p, docToken("tok-8f2a91c4d7e6b3a5", "Bearer"), srv.URL+"/x", nil))
	if len(fs) != 1 || fs[0].Code != providers.CodeUnexplained {
		t.Fatalf("findings %v, want unexplained", docCodes(fs))
	}
	cause := fs[0].Cause
	if strings.ContainsAny(cause, "\x1b\x07\r\n") || !strings.Contains(cause, "cleared your screen") {
		t.Errorf("server text not made safe: %q", cause)
	}
	if strings.Count(cause, "very long explanation") > 10 {
		t.Errorf("server text not cut: %d bytes", len(cause))
	}
}
