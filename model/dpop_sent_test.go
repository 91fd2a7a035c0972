package model

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/dpop/dpoptest"
)

// TestDPoPHeaderInSentRequest: the request as it went out — the Sent
// lines under the composer and the history entry — shows the DPoP header
// the transport added, masked like Authorization while redacting, and the
// proof itself only on ctrl+r; reopening the entry from history does not
// copy the masked proof into the composer (a new one is made on send).
func TestDPoPHeaderInSentRequest(t *testing.T) {
	testEnv(t)
	srv := dpoptest.NewServer()
	defer srv.Close()
	b := configBackend(t, "k.toml", fmt.Sprintf("[providers.api]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s3cr3t-value\"\ndpop = true\n", srv.URL, srv.URL+"/token"),
		nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	hist, err := history.Open(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	b.History = hist
	r := record(t, b, Options{Redact: true}, 160, 50)
	r.send(press("enter"))
	if r.m.active().tok == nil {
		t.Fatalf("no token: %v", r.m.active().err)
	}
	m, cmd := startSend(t, r.m, "/things")
	r.m = m
	for _, msg := range drain(t, cmd) {
		r.send(msg)
	}
	if ex := r.m.ex; ex == nil || ex.Response == nil || ex.Response.Status != 200 {
		t.Fatalf("the send did not get a 200: %+v\n%s", ex, plain(r.m))
	}
	recs := srv.Records()
	proof := recs[len(recs)-1].Raw
	if proof == "" {
		t.Fatal("the API saw no proof")
	}
	screen := plain(r.m)
	if !strings.Contains(screen, "DPoP: ••••") || !strings.Contains(screen, "Authorization: DPoP ••••") {
		t.Errorf("the request as sent lacks its masked DPoP header:\n%s", screen)
	}
	r.noLeak(proof, r.m.active().tok.Access.Reveal())

	kept, err := os.ReadFile(hist.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(kept), `"DPoP":["••••"]`) {
		t.Errorf("the history entry lacks the masked DPoP header: %s", kept)
	}
	if strings.Contains(string(kept), proof) || strings.Contains(string(kept), proof[len(proof)-20:]) {
		t.Error("a proof is in the history file")
	}

	r.send(press("ctrl+r"))
	if lines := strings.Join(r.m.sentLines(), "\n"); !strings.Contains(lines, "DPoP: "+proof) {
		t.Errorf("ctrl+r does not show the proof that went out:\n%s", lines)
	}
}
