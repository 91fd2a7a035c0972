package doctor_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/doctor"
)

// TestDiagnose is one real exchange per finding: an API on 127.0.0.1
// enforcing the rule, a request built by Provider.Apply, and the doctor
// naming the cause first, with a fix in the config's own words and never
// the token.
func TestDiagnose(t *testing.T) {
	const plain = "tok-8f2a91c4d7e6b3a5"
	jwtExpired := makeJWT(t, map[string]any{"sub": "svc", "exp": clockNow.Add(-2 * time.Minute).Unix()})
	jwtBilling := makeJWT(t, map[string]any{"sub": "svc", "aud": "billing-api", "exp": clockNow.Add(time.Hour).Unix()})
	jwtURLAud := makeJWT(t, map[string]any{"sub": "svc", "aud": "https://billing.example.com", "exp": clockNow.Add(time.Hour).Unix()})
	maptable := makeJWT(t, map[string]any{"sub": "app", "exp": clockNow.Add(8 * time.Hour).Unix()})

	type setup struct {
		p      *config.Provider
		tok    *providers.Token
		path   string      // joined to the server's URL
		header http.Header // written in the request by hand, before Apply
		// byHand: the request went out as written, without Apply (a curl
		// import, or -H with $(keyhole token NAME)); tok is still held.
		byHand bool
	}
	tests := []struct {
		name   string
		api    apiServer
		setup  func(base string) setup
		other  bool     // send to a second server: another origin than base_url
		want   string   // the first finding's code
		fixHas []string // what its Fix must say
	}{
		{name: "no token held", want: doctor.CodeNoAuthorization, fixHas: []string{"keyhole token demo"},
			api: apiServer{token: plain},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "demo", BaseURL: base}, path: "/api/me"}
			}},
		{name: "token in another header", want: doctor.CodeNoAuthorization, fixHas: []string{`inject = { header = "Authorization", prefix = "Bearer " }`},
			api: apiServer{token: plain},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base, Inject: &config.Inject{Header: "X-Api-Token"}}, tok: newToken(plain, "Bearer"), path: "/api/me"}
			}},
		{name: "seed 000: access_token scheme", want: doctor.CodeWrongScheme, fixHas: []string{`inject = { header = "Authorization", prefix = "Bearer " }`, `prefix = "access_token "`},
			api: apiServer{token: plain},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "tapkey", BaseURL: base, Inject: &config.Inject{Header: "Authorization", Prefix: new("access_token ")}}, tok: newToken(plain, "Bearer"), path: "/Owners"}
			}},
		{name: "Token scheme", want: doctor.CodeWrongScheme, fixHas: []string{`prefix = "Bearer "`},
			api: apiServer{token: plain},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base, Inject: &config.Inject{Prefix: new("Token ")}}, tok: newToken(plain, "bearer"), path: "/x"}
			}},
		{name: "bare token, no scheme", want: doctor.CodeWrongScheme, fixHas: []string{`prefix = "Bearer "`},
			api: apiServer{token: plain},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base, Inject: &config.Inject{Prefix: new("")}}, tok: newToken(plain, "Bearer"), path: "/x"}
			}},
		// Apply never doubles the scheme; a header written by hand does,
		// as with -H "Authorization: Bearer $(keyhole token maptable)",
		// which prints maptable's token with its "Bearer " already on.
		{name: "maptable: Bearer Bearer", want: doctor.CodeDoublePrefix, fixHas: []string{`inject = { header = "Authorization", prefix = "" }`, "{{access_token}}"},
			api: apiServer{token: maptable},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "maptable", BaseURL: base, Inject: &config.Inject{Header: "Authorization", Prefix: new("")}},
					tok: newToken("Bearer "+maptable, ""), byHand: true,
					path: "/open/api/v1/x", header: http.Header{"Authorization": {"Bearer Bearer " + maptable}}}
			}},
		{name: "sys303: header where the API takes ?access_token=", want: doctor.CodeHeaderVsQuery, fixHas: []string{`inject = { query = "access_token" }`},
			api: apiServer{token: plain, query: "access_token"},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "sys303", BaseURL: base}, tok: newToken(plain, ""), path: "/ocr"}
			}},
		{name: "query where the API takes a header", want: doctor.CodeQueryVsHeader, fixHas: []string{`inject = { header = "Authorization", prefix = "Bearer " }`, `in place of`},
			api: apiServer{token: plain},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base, Inject: &config.Inject{Query: "access_token"}}, tok: newToken(plain, "Bearer"), path: "/x"}
			}},
		{name: "expired by keyhole's clock", want: doctor.CodeExpiredLocal, fixHas: []string{"05:05:07", "press r", "keyhole token demo-cc --force"},
			api: apiServer{token: plain, expires: clockNow.Add(-time.Minute)},
			setup: func(base string) setup {
				tok := newToken(plain, "bearer")
				tok.Expiry = clockNow.Add(-time.Minute)
				return setup{p: &config.Provider{Name: "demo-cc", BaseURL: base}, tok: tok, path: "/api/me"}
			}},
		{name: "expired by the JWT's exp", want: doctor.CodeExpiredJWT, fixHas: []string{"05:04:07", "press r", "--force"},
			api: apiServer{token: jwtExpired},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base}, tok: newToken(jwtExpired, "Bearer"), path: "/x"}
			}},
		{name: "clock 5 minutes behind the server", want: doctor.CodeClockSkew, fixHas: []string{"5m0s behind the server's", `refresh_before = "6m0s"`},
			api: apiServer{token: plain, skew: 5 * time.Minute, expires: clockNow.Add(2 * time.Minute)},
			setup: func(base string) setup {
				tok := newToken(plain, "Bearer")
				tok.Expiry = clockNow.Add(2 * time.Minute)
				return setup{p: &config.Provider{Name: "x", BaseURL: base}, tok: tok, path: "/x"}
			}},
		{name: "a token the server does not know", want: doctor.CodeInvalidToken, fixHas: []string{"keyhole token x --force", "`token_url`", "press i"},
			api: apiServer{token: "another-token-entirely"},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base}, tok: newToken(plain, "Bearer"), path: "/x"}
			}},
		{name: "403 insufficient_scope", want: doctor.CodeInsufficientScope, fixHas: []string{`scopes = ["api:read", "api:write"]`},
			api: apiServer{token: plain, needs: "api:write", scopes: []string{"api:read"}},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base, Scopes: []string{"api:read"}}, tok: newToken(plain, "Bearer", "api:read"), path: "/items"}
			}},
		{name: "aud is not the configured audience", want: doctor.CodeAudienceMismatch, fixHas: []string{`audience = "orders-api"`},
			api: apiServer{token: jwtBilling, aud: "orders-api"},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base, Audience: "orders-api"}, tok: newToken(jwtBilling, "Bearer"), path: "/orders"}
			}},
		{name: "the server blames the audience", want: doctor.CodeAudienceMismatch, fixHas: []string{`audience = "http://127.0.0.1:`},
			api: apiServer{token: jwtURLAud, aud: "orders-api"},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base + "/v1"}, tok: newToken(jwtURLAud, "Bearer"), path: "/v1/orders"}
			}},
		{name: "scope asked for but not granted", want: doctor.CodeScopeNotGranted, fixHas: []string{`scopes = ["openid", "api:read"]`, "api:write"},
			api: apiServer{token: plain, needs: "api:write", scopes: []string{"api:read"}, plain: true},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base, Scopes: []string{"openid", "api:read", "api:write"}}, tok: newToken(plain, "Bearer", "api:read"), path: "/items"}
			}},
		{name: "token in two places", want: doctor.CodeInvalidRequest, fixHas: []string{"one way only", `inject = { header = "Authorization", prefix = "Bearer " }`},
			api: apiServer{token: plain},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base}, tok: newToken(plain, "Bearer"), path: "/x?access_token=" + plain}
			}},
		{name: "another origin: withheld", want: doctor.CodeTokenWithheld, fixHas: []string{`base_url = "http://127.0.0.1:`, "--send-token"}, other: true,
			api: apiServer{token: plain},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base}, tok: newToken(plain, "Bearer"), path: "/x"}
			}},
		{name: "401 with nothing to go on", want: doctor.CodeUnexplained, fixHas: []string{"keyhole token x --force", "press i"},
			api: apiServer{token: plain, refuse: http.StatusUnauthorized},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base}, tok: newToken(plain, "Bearer", "api:read"), path: "/x"}
			}},
		{name: "403 with nothing to go on", want: doctor.CodeUnexplained, fixHas: []string{`scopes = ["api:read"]`, "press v"},
			api: apiServer{token: plain, refuse: http.StatusForbidden},
			setup: func(base string) setup {
				return setup{p: &config.Provider{Name: "x", BaseURL: base, Scopes: []string{"api:read"}}, tok: newToken(plain, "Bearer", "api:read"), path: "/admin"}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.api)
			s := tt.setup(srv.URL)
			target := srv.URL
			if tt.other {
				target = serve(t, tt.api).URL
			}
			held := s.tok
			if s.byHand {
				held = nil
			}
			ev := evidenceOf(t, s.p, held, target+s.path, s.header)
			ev.Token = s.tok
			fs := doctor.Diagnose(ev)
			if len(fs) == 0 || fs[0].Code != tt.want {
				t.Fatalf("status %d: findings %v, want %s first\n%s", ev.Status, codes(fs), tt.want, findingsText(fs))
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
			checkNoSecret(t, fs, secrets...)
			t.Logf("%s", findingsText(fs))
		})
	}
}

func findingsText(fs []doctor.Finding) string {
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
		srv := serve(t, apiServer{refuse: status})
		p := &config.Provider{Name: "x", BaseURL: srv.URL}
		ev := evidenceOf(t, p, newToken("tok-8f2a91c4d7e6b3a5", "Bearer"), srv.URL+"/x", nil)
		if ev.Status != status {
			t.Fatalf("server answered %d, want %d", ev.Status, status)
		}
		if fs := doctor.Diagnose(ev); fs != nil {
			t.Errorf("%d: findings %v, want nil", status, codes(fs))
		}
	}
	if fs := doctor.Diagnose(doctor.Evidence{Status: http.StatusUnauthorized}); len(fs) == 0 {
		t.Error("an empty 401 must still get an answer")
	}
}

// TestDiagnoseAudienceNeedsSomeoneToSaySo: an aud that looks foreign is
// not blamed when neither the config nor the server says what it should be.
func TestDiagnoseAudienceNeedsSomeoneToSaySo(t *testing.T) {
	tok := makeJWT(t, map[string]any{"aud": "https://billing.example.com", "exp": clockNow.Add(time.Hour).Unix()})
	srv := serve(t, apiServer{token: "not-this-one"})
	p := &config.Provider{Name: "x", BaseURL: srv.URL}
	fs := doctor.Diagnose(evidenceOf(t, p, newToken(tok, "Bearer"), srv.URL+"/x", nil))
	if slices.Contains(codes(fs), doctor.CodeAudienceMismatch) {
		t.Errorf("findings %v: audience_mismatch with nobody saying what aud should be", codes(fs))
	}
	checkNoSecret(t, fs, tok)
}

// TestDiagnoseSkewOfDaysGivesAValueTheConfigReads: a clock days behind the
// server's gets a refresh_before the config reads back (it once came as
// "3d0h", which no config accepts), and the skew reads as every other
// span of days does.
func TestDiagnoseSkewOfDaysGivesAValueTheConfigReads(t *testing.T) {
	const plain = "tok-8f2a91c4d7e6b3a5"
	srv := serve(t, apiServer{token: plain, skew: 72 * time.Hour, expires: clockNow.Add(2 * time.Minute)})
	tok := newToken(plain, "Bearer")
	tok.Expiry = clockNow.Add(2 * time.Minute)
	fs := doctor.Diagnose(evidenceOf(t, &config.Provider{Name: "x", BaseURL: srv.URL}, tok, srv.URL+"/x", nil))
	if len(fs) == 0 || fs[0].Code != doctor.CodeClockSkew {
		t.Fatalf("findings %v, want %s first\n%s", codes(fs), doctor.CodeClockSkew, findingsText(fs))
	}
	if !strings.Contains(fs[0].Cause, "3d 0h behind the server's") {
		t.Errorf("Cause does not say 3d 0h behind: %s", fs[0].Cause)
	}
	_, rest, ok := strings.Cut(fs[0].Fix, "`refresh_before = ")
	line, _, _ := strings.Cut(rest, "`")
	if !ok || line == "" {
		t.Fatalf("Fix suggests no refresh_before: %s", fs[0].Fix)
	}
	cfg, err := config.Parse("k.toml", []byte("[settings]\nrefresh_before = "+line+"\n"))
	if err != nil {
		t.Fatalf("the suggested refresh_before = %s does not parse: %v", line, err)
	}
	if got := cfg.Settings.RefreshBefore.Std(); got < 72*time.Hour {
		t.Errorf("refresh_before = %s reads as %s, less than the skew", line, got)
	}
}

// TestDiagnoseScopesServersLeaveOut: openid, offline_access and Azure's
// .default are not "asked for but not granted" when the answer omits them.
func TestDiagnoseScopesServersLeaveOut(t *testing.T) {
	srv := serve(t, apiServer{refuse: http.StatusForbidden})
	p := &config.Provider{Name: "azurecn", BaseURL: srv.URL, Scopes: []string{"openid", "offline_access", "api://1f2e/.default"}}
	fs := doctor.Diagnose(evidenceOf(t, p, newToken("tok-8f2a91c4d7e6b3a5", "Bearer", "Orders.Read"), srv.URL+"/x", nil))
	if codes := codes(fs); slices.Contains(codes, doctor.CodeScopeNotGranted) {
		t.Errorf("findings %v: scope_not_granted for scopes servers never list", codes)
	}
}

// TestDiagnoseMaptableAsIssued: maptable's token carries "Bearer " and is
// sent raw; that is the right scheme, not a wrong or doubled one.
func TestDiagnoseMaptableAsIssued(t *testing.T) {
	jwt := makeJWT(t, map[string]any{"exp": clockNow.Add(time.Hour).Unix()})
	srv := serve(t, apiServer{token: jwt, refuse: http.StatusUnauthorized})
	p := &config.Provider{Name: "maptable", BaseURL: srv.URL, Inject: &config.Inject{Header: "Authorization", Prefix: new("")}}
	ev := evidenceOf(t, p, newToken("Bearer "+jwt, ""), srv.URL+"/x", nil)
	if got := ev.Header.Get("Authorization"); got != "Bearer "+jwt {
		t.Fatalf("sent %.20q..., want the token as issued", got)
	}
	fs := doctor.Diagnose(ev)
	if codes := codes(fs); !slices.Equal(codes, []string{doctor.CodeUnexplained}) {
		t.Errorf("findings %v, want only unexplained\n%s", codes, findingsText(fs))
	}
	checkNoSecret(t, fs, jwt)
}

func TestFindingString(t *testing.T) {
	f := doctor.Finding{Code: "c", Cause: "the cause", Fix: "the fix"}
	if got := f.String(); got != "the cause — the fix" {
		t.Errorf("String = %q", got)
	}
	if got := (doctor.Finding{Cause: "only"}).String(); got != "only" {
		t.Errorf("String without a fix = %q", got)
	}
}

// TestDiagnoseQuotesServerTextSafely: what the server says is shown, but
// never a control sequence that would drive the terminal, and never at
// any length.
func TestDiagnoseQuotesServerTextSafely(t *testing.T) {
	long := strings.Repeat("very long explanation ", 40)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", clockNow.Format(http.TimeFormat))
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error_msg": "\x1b[2J\x1b]52;c;aGk=\x07cleared\r\nyour screen " + long})
	}))
	p := &config.Provider{Name: "x", BaseURL: srv.URL}
	fs := doctor.Diagnose(evidenceOf(t, p, newToken("tok-8f2a91c4d7e6b3a5", "Bearer"), srv.URL+"/x", nil))
	if len(fs) != 1 || fs[0].Code != doctor.CodeUnexplained {
		t.Fatalf("findings %v, want unexplained", codes(fs))
	}
	cause := fs[0].Cause
	if strings.ContainsAny(cause, "\x1b\x07\r\n") || !strings.Contains(cause, "cleared your screen") {
		t.Errorf("server text not made safe: %q", cause)
	}
	if strings.Count(cause, "very long explanation") > 10 {
		t.Errorf("server text not cut: %d bytes", len(cause))
	}
}
