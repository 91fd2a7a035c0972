package emulators

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/shellword"
	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// providerTable is the keyhole provider an emulator's Config writes. The
// frame is the same for every vendor — the opening comment with the export
// lines, [providers.NAME] with its title, base_url, grant and client, the
// sample requests — and is written here once; what differs is the vendor's
// own keys, which stay as TOML text in the vendor's file.
type providerTable struct {
	title, seed string
	api         string // base_url's path on the emulator
	grant       string
	token       string // token_url's path, "" for none
	// clientAuth is how the client authenticates; "" writes no client_auth,
	// client_id and client_secret (a custom login names its own).
	clientAuth string
	// keys are the vendor's further keys, one a line. They are a format:
	// each verb stands for the emulator's address joined with the path of
	// the same place in urls, TOML-quoted.
	keys     string
	urls     []string
	requests []sampleRequest
}

// sampleRequest is one [[providers.NAME.requests]] entry; extra holds
// further keys, one a line.
type sampleRequest struct {
	name, method, path, extra string
}

// config writes p for this emulator served at baseURL; env holds the
// ${VAR}s the table reads and their values.
func (c *core) config(baseURL string, env map[string]string, p providerTable) string {
	baseURL = strings.TrimRight(baseURL, "/")
	at := func(path string) string { return tomltext.Quote(baseURL + path) }
	var b strings.Builder
	b.WriteString(envHeader(p.title, p.seed, baseURL, env))
	fmt.Fprintf(&b, "[providers.%s]\ntitle = %s\nbase_url = %s\ngrant = %s\n",
		c.name, tomltext.Quote(p.title+" (emulator)"), at(p.api), tomltext.Quote(p.grant))
	if p.token != "" {
		fmt.Fprintf(&b, "token_url = %s\n", at(p.token))
	}
	if p.clientAuth != "" {
		fmt.Fprintf(&b, "client_auth = %s\nclient_id = \"${%s}\"\nclient_secret = \"${%s}\"\n",
			tomltext.Quote(p.clientAuth), c.idVar, c.secretVar)
	}
	urls := make([]any, len(p.urls))
	for i, u := range p.urls {
		urls[i] = at(u)
	}
	fmt.Fprintf(&b, p.keys, urls...)
	for _, r := range p.requests {
		fmt.Fprintf(&b, "\n  [[providers.%s.requests]]\n  name = %s\n  method = %s\n  path = %s\n",
			c.name, tomltext.Quote(r.name), tomltext.Quote(r.method), tomltext.Quote(r.path))
		for line := range strings.Lines(r.extra) {
			b.WriteString("  " + line)
		}
	}
	return b.String()
}

// envHeader is the comment that opens every Config: what the table is for
// and the export lines for its ${VAR} references, in a stable order.
func envHeader(title, seed, baseURL string, env map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# keyhole provider for the %s emulator (%s) at %s.\n", title, seed, baseURL)
	b.WriteString("# Its secrets come from the environment; this emulator's values:\n")
	for _, k := range slices.Sorted(maps.Keys(env)) {
		fmt.Fprintf(&b, "#   export %s=%s\n", k, shellword.Quote(env[k]))
	}
	return b.String()
}
