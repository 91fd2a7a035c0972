package doctor_test

import (
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
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
			p := &providers.Provider{Name: "x", Scopes: tt.scopes, BaseURL: srv.URL}
			ev := evidenceOf(t, p, newToken(plain, "Bearer", tt.scopes...), srv.URL+"/items/7", nil)
			ev.Operation = oneOf
			fs := doctor.Diagnose(ev)
			t.Logf("%s", findingsText(fs))
			firstFinding(t, fs, tt.want, tt.causeHas, tt.fixHas, tt.without)
			checkNoSecret(t, fs, plain)
		})
	}
}
