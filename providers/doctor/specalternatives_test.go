package doctor_test

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/doctor"
)

// TestDiagnoseSpecAlternatives: a spec's security alternatives are OR,
// not AND. A 403 from an API on 127.0.0.1 is explained by the alternative
// closest to the token, the others named beside it; a token that
// satisfies any one of them is not blamed by the spec.
func TestDiagnoseSpecAlternatives(t *testing.T) {
	const plain = "spec-alt-token-41c2"
	oneOf := &doctor.Operation{Method: "DELETE", Path: "/items/{id}", ID: "deleteItem",
		Alternatives: []doctor.Alternative{
			{Scheme: "oauth", Scopes: []string{"api:write", "api:audit"}},
			{Scheme: "oauth", Scopes: []string{"api:write"}},
			{Scheme: "oauth", Scopes: []string{"admin"}},
			{Scheme: "apiKey"},
		}}
	tests := []struct {
		name     string
		needs    string   // what the server's challenge asks for
		scopes   []string // the token's
		want     string
		causeHas []string
		fixHas   []string
		without  []string
	}{
		{name: "the closest alternative speaks", needs: "api:write", scopes: []string{"api:read"}, want: doctor.CodeSpecScope,
			causeHas: []string{"the spec says DELETE /items/{id} (deleteItem) needs scope api:write (or api:write api:audit, or admin) (security scheme oauth); the token has api:read"},
			fixHas:   []string{`scopes = ["api:read", "api:write"]`}},
		{name: "the server names another alternative", needs: "admin", scopes: []string{"api:read"}, want: doctor.CodeSpecScope,
			causeHas: []string{"needs scope api:write (or api:write api:audit, or admin)", `WWW-Authenticate agrees (scope="admin")`},
			without:  []string{doctor.CodeInsufficientScope}},
		{name: "one alternative is enough", needs: "api:delete", scopes: []string{"admin"}, want: doctor.CodeInsufficientScope,
			without: []string{doctor.CodeSpecScope}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, apiServer{token: plain, needs: tt.needs, scopes: tt.scopes})
			p := &config.Provider{Name: "x", Scopes: tt.scopes, BaseURL: srv.URL}
			ev := evidenceOf(t, p, newToken(plain, "Bearer", tt.scopes...), srv.URL+"/items/7", nil)
			ev.Operation = oneOf
			fs := doctor.Diagnose(ev)
			t.Logf("%s", findingsText(fs))
			firstFinding(t, fs, tt.want, tt.causeHas, tt.fixHas, tt.without)
			checkNoSecret(t, fs, plain)
		})
	}
}

// TestDiagnoseSpecTokenOptional: an operation whose security lists an
// empty alternative ([{}, {oauth: [admin]}]) needs no credential, so a
// 403 from an API on 127.0.0.1 is never blamed on the token's scopes by
// the spec: the doctor says the spec does not require them, and the
// server's own challenge speaks for itself.
func TestDiagnoseSpecTokenOptional(t *testing.T) {
	const plain = "spec-optional-token-93b0"
	maybe := &doctor.Operation{Method: "GET", Path: "/items/{id}", ID: "getItem", Scheme: "oauth", Scopes: []string{"admin"},
		Alternatives: []doctor.Alternative{{}, {Scheme: "oauth", Scopes: []string{"admin"}}}, Optional: true}
	anyone := &doctor.Operation{Method: "GET", Path: "/items/{id}", ID: "getItem", Optional: true}
	tests := []struct {
		name     string
		api      apiServer
		op       *doctor.Operation
		want     string // the first finding's code
		causeHas []string
	}{
		{name: "a bare 403", op: maybe, want: doctor.CodeSpecTokenOptional,
			api:      apiServer{token: plain, needs: "admin", scopes: []string{"api:read"}, plain: true},
			causeHas: []string{"the spec says GET /items/{id} (getItem) does not require the token's scopes", "with a token, it documents admin"}},
		{name: "the server asks for a scope", op: maybe, want: doctor.CodeInsufficientScope,
			api:      apiServer{token: plain, needs: "admin", scopes: []string{"api:read"}},
			causeHas: []string{"does not require the token's scopes"}},
		{name: "only the empty alternative", op: anyone, want: doctor.CodeSpecTokenOptional,
			api:      apiServer{token: plain, needs: "admin", scopes: []string{"api:read"}, plain: true},
			causeHas: []string{"no credential is needed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.api)
			p := &config.Provider{Name: "x", Scopes: []string{"api:read"}, BaseURL: srv.URL}
			ev := evidenceOf(t, p, newToken(plain, "Bearer", "api:read"), srv.URL+"/items/7", nil)
			ev.Operation = tt.op
			fs := doctor.Diagnose(ev)
			t.Logf("%s", findingsText(fs))
			firstFinding(t, fs, tt.want, nil, nil, []string{doctor.CodeSpecScope})
			var said *doctor.Finding
			for i := range fs {
				if fs[i].Code == doctor.CodeSpecTokenOptional {
					said = &fs[i]
				}
			}
			if said == nil {
				t.Fatalf("no %s finding", doctor.CodeSpecTokenOptional)
			}
			for _, s := range tt.causeHas {
				if !strings.Contains(said.Cause, s) {
					t.Errorf("its cause does not say %q:\n%s", s, said.Cause)
				}
			}
			checkNoSecret(t, fs, plain)
		})
	}
}
