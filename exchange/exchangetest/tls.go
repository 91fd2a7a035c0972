package exchangetest

import (
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TLSServer serves {"ok":true} over TLS with httptest's self-signed
// certificate until the test ends, and writes that certificate to
// dir/ca.pem for a provider's ca_file. The handshakes of clients that do
// not trust it fail without a log line: the tests make them on purpose.
func TLSServer(t testing.TB, dir string) (srv *httptest.Server, ca string) {
	t.Helper()
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

// TLSProviders is a config of four static providers on base, in this
// order, each with the token t-NAME: trusted (its ca_file is ca), plain
// (no TLS settings), risky (insecure = true) and broken (its ca_file,
// missing, is not there).
func TLSProviders(base, ca, missing string) string {
	text := "[settings]\ntoken_cache = \"memory\"\n"
	for _, p := range []struct{ name, extra string }{
		{"trusted", fmt.Sprintf("ca_file = %q", ca)}, {"plain", ""}, {"risky", "insecure = true"}, {"broken", fmt.Sprintf("ca_file = %q", missing)},
	} {
		text += fmt.Sprintf("\n[providers.%s]\nbase_url = %q\ngrant = \"static\"\ntoken = \"t-%s\"\n%s\n", p.name, base, p.name, p.extra)
	}
	return text
}
