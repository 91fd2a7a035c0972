package demo

import (
	"fmt"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// Config returns a keyhole TOML configuration for the demo providers
// served at baseURL ("http://127.0.0.1:PORT"), ready to paste into a config
// file: demo-cc (client_credentials), demo-pkce (authorization_code with
// PKCE, on a random loopback port) and demo-device (device_code), each with
// a few saved requests.
func Config(baseURL string) string {
	base := strings.TrimRight(baseURL, "/")
	q := tomltext.Quote
	var b strings.Builder
	fmt.Fprintf(&b, `# keyhole demo server at %s
# Its client credentials are public and fixed; it listens on loopback only.

[providers.demo-cc]
title = "Demo · client credentials"
base_url = %s
grant = "client_credentials"
token_url = %s
revoke_url = %s
introspect_url = %s
client_auth = "basic"
client_id = %s
client_secret = %s
scopes = ["api:read", "api:write"]
`, strings.Map(noControl, base), q(base), q(base+"/oauth2/token"), q(base+"/oauth2/revoke"),
		q(base+"/oauth2/introspect"), q(CCClientID), q(CCClientSecret))
	writeRequests(&b, "demo-cc", []savedRequest{
		{name: "Who am I", method: "GET", path: "/api/me"},
		{name: "List items", method: "GET", path: "/api/items", query: "page", value: "1"},
		{name: "Create an item", method: "POST", path: "/api/items", body: `{"name": "Brass Hinge", "tags": ["hardware"], "price": 12.5}`},
		{name: "Big response (5 MB)", method: "GET", path: "/api/big", query: "mb", value: "5"},
		{name: "Slow response (3 s)", method: "GET", path: "/api/slow", query: "ms", value: "3000"},
		{name: "Server error (503)", method: "GET", path: "/api/status/503"},
	})

	fmt.Fprintf(&b, `
[providers.demo-pkce]
title = "Demo · authorization code + PKCE"
base_url = %s
grant = "authorization_code"
auth_url = %s
token_url = %s
revoke_url = %s
client_auth = "none"
client_id = %s
scopes = ["api:read", "offline_access"]
# No redirect_port: keyhole listens on a random free port of 127.0.0.1.
`, q(base), q(base+"/oauth2/auth"), q(base+"/oauth2/token"), q(base+"/oauth2/revoke"), q(PKCEClientID))
	writeRequests(&b, "demo-pkce", []savedRequest{
		{name: "Who am I", method: "GET", path: "/api/me"},
		{name: "List items, page 2", method: "GET", path: "/api/items", query: "page", value: "2"},
		{name: "Create an item (needs api:write: expect 403)", method: "POST", path: "/api/items", body: `{"name": "Cedar Latch"}`},
	})

	fmt.Fprintf(&b, `
[providers.demo-device]
title = "Demo · device code"
base_url = %s
grant = "device_code"
device_url = %s
token_url = %s
revoke_url = %s
client_auth = "none"
client_id = %s
scopes = ["api:read", "offline_access"]
`, q(base), q(base+"/oauth2/device_authorization"), q(base+"/oauth2/token"), q(base+"/oauth2/revoke"), q(DeviceClientID))
	writeRequests(&b, "demo-device", []savedRequest{
		{name: "Who am I", method: "GET", path: "/api/me"},
		{name: "List items, page 3", method: "GET", path: "/api/items", query: "page", value: "3"},
		{name: "Slow response (2 s)", method: "GET", path: "/api/slow", query: "ms", value: "2000"},
	})
	return b.String()
}

// savedRequest is one [[providers.NAME.requests]] entry; query and value
// are an optional single query parameter. These are our own constants:
// query must be a bare TOML key and body must hold no single quote, as it
// is written as a literal string.
type savedRequest struct {
	name, method, path, query, value, body string
}

func writeRequests(b *strings.Builder, provider string, reqs []savedRequest) {
	for _, r := range reqs {
		fmt.Fprintf(b, "\n  [[providers.%s.requests]]\n  name = %s\n  method = %s\n  path = %s\n",
			provider, tomltext.Quote(r.name), tomltext.Quote(r.method), tomltext.Quote(r.path))
		if r.query != "" {
			fmt.Fprintf(b, "  query = { %s = %s }\n", r.query, tomltext.Quote(r.value)) // r.query is a bare key
		}
		if r.body != "" {
			fmt.Fprintf(b, "  headers = { \"Content-Type\" = \"application/json\" }\n  body = '%s'\n", r.body) // a literal string: no escapes in the JSON
		}
	}
}

// noControl keeps a value from breaking out of a TOML comment line.
func noControl(r rune) rune {
	if r < 0x20 || r == 0x7f {
		return ' '
	}
	return r
}
