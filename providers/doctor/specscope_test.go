package doctor_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/doctor"
)

// TestDiagnoseSpecScopes: the spec's required scopes come in the
// evidence as plain data, and a real 403 from an API on 127.0.0.1 is
// explained by them first, in the config's words, with what the server's
// challenge says beside it.
func TestDiagnoseSpecScopes(t *testing.T) {
	const plain = "spec-scope-token-7d1e"
	deleteItem := &doctor.Operation{Method: "DELETE", Path: "/items/{id}", ID: "deleteItem", Scheme: "oauth", Scopes: []string{"api:write"}}
	tests := []struct {
		name     string
		api      apiServer
		p        *config.Provider
		scopes   []string // the token's
		op       *doctor.Operation
		want     string // the first finding's code
		causeHas []string
		fixHas   []string
		without  []string // codes that must not show
	}{
		{name: "the server agrees", want: doctor.CodeSpecScope,
			api: apiServer{token: plain, needs: "api:write", scopes: []string{"api:read"}},
			p:   &config.Provider{Name: "x", Scopes: []string{"api:read"}}, scopes: []string{"api:read"}, op: deleteItem,
			causeHas: []string{"the spec says DELETE /items/{id} (deleteItem) needs scope api:write (security scheme oauth); the token has api:read", `WWW-Authenticate agrees (scope="api:write")`},
			fixHas:   []string{`scopes = ["api:read", "api:write"]`, "press r", "keyhole token x --force"},
			without:  []string{doctor.CodeInsufficientScope}},
		{name: "the server names another scope", want: doctor.CodeSpecScope,
			api: apiServer{token: plain, needs: "api:admin", scopes: []string{"api:read"}},
			p:   &config.Provider{Name: "x", Scopes: []string{"api:read"}}, scopes: []string{"api:read"}, op: deleteItem,
			causeHas: []string{"needs scope api:write", "the server's WWW-Authenticate asks for api:admin, which the spec does not name"},
			fixHas:   []string{`scopes = ["api:read", "api:write", "api:admin"]`}},
		{name: "a bare 403: the spec alone explains it", want: doctor.CodeSpecScope,
			api: apiServer{token: plain, needs: "api:write", scopes: []string{"api:read"}, plain: true},
			p:   &config.Provider{Name: "x"}, scopes: []string{"api:read"}, op: deleteItem,
			causeHas: []string{"needs scope api:write", "the token has api:read"},
			fixHas:   []string{`scopes = ["api:write"]`},
			without:  []string{doctor.CodeUnexplained}},
		{name: "the config asks, the server did not grant", want: doctor.CodeSpecScope,
			api: apiServer{token: plain, needs: "api:write", scopes: []string{"api:read"}, plain: true},
			p:   &config.Provider{Name: "x", Scopes: []string{"api:read", "api:write"}}, scopes: []string{"api:read"}, op: deleteItem,
			fixHas: []string{"the config already asks for it", "allow api:write for this client at the authorization server"}},
		{name: "the token carries what the spec says", want: doctor.CodeInsufficientScope,
			api: apiServer{token: plain, needs: "api:admin", scopes: []string{"api:read", "api:write"}},
			p:   &config.Provider{Name: "x", Scopes: []string{"api:read", "api:write"}}, scopes: []string{"api:read", "api:write"}, op: deleteItem,
			without: []string{doctor.CodeSpecScope}},
		{name: "a token whose scopes nobody listed", want: doctor.CodeSpecScope,
			api: apiServer{token: plain, needs: "api:write", scopes: nil},
			p:   &config.Provider{Name: "x"}, op: deleteItem,
			causeHas: []string{"needs scope api:write (security scheme oauth); the token has none keyhole knows of (the server did not list them)"},
			fixHas:   []string{`scopes = ["api:write"]`}},
		{name: "a spec's text is made safe", want: doctor.CodeSpecScope,
			api: apiServer{token: plain, needs: "api:write", scopes: []string{"api:read"}, plain: true},
			p:   &config.Provider{Name: "x"}, scopes: []string{"api:read"},
			op:       &doctor.Operation{Method: "GET", Path: "/items/\x1b]0;pwned\a", ID: "x\x1b[2J", Scopes: []string{"api:write"}},
			causeHas: []string{"needs scope api:write"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.api)
			tt.p.BaseURL = srv.URL
			ev := evidenceOf(t, tt.p, newToken(plain, "Bearer", tt.scopes...), srv.URL+"/items/7", nil)
			ev.Operation = tt.op
			fs := doctor.Diagnose(ev)
			t.Logf("%s", findingsText(fs))
			firstFinding(t, fs, tt.want, tt.causeHas, tt.fixHas, tt.without)
			for _, f := range fs {
				if strings.ContainsAny(f.String(), "\x1b\a") {
					t.Errorf("a control character from the spec reached the finding: %q", f.String())
				}
			}
			checkNoSecret(t, fs, plain)
		})
	}
}

// firstFinding fails unless the first finding is want, its cause and fix
// say every causeHas and fixHas, and no finding is one of without.
func firstFinding(t *testing.T, fs []doctor.Finding, want string, causeHas, fixHas, without []string) {
	t.Helper()
	if len(fs) == 0 || fs[0].Code != want {
		t.Fatalf("findings %v, want %s first", codes(fs), want)
	}
	for _, s := range causeHas {
		if !strings.Contains(fs[0].Cause, s) {
			t.Errorf("Cause does not say %q:\n%s", s, fs[0].Cause)
		}
	}
	for _, s := range fixHas {
		if !strings.Contains(fs[0].Fix, s) {
			t.Errorf("Fix does not say %q:\n%s", s, fs[0].Fix)
		}
	}
	for _, code := range without {
		if slices.Contains(codes(fs), code) {
			t.Errorf("%s found too: %v", code, codes(fs))
		}
	}
}
