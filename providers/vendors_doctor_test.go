package providers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/doctor"
)

// TestDiagnoseSeedVendors runs the doctor on the seed vendors' own
// emulators (see vendors_test.go), through exchange.Send and the
// exchange's Diagnose as the TUI does, with the one config mistake each
// vendor's document is about.
func TestDiagnoseSeedVendors(t *testing.T) {
	tests := []struct {
		vendor, path string
		edit         func(string) string
		want, fixHas string
	}{
		// Seed 000: "Authorization: access_token X" instead of Bearer.
		{"tapkey", "/Owners", func(s string) string {
			return strings.Replace(s, "client_auth = \"basic\"\n", "client_auth = \"basic\"\ninject = { header = \"Authorization\", prefix = \"access_token \" }\n", 1)
		}, doctor.CodeWrongScheme, `inject = { header = "Authorization", prefix = "Bearer " }`},
		// Seed 002: the token belongs in ?access_token=; without the
		// inject line keyhole sends the usual Bearer header.
		{"sys303", "/account/balance", func(s string) string {
			return strings.Replace(s, "inject = { query = \"access_token\" }\n", "", 1)
		}, doctor.CodeHeaderVsQuery, `inject = { query = "access_token" }`},
		// Seed 003: token_type=Bearer, sent under another scheme.
		{"azurecn", "/devcenter/apps", func(s string) string {
			return strings.Replace(s, "client_auth = \"post\"\n", "client_auth = \"post\"\ninject = { prefix = \"Token \" }\n", 1)
		}, doctor.CodeWrongScheme, `prefix = "Bearer "`},
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
			fs := ex.Diagnose(p, v.clock.Now())
			var text strings.Builder
			for _, f := range fs {
				text.WriteString("  " + f.Code + ": " + f.String() + "\n")
			}
			if len(fs) == 0 || fs[0].Code != tt.want {
				t.Fatalf("findings, want %s first:\n%s", tt.want, text.String())
			}
			if !strings.Contains(fs[0].Fix, tt.fixHas) {
				t.Errorf("Fix does not say %s:\n%s", tt.fixHas, fs[0].Fix)
			}
			if strings.Contains(text.String(), tok.Access.Reveal()) {
				t.Errorf("a finding shows the token:\n%s", text.String())
			}
			t.Logf("%s", text.String())
		})
	}
}
