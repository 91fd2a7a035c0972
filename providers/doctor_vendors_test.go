package providers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
)

// TestDiagnoseSeedVendors runs the doctor on the seed vendors' own
// emulators (see vendors_test.go), through exchange.Send as the TUI does,
// with the one config mistake each vendor's document is about.
func TestDiagnoseSeedVendors(t *testing.T) {
	tests := []struct {
		vendor, path string
		edit         func(string) string
		want, fixHas string
	}{
		// Seed 000: "Authorization: access_token X" instead of Bearer.
		{"tapkey", "/Owners", func(s string) string {
			return strings.Replace(s, "client_auth = \"basic\"\n", "client_auth = \"basic\"\ninject = { header = \"Authorization\", prefix = \"access_token \" }\n", 1)
		}, providers.CodeWrongScheme, `inject = { header = "Authorization", prefix = "Bearer " }`},
		// Seed 002: the token belongs in ?access_token=; without the
		// inject line keyhole sends the usual Bearer header.
		{"sys303", "/account/balance", func(s string) string {
			return strings.Replace(s, "inject = { query = \"access_token\" }\n", "", 1)
		}, providers.CodeHeaderVsQuery, `inject = { query = "access_token" }`},
		// Seed 003: token_type=Bearer, sent under another scheme.
		{"azurecn", "/devcenter/apps", func(s string) string {
			return strings.Replace(s, "client_auth = \"post\"\n", "client_auth = \"post\"\ninject = { prefix = \"Token \" }\n", 1)
		}, providers.CodeWrongScheme, `prefix = "Bearer "`},
	}
	for _, tt := range tests {
		t.Run(tt.vendor, func(t *testing.T) {
			v := startVendor(t, tt.vendor, nil)
			p := v.provider(t, v.config(t, tt.edit), nil)
			s := v.session(t, p)
			tok, err := s.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			ex := v.send(t, s, tok, tt.path, nil)
			if ex.Response == nil {
				t.Fatalf("no response: %v", ex.Err)
			}
			if ex.Response.Status != http.StatusUnauthorized {
				t.Fatalf("status %d, want the emulator's 401", ex.Response.Status)
			}
			fs := providers.Diagnose(providers.Evidence{
				Provider: p, Token: ex.Token,
				Method: ex.Sent.Method, URL: ex.Sent.URL, Header: ex.Sent.Header, Withheld: ex.Sent.Withheld,
				Status: ex.Response.Status, ResponseHeader: ex.Response.Header, Body: ex.Response.Body,
				Now: v.clock.Now(),
			})
			if len(fs) == 0 || fs[0].Code != tt.want {
				t.Fatalf("findings %v, want %s first\n%s", docCodes(fs), tt.want, docFindingsText(fs))
			}
			if !strings.Contains(fs[0].Fix, tt.fixHas) {
				t.Errorf("Fix does not say %s:\n%s", tt.fixHas, fs[0].Fix)
			}
			docCheckNoSecret(t, fs, tok.Access.Reveal())
			t.Logf("%s", docFindingsText(fs))
		})
	}
}
