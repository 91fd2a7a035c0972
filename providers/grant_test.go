package providers_test

import (
	"fmt"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// TestGrantFromTheConfig: the grant key reads as the same strings it
// always did, each into its typed Grant, and the type answers what the
// session and the screens ask of it.
func TestGrantFromTheConfig(t *testing.T) {
	tests := []struct {
		grant         config.Grant
		interactive   bool
		tokenEndpoint bool
		extra         string
	}{
		{config.GrantClientCredentials, false, true, `token_url = "https://login.example.com/token"`},
		{config.GrantAuthorizationCode, true, true, ""},
		{config.GrantDeviceCode, true, true, ""},
		{config.GrantRefreshToken, false, true, ""},
		{config.GrantPassword, false, true, ""},
		{config.GrantStatic, false, false, ""},
		{config.GrantCustom, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.grant), func(t *testing.T) {
			text := fmt.Sprintf("[providers.x]\nbase_url = \"https://api.example.com\"\ngrant = %q\n%s\n", string(tt.grant), tt.extra)
			cfg, err := config.Parse("k.toml", []byte(text))
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
	if config.Grant("implicit").Known() {
		t.Error("implicit is not a keyhole grant")
	}
}
