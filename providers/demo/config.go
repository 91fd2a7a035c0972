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
// a few saved requests and openapi pointing at the sample API's description.
func Config(baseURL string) string {
	base := strings.TrimRight(baseURL, "/")
	var b strings.Builder
	fmt.Fprintf(&b, `# keyhole demo server at %s
# Its client credentials are public and fixed; it listens on loopback only.
`, strings.Map(noControl, base))
	for _, p := range demoProviders() {
		writeProvider(&b, base, p)
	}
	return b.String()
}

// demoProviders are the three providers Config writes, in order (a
// function, not a package variable, so that nothing can change them).
func demoProviders() []demoProvider {
	return []demoProvider{
		{
			name: "demo-cc", title: "Demo · client credentials", grant: "client_credentials",
			endpoints: []endpoint{
				{"token_url", "/oauth2/token"}, {"revoke_url", "/oauth2/revoke"}, {"introspect_url", "/oauth2/introspect"},
			},
			clientAuth: "basic", clientID: CCClientID, clientSecret: CCClientSecret,
			scopes: []string{"api:read", "api:write"},
			requests: []savedRequest{
				{name: "Who am I", method: "GET", path: "/api/me"},
				{name: "List items", method: "GET", path: "/api/items", query: "page", value: "1"},
				{name: "Create an item", method: "POST", path: "/api/items", body: `{"name": "Brass Hinge", "tags": ["hardware"], "price": 12.5}`},
				{name: "Big response (5 MB)", method: "GET", path: "/api/big", query: "mb", value: "5"},
				{name: "Slow response (3 s)", method: "GET", path: "/api/slow", query: "ms", value: "3000"},
				{name: "Server error (503)", method: "GET", path: "/api/status/503"},
			},
		},
		{
			name: "demo-pkce", title: "Demo · authorization code + PKCE", grant: "authorization_code",
			endpoints: []endpoint{
				{"auth_url", "/oauth2/auth"}, {"token_url", "/oauth2/token"}, {"revoke_url", "/oauth2/revoke"},
			},
			clientAuth: "none", clientID: PKCEClientID,
			scopes: []string{"api:read", "offline_access"},
			note:   "No redirect_port: keyhole listens on a random free port of 127.0.0.1.",
			requests: []savedRequest{
				{name: "Who am I", method: "GET", path: "/api/me"},
				{name: "List items, page 2", method: "GET", path: "/api/items", query: "page", value: "2"},
				{name: "Create an item (needs api:write: expect 403)", method: "POST", path: "/api/items", body: `{"name": "Cedar Latch"}`},
			},
		},
		{
			name: "demo-device", title: "Demo · device code", grant: "device_code",
			endpoints: []endpoint{
				{"device_url", "/oauth2/device_authorization"}, {"token_url", "/oauth2/token"}, {"revoke_url", "/oauth2/revoke"},
			},
			clientAuth: "none", clientID: DeviceClientID,
			scopes: []string{"api:read", "offline_access"},
			requests: []savedRequest{
				{name: "Who am I", method: "GET", path: "/api/me"},
				{name: "List items, page 3", method: "GET", path: "/api/items", query: "page", value: "3"},
				{name: "Slow response (2 s)", method: "GET", path: "/api/slow", query: "ms", value: "2000"},
			},
		},
	}
}

// demoProvider is one [providers.NAME] table of the demo configuration.
type demoProvider struct {
	name, title, grant string
	endpoints          []endpoint // written after grant, in this order
	clientAuth         string
	clientID           string
	clientSecret       string // written only when set
	scopes             []string
	note               string // a comment line closing the table, if any
	requests           []savedRequest
}

// endpoint is one *_url key whose value is path on the demo server.
type endpoint struct{ key, path string }

// writeProvider writes p's table and its saved requests for the server at
// base.
func writeProvider(b *strings.Builder, base string, p demoProvider) {
	q := tomltext.Quote
	fmt.Fprintf(b, "\n[providers.%s]\ntitle = %s\nbase_url = %s\n", p.name, q(p.title), q(base))
	// The sample API's description, so that the picker (o) lists its
	// operations out of the box.
	fmt.Fprintf(b, "openapi = %s\ngrant = %s\n", q(base+OpenAPIPath), q(p.grant))
	for _, e := range p.endpoints {
		fmt.Fprintf(b, "%s = %s\n", e.key, q(base+e.path))
	}
	fmt.Fprintf(b, "client_auth = %s\nclient_id = %s\n", q(p.clientAuth), q(p.clientID))
	if p.clientSecret != "" {
		fmt.Fprintf(b, "client_secret = %s\n", q(p.clientSecret))
	}
	scopes := make([]string, len(p.scopes))
	for i, s := range p.scopes {
		scopes[i] = q(s)
	}
	fmt.Fprintf(b, "scopes = [%s]\n", strings.Join(scopes, ", "))
	if p.note != "" {
		fmt.Fprintf(b, "# %s\n", p.note)
	}
	writeRequests(b, p.name, p.requests)
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
