package curl

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// TestExportEnvironment: the token command of a provider in an
// environment asks for that environment's token, and still reads back.
func TestExportEnvironment(t *testing.T) {
	p := &config.Provider{Name: "api", BaseURL: "https://staging.example.com", Environment: "my env"}
	c, err := Export(p, exchange.Request{Method: "GET", Target: "/x"}, Options{ConfigPath: "/k.toml"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Command, `$(keyhole --config /k.toml '--env=my env' token api)`) {
		t.Fatalf("command = %s", c.Command)
	}
	_, info, err := Parse(c.Command)
	if err != nil || info.Provider != "api" || info.ConfigPath != "/k.toml" {
		t.Errorf("read back: %+v, %v", info, err)
	}
}
