package providers_test

import (
	"fmt"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
)

// TestGrantFromTheConfig: the grant key reads as the same strings it
// always did, each into its typed Grant, and the type answers what the
// session and the screens ask of it.
func TestGrantFromTheConfig(t *testing.T) {
	tests := []struct {
		grant         providers.Grant
		interactive   bool
		tokenEndpoint bool
		extra         string
	}{
		{providers.GrantClientCredentials, false, true, `token_url = "https://login.example.com/token"`},
		{providers.GrantAuthorizationCode, true, true, ""},
		{providers.GrantDeviceCode, true, true, ""},
		{providers.GrantRefreshToken, false, true, ""},
		{providers.GrantPassword, false, true, ""},
		{providers.GrantStatic, false, false, ""},
		{providers.GrantCustom, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.grant), func(t *testing.T) {
			text := fmt.Sprintf("[providers.x]\nbase_url = \"https://api.example.com\"\ngrant = %q\n%s\n", string(tt.grant), tt.extra)
			cfg, err := providers.Parse("k.toml", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			g := cfg.Providers[0].Grant
			if g != tt.grant || !g.Known() {
				t.Fatalf("grant %q (known %v), want %q", g, g.Known(), tt.grant)
			}
			if g.Interactive() != tt.interactive || cfg.Providers[0].Interactive() != tt.interactive {
				t.Errorf("Interactive() = %v, want %v", g.Interactive(), tt.interactive)
			}
			if g.UsesTokenEndpoint() != tt.tokenEndpoint {
				t.Errorf("UsesTokenEndpoint() = %v, want %v", g.UsesTokenEndpoint(), tt.tokenEndpoint)
			}
			if err := providers.Supported(cfg.Providers[0]); err != nil {
				t.Errorf("Supported: %v", err)
			}
		})
	}
	if providers.Grant("implicit").Known() {
		t.Error("implicit is not a keyhole grant")
	}
}
