package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

// TestSignedClientCommands drives token, call and curl for providers that
// sign their client assertion or use the JWT-bearer grant, against the
// demo (zitadel's op verifies the assertions), and the failures a person
// meets: an assertion the server refuses, a key file that is not there.
// Neither the assertion (a JWT: "eyJ...") nor the key reaches the output.
func TestSignedClientCommands(t *testing.T) {
	h := newHarness(t)
	srv, _ := h.startDemo(demo.Options{})
	h.writeConfig("keys/demo-jwt.pem", string(demo.JWTClientKey()))
	h.writeConfig("keys/demo-jwt-rsa.pem", string(demo.JWTClientRSAKey()))
	base := srv.URL()
	provider := func(name, body string) string {
		return fmt.Sprintf("[providers.%s]\nbase_url = %q\nissuer = %q\nclient_id = %q\nscopes = [\"api:read\"]\n%s\n", name, base, base, demo.JWTClientID, body)
	}
	cfg := h.writeConfig("keyhole.toml", "[settings]\ntoken_cache = \"file\"\n\n"+
		provider("signed", "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nclient_key_file = \"keys/demo-jwt.pem\"\nassertion_audience = \"issuer\"")+
		provider("bearer", "grant = \"jwt_bearer\"\nclient_key_file = \"keys/demo-jwt-rsa.pem\"\nclient_key_id = \"demo-jwt-rsa\"\nclient_key_alg = \"PS256\"\nassertion_audience = \"issuer\"")+
		provider("wrong-aud", "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nclient_key_file = \"keys/demo-jwt.pem\"")+
		provider("no-key", "grant = \"client_credentials\"\nclient_auth = \"private_key_jwt\"\nclient_key_file = \"keys/missing.pem\""))
	keyMaterial := strings.Split(string(demo.JWTClientKey()), "\n")[1]

	for _, c := range []struct {
		name   string
		args   []string
		ok     bool
		stdout []string
		stderr []string
		tokOK  bool // a token may be printed (keyhole token)
	}{
		{name: "token", args: []string{"token", "signed"}, ok: true, stdout: []string{"eyJ"}, tokOK: true},
		{name: "call", args: []string{"call", "signed", "GET", "/api/me"}, ok: true, stdout: []string{`"sub":"demo-jwt"`}},
		{name: "curl", args: []string{"curl", "signed", "GET", "/api/me"}, ok: true, stdout: []string{"$(keyhole", "token signed)"}},
		{name: "jwt_bearer token", args: []string{"token", "bearer"}, ok: true, stdout: []string{"eyJ"}, tokOK: true},
		{name: "jwt_bearer call", args: []string{"call", "bearer", "GET", "/api/items"}, ok: true, stdout: []string{`"items"`}},
		{name: "refused assertion", args: []string{"token", "wrong-aud"}, stderr: []string{"wrong-aud", "invalid_client", "The client assertion was refused", "assertion_audience"}},
		{name: "missing key file", args: []string{"token", "no-key"}, stderr: []string{"provider no-key: client_key_file", "missing.pem: no such file"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{c.args[0], "--config", cfg}, c.args[1:]...)
			r := h.run(args...)
			if (r.code == ExitOK) != c.ok {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.out, r.errOut)
			}
			r.outHas(t, c.stdout...)
			r.errHas(t, c.stderr...)
			shown := r.errOut
			if !c.tokOK {
				shown += r.out
			}
			if strings.Contains(shown, "eyJ") || strings.Contains(r.out+r.errOut, keyMaterial) || strings.Contains(r.out+r.errOut, "client_assertion=") {
				t.Errorf("an assertion, a token or the key was printed:\n%s\n%s", r.out, r.errOut)
			}
		})
	}
}
