package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/internal/tomltext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/spec"
)

// keyhole init --from-openapi: provider tables written from a spec's
// servers and securitySchemes, printed for the person to read and paste.
// Everything the spec says goes into the TOML through tomltext.Quote, or
// into a comment through commentText: a spec is someone else's text, and
// a newline in a description must not end a comment and start a table.

// runInitFromSpec prints the provider config written from the spec at ref.
func runInitFromSpec(ctx context.Context, e env, ref, name string) error {
	if name != "" && !bareKey(name) {
		return &exitError{code: ExitUsage, err: fmt.Errorf("--name %q: a provider name here is letters, digits, - and _", name)}
	}
	openapi := ref
	if !spec.IsURL(ref) {
		abs, err := filepath.Abs(ref)
		if err != nil {
			return &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", ref, err)}
		}
		openapi = abs
	}
	// No provider yet, so no TLS settings and no token: a plain client
	// that follows no redirect, and nothing cached.
	client := providers.NewClient(&http.Client{Transport: providers.NewTransport(0)})
	s, err := spec.Load(ctx, ref, spec.Options{Client: client})
	if err != nil {
		code := ExitUsage
		if errors.Is(err, spec.ErrUnreachable) {
			code = ExitNetwork
		}
		return &exitError{code: code, err: err}
	}
	text := providerConfig(s, openapi, name)
	// What we print must load: a spec that defeats the writer is a bug
	// to report, not a config to paste.
	if _, err := config.Parse("keyhole init --from-openapi", []byte(text)); err != nil {
		return &exitError{code: ExitUsage, err: fmt.Errorf("%s: the config written from this spec does not load (a keyhole bug; please report it): %w", ref, err)}
	}
	if e.tty(e.stdout) {
		text = termtext.Text(text)
	}
	_, err = fmt.Fprint(e.stdout, text)
	return err
}

// envMark stands for the table's name in its ${VAR}s until the table is
// named. Neither a quoted string nor a comment can hold it: both escape or
// drop control characters.
const envMark = "\x00name\x00"

// envVar is a ${VAR} for a value the person supplies: NAME_WHAT.
func envVar(what string) string { return `"${` + envMark + "_" + what + `}"` }

// table is one [providers.NAME] table being written.
type table struct {
	suffix string // the table's name after NAME-, when there are several
	label  string // what the title adds: "client credentials"
	lines  []string
}

func (t *table) comment(s string) { t.lines = append(t.lines, "# "+commentText(s)) }

func (t *table) set(key, value string) { t.lines = append(t.lines, key+" = "+value) }

// providerConfig writes the tables for spec s, whose openapi value is
// openapi, named name (or after the spec's title).
func providerConfig(s *spec.Spec, openapi, name string) string {
	title := commentText(s.Index.Title)
	if name == "" {
		name = slug(s.Index.Title)
	}
	base, baseNote := serverBase(s)
	var notes []string // what was not written, and why
	var tables []*table
	for _, sc := range s.SecuritySchemes() {
		before := len(tables)
		from := "securitySchemes." + keyText(sc.Name)
		switch sc.Type {
		case "oauth2":
			for _, f := range sc.Flows {
				if t, note := oauthTable(from, f, base); t != nil {
					tables = append(tables, t)
				} else {
					notes = append(notes, note)
				}
			}
		case "openIdConnect":
			t := &table{suffix: "oidc", label: "OpenID Connect"}
			t.comment(fmt.Sprintf("guessed from %s (openIdConnect): the authorization code grant with PKCE, endpoints from discovery", from))
			t.set("grant", quote("authorization_code"))
			if issuer, ok := strings.CutSuffix(sc.OpenIDConnectURL, "/.well-known/openid-configuration"); ok && httpURL(issuer) {
				t.set("issuer", quote(issuer))
			} else {
				t.comment(fmt.Sprintf("openIdConnectUrl %s is not ISSUER/.well-known/openid-configuration: set the issuer", tomltext.Quote(sc.OpenIDConnectURL)))
				t.set("issuer", envVar("ISSUER"))
			}
			t.publicClient("(PKCE protects the code)")
			t.set("scopes", "["+quote("openid")+"]")
			tables = append(tables, t)
		case "http":
			if sc.Scheme != "bearer" {
				notes = append(notes, fmt.Sprintf("%s (http %s) is not written: keyhole sends a token, not credentials on every request", from, keyText(sc.Scheme)))
				continue
			}
			t := &table{suffix: "token", label: "bearer token"}
			t.comment(fmt.Sprintf("guessed from %s (http bearer): a token you paste, sent as Authorization: Bearer", from))
			t.set("grant", quote("static"))
			t.set("token", envVar("TOKEN"))
			tables = append(tables, t)
		case "apiKey":
			t := &table{suffix: "key", label: "API key"}
			var inject string
			switch {
			case sc.In == "header" && headerName(sc.Param):
				inject = "{ header = " + quote(sc.Param) + ", prefix = \"\" }"
			case sc.In == "query" && sc.Param != "":
				inject = "{ query = " + quote(sc.Param) + " }"
			case sc.In == "cookie" && headerName(sc.Param):
				inject = "{ header = \"Cookie\", prefix = " + quote(sc.Param+"=") + " }"
			default:
				notes = append(notes, fmt.Sprintf("%s (apiKey in %s, name %s) is not written: keyhole cannot send a key there", from, keyText(sc.In), tomltext.Quote(sc.Param)))
				continue
			}
			t.comment(fmt.Sprintf("guessed from %s (apiKey in %s %s): a key you paste", from, keyText(sc.In), tomltext.Quote(sc.Param)))
			t.set("grant", quote("static"))
			t.set("token", envVar("API_KEY"))
			t.set("inject", inject)
			tables = append(tables, t)
		case "mutualTLS":
			notes = append(notes, fmt.Sprintf("%s (mutualTLS): add cert_file and key_file to the provider", from))
		default:
			notes = append(notes, fmt.Sprintf("%s (type %s) is not written: keyhole does not know it", from, tomltext.Quote(sc.Type)))
		}
		if sc.Description != "" && len(tables) > before {
			// The description is for the reader: one line of at most
			// 200 characters, in the last table the scheme gave.
			tables[len(tables)-1].comment("the spec says of " + from + ": " + clip(commentText(sc.Description), 200))
		}
	}
	if len(tables) == 0 {
		t := &table{suffix: "token"}
		t.comment("guessed: the spec declares no security scheme keyhole can run; a token you paste")
		t.set("grant", quote("static"))
		t.set("token", envVar("TOKEN"))
		tables = append(tables, t)
	}
	names := tableNames(name, tables)

	var b strings.Builder
	fmt.Fprintf(&b, "# keyhole providers written by keyhole init --from-openapi from\n# %s", commentText(tomltext.Quote(openapi)))
	if title != "" {
		fmt.Fprintf(&b, " (%s)", commentText(tomltext.Quote(title)))
	}
	b.WriteString(".\n# Each guessed value says what it was guessed from: check it. Export the\n# ${VAR}s (or replace them), paste into your config, run keyhole providers.\n")
	for _, n := range notes {
		b.WriteString("# " + commentText(n) + "\n")
	}
	for i, t := range tables {
		envPrefix := strings.ToUpper(strings.ReplaceAll(names[i], "-", "_"))
		fmt.Fprintf(&b, "\n[providers.%s]\n", names[i])
		switch {
		case title != "" && len(tables) > 1 && t.label != "":
			b.WriteString("title = " + quote(clip(title, 60)+" · "+t.label) + "\n")
		case title != "":
			b.WriteString("title = " + quote(clip(title, 60)) + "\n")
		}
		if baseNote != "" {
			b.WriteString("# " + commentText(baseNote) + "\n")
		}
		if base == "" {
			fmt.Fprintf(&b, "base_url = \"${%s_BASE_URL}\"\n", envPrefix)
		} else {
			b.WriteString("base_url = " + quote(base) + "\n")
		}
		b.WriteString("openapi = " + quote(openapi) + "\n")
		for _, l := range t.lines {
			b.WriteString(strings.ReplaceAll(l, envMark, envPrefix) + "\n")
		}
	}
	return b.String()
}

// oauthTable is the table for one OAuth 2.0 flow, or why there is none.
func oauthTable(from string, f spec.Flow, base string) (*table, string) {
	// A relative endpoint is taken from the server, as OpenAPI 3.0 says.
	f.AuthorizationURL = spec.ResolveAgainst(f.AuthorizationURL, base)
	f.TokenURL = spec.ResolveAgainst(f.TokenURL, base)
	f.DeviceAuthURL = spec.ResolveAgainst(f.DeviceAuthURL, base)
	at := from + " flow " + keyText(f.Kind)
	t := &table{}
	switch f.Kind {
	case "clientCredentials":
		t.suffix, t.label = "cc", "client credentials"
		t.grant("client_credentials", "", at)
		t.setURL("token_url", f.TokenURL, at)
		t.comment("guessed: the client secret in HTTP Basic auth; \"post\" if the server wants it in the form")
		t.set("client_auth", quote("basic"))
		t.set("client_id", envVar("CLIENT_ID"))
		t.set("client_secret", envVar("CLIENT_SECRET"))
	case "authorizationCode":
		t.suffix, t.label = "pkce", "authorization code + PKCE"
		t.grant("authorization_code", "(keyhole always adds PKCE S256)", at)
		t.setURL("auth_url", f.AuthorizationURL, at)
		t.setURL("token_url", f.TokenURL, at)
		t.publicClient("(PKCE protects the code)")
	case "deviceAuthorization", "x-deviceAuthorization":
		t.suffix, t.label = "device", "device code"
		t.grant("device_code", "(RFC 8628)", at)
		t.setURL("device_url", f.DeviceAuthURL, at)
		t.setURL("token_url", f.TokenURL, at)
		t.publicClient("")
	case "implicit":
		return nil, at + " is not written: the implicit grant hands the token over in the browser's address bar, and keyhole does not run it (RFC 9700); ask for the authorization code flow with PKCE"
	case "password":
		return nil, at + " is not written: the password grant gives your password to the client (RFC 9700 forbids it); if the provider still wants it, write grant = \"password\" with token_url, username and password by hand"
	default:
		return nil, at + " is not written: keyhole does not know this flow"
	}
	var qs []string
	for _, s := range f.Scopes {
		if !scopeToken(s) {
			t.comment(fmt.Sprintf("left out scope %s: not a scope token (RFC 6749 §3.3)", tomltext.Quote(clip(s, 60))))
			continue
		}
		qs = append(qs, quote(s))
	}
	if len(qs) > 0 {
		t.comment(fmt.Sprintf("guessed: every scope %s lists; keep only those you need", at))
		t.set("scopes", "["+strings.Join(qs, ", ")+"]")
	}
	return t, ""
}

// grant writes the grant guessed from the flow at, with a note on it.
func (t *table) grant(grant, note, at string) {
	t.comment(strings.TrimSpace(fmt.Sprintf("guessed from %s: grant %s %s", at, grant, note)))
	t.set("grant", quote(grant))
}

// publicClient writes the guess that the client has no secret, why
// that is safe, and its client_id.
func (t *table) publicClient(why string) {
	t.comment(strings.TrimSpace("guessed: a public client "+why) + "; a confidential one adds client_secret")
	t.set("client_auth", quote("none"))
	t.set("client_id", envVar("CLIENT_ID"))
}

// setURL sets an endpoint key to the spec's URL, or to a ${VAR} when the
// spec gives none that keyhole can use.
func (t *table) setURL(key, raw, at string) {
	if httpURL(raw) {
		t.set(key, quote(raw))
		return
	}
	if raw == "" {
		t.comment(fmt.Sprintf("%s gives no %s", at, key))
	} else {
		t.comment(fmt.Sprintf("%s gives %s %s, not an absolute http(s) URL", at, key, tomltext.Quote(raw)))
	}
	t.set(key, envVar(strings.ToUpper(key)))
}

// serverBase is base_url from the spec's first server, and a comment
// saying what it came from or why there is none.
func serverBase(s *spec.Spec) (string, string) {
	u := s.ServerURL()
	switch {
	case u == "":
		return "", "the spec names no server: set base_url"
	case !httpURL(u):
		return "", fmt.Sprintf("servers[0] is %s, not an absolute http(s) URL: set base_url", tomltext.Quote(u))
	}
	return strings.TrimSuffix(u, "/"), "guessed from servers[0] (its variables at their defaults)"
}

// httpURL reports whether raw is an absolute http(s) URL with a host and
// nothing a config's URL check refuses.
func httpURL(raw string) bool {
	if raw == "" || strings.ContainsFunc(raw, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) || r == '{' || r == '}' }) {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// scopeToken reports whether s can be a scope: printable ASCII but space,
// '"' and '\\' (RFC 6749 §3.3).
func scopeToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' || r == '\\' })
}

// tableNames names the tables: NAME alone for one, NAME-SUFFIX for
// several, numbered when two share a suffix.
func tableNames(name string, tables []*table) []string {
	out := make([]string, len(tables))
	if len(tables) == 1 {
		out[0] = name
		return out
	}
	seen := map[string]int{}
	for i, t := range tables {
		seen[t.suffix]++
		out[i] = name + "-" + t.suffix
		if n := seen[t.suffix]; n > 1 {
			out[i] += fmt.Sprint(n)
		}
	}
	return out
}

// slug is a provider name from the spec's title: lower-case letters and
// digits joined by -, at most 30 characters; "api" when nothing is left.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
		if b.Len() >= 30 {
			break
		}
	}
	if b.Len() == 0 {
		return "api"
	}
	return b.String()
}

// bareKey reports whether name can stand unquoted as a TOML key.
func bareKey(name string) bool {
	return name != "" && !strings.ContainsFunc(name, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
}

// headerName reports whether name can be a header's name.
func headerName(name string) bool {
	_, err := validMethod(name) // the same token rule (RFC 9110 §5.6.2)
	return err == nil
}

// keyText is a name from the spec as a comment shows it: bare when it is
// a plain word, quoted otherwise.
func keyText(s string) string {
	if bareKey(s) && len(s) <= 60 {
		return s
	}
	return tomltext.Quote(clip(s, 60))
}

// quote is a TOML string of the spec's text.
func quote(s string) string { return tomltext.Quote(s) }

// commentText is s made safe to follow "# ": one line, no control
// characters (TOML allows none but tab in a comment, and a newline would
// end it).
func commentText(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029'
	}), " ")
}

// clip cuts the spec's text to n characters, so that a megabyte of it
// makes no megabyte comment.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
