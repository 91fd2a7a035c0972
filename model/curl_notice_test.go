package model

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/dpop/dpoptest"
)

// TestCopyCurlNoticeNamesDPoPProof: y on a DPoP provider's request copies
// a command that runs keyhole dpop for its proof, and the notice says so
// beside where the token comes from, with or without {{variables}}.
func TestCopyCurlNoticeNamesDPoPProof(t *testing.T) {
	testEnv(t)
	srv := dpoptest.NewServer()
	defer srv.Close()
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.api]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-value\"\ndpop = true\nvars = { id = \"7\" }\n", srv.URL, srv.URL+"/token"),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true, ConfigPath: "k.toml"}, 120, 40)
	r.send(press("enter"))
	if e := r.m.active(); e.tok == nil {
		t.Fatalf("no token: %v", e.err)
	}
	for _, path := range []string{"/accounts", "/accounts/{{id}}"} {
		r.m.setFocus(paneRequest)
		r.m.composer.SetRequest("GET", path, "", "")
		m, clip := clipboardOf(t, r.m, press("y"))
		r.m = m
		if !strings.Contains(clip, "dpop api GET") {
			t.Fatalf("%s: the copied command runs no keyhole dpop:\n%s\nnotice %q", path, clip, m.notice)
		}
		if !strings.Contains(m.notice, "its DPoP proof from $(keyhole dpop api") {
			t.Errorf("%s: the notice does not say where the proof comes from: %q", path, m.notice)
		}
	}
}
