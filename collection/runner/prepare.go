package runner

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// maxBodyFile caps a file a body includes (`< ./file`): a request body is
// not where a disk image belongs, and a FIFO or a device must not hang a run.
const maxBodyFile = 64 << 20

// authRef finds JetBrains' {{$auth.token("id")}} and {{$auth.idToken("id")}}
// in a header: the request belongs to that provider, and its token goes
// exactly there.
// Compiled on first use, not at every start of keyhole.
var authRef = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\{\{\s*\$auth\.(?:id)?[tT]oken\(\s*"([^"]*)"\s*\)\s*\}\}`)
})

// Owner says which provider a request belongs to, and how it was said:
// `# @provider NAME`, then a `$auth.token("NAME")` in a header, then the
// provider given for the run (--provider, or the TUI's). viaAuth is set
// when the token rides in the header the request names, not where the
// provider puts it.
func Owner(r httpfile.Request, fallback string) (name string, viaAuth bool) {
	if r.Provider != "" {
		return r.Provider, authInHeaders(r)
	}
	for _, h := range r.Headers {
		if m := authRef().FindStringSubmatch(h.Value); m != nil {
			return m[1], true
		}
	}
	return fallback, false
}

func authInHeaders(r httpfile.Request) bool {
	for _, h := range r.Headers {
		if authRef().MatchString(h.Value) {
			return true
		}
	}
	return false
}

// Prepared is a request with every {{…}} expanded, ready for
// exchange.Send. It prints masked.
type Prepared struct {
	Method string
	// Target is the URL or path as it goes out; Shown is it masked.
	Target, Shown string
	Header        []exchange.Field
	Body          string
	// Secrets are the secret values the request holds (tokens put in by
	// $auth.token, $processEnv and $dotenv values, secret variables), and
	// each as a URL or a form sends it, percent-encoded: every output
	// masks them.
	Secrets []secret.String
	// Tokened is set when a $auth.token or $auth.idToken was expanded
	// anywhere in the request — its URL, a header, its body or a body
	// file — so that wherever the token stands, TokenOrigin rules where
	// it may go.
	Tokened bool
	// Tokens are the values $auth.token and $auth.idToken expanded (and
	// each as a URL or a form sends it, percent-encoded): the references
	// of the requests after it read them masked (RequestSeen,
	// ResponseSeen), wherever they stand.
	Tokens []secret.String
	// servedOrigin is set when a server's answer (a capture, a response
	// reference) wrote part of the URL's scheme, host or port.
	servedOrigin bool
}

// TokenOrigin checks where a request that holds a token from
// $auth.token may go (see AuthOrigin), and returns the origin to show.
// The origin must be the file's, or the environment's: one a server
// answered would let that server send the token wherever it likes.
func (p *Prepared) TokenOrigin() (string, error) {
	if p.servedOrigin {
		return "", errors.New(`the URL's origin comes from a server's answer (a capture or a response reference): a request with {{$auth.token("…")}} goes only to an origin the file or the environment names`)
	}
	// Masked: a host may hold a secret of the request's
	// (https://{{$auth.token("api")}}.example.com), and the origin is
	// printed.
	red := p.Redactor()
	origin, err := AuthOrigin(p.Target)
	if err != nil {
		return "", errors.New(red.Redact(err.Error()))
	}
	return red.Redact(origin), nil
}

// servedOrigin reports whether a server's answer wrote any of the scheme,
// host or port of url once expanded with res. It expands url again with a
// marker for each such value — a literal variable (a capture: values
// from the files and the environment are templates) and a response
// reference — and looks for the marker before the URL's path begins.
func servedOrigin(url string, res vars.Resolver) bool {
	const marker = "\x00"
	probe := res
	if lookup := res.Vars; lookup != nil {
		probe.Vars = func(name string) (vars.Value, bool) {
			v, ok := lookup(name)
			if ok && v.IsLiteral() {
				return vars.Literal(marker), true
			}
			return v, ok
		}
	}
	probe.Served = func(vars.Value) vars.Value { return vars.Literal(marker) }
	// The token is in hand already; the probe needs no second one.
	probe.Token = func(string, bool) (secret.String, error) { return secret.New("token"), nil }
	out, err := probe.Expand(url)
	if err != nil {
		// It expanded a moment ago: refuse rather than guess.
		return true
	}
	text := out.Reveal()
	i := strings.IndexByte(text, marker[0])
	if i < 0 {
		return false
	}
	_, rest, ok := strings.Cut(text[:i], "://")
	return !ok || !strings.ContainsAny(rest, "/?#")
}

// Redactor masks the request's secrets.
func (p *Prepared) Redactor() *secret.Redactor {
	r := &secret.Redactor{}
	r.Add(p.Secrets...)
	return r
}

// Prepare expands a request's URL, headers and body with res, and reads
// the files its body includes from dir (the .http file's folder). Its
// errors say which part failed and never hold a value.
func Prepare(r httpfile.Request, res vars.Resolver, dir string) (*Prepared, error) {
	p := &Prepared{Method: r.Method}
	if token := res.Token; token != nil {
		res.Token = func(id string, idToken bool) (secret.String, error) {
			v, err := token(id, idToken)
			if err == nil {
				p.Tokened = true
				p.Tokens = append(p.Tokens, v)
			}
			return v, err
		}
	}
	expand := func(what, text string) (string, error) {
		out, err := res.Expand(text)
		if err != nil {
			return "", fmt.Errorf("%s: %w", what, err)
		}
		p.Secrets = append(p.Secrets, out.Secrets()...)
		return out.Reveal(), nil
	}
	var err error
	if p.Target, err = expand("URL", r.URL); err != nil {
		return nil, err
	}
	p.Target = encodeTarget(p.Target)
	if host := SchemelessHost(p.Target); host != "" {
		return nil, fmt.Errorf("the URL names the host %s without a scheme: write http:// or https:// before it (the tools differ: JetBrains would use http, VS Code https)", p.Redactor().Redact(host))
	}
	for _, h := range r.Headers {
		v, err := expand("header "+h.Name, h.Value)
		if err != nil {
			return nil, err
		}
		name, err := expand("header name", h.Name)
		if err != nil {
			return nil, err
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			// A variable's value (an env var, a capture) brought it:
			// a request line cannot carry it, and net/http refuses it
			// on the way out, which would read as a network failure.
			return nil, fmt.Errorf("header %s: its value holds a line break or a NUL once its {{…}} are expanded", p.Redactor().Redact(name))
		}
		p.Header = append(p.Header, exchange.Field{Name: name, Value: v})
	}
	var body []string
	for _, part := range r.Body {
		if part.File == "" {
			text, err := expand("body", part.Text)
			if err != nil {
				return nil, err
			}
			body = append(body, text)
			continue
		}
		data, err := readBodyFile(dir, part.File)
		if err != nil {
			return nil, err
		}
		text := string(data)
		if part.Substitute {
			if text, err = expand("body file "+part.File, text); err != nil {
				return nil, err
			}
		}
		body = append(body, text)
	}
	sep := "\n"
	if contentType(p.Header, "multipart/") {
		sep = "\r\n"
	}
	p.Body = strings.Join(body, sep)
	if contentType(p.Header, "application/x-www-form-urlencoded") && !hasFilePart(r.Body) {
		p.Body = formBody(p.Body)
	}
	if p.Tokened {
		p.servedOrigin = servedOrigin(r.URL, res)
	}
	// The URL and a form go with their secrets encoded as keyhole encodes
	// them, a form the Redactor's own list of encodings may lack
	// (`open sesame!` goes as `open%20sesame!`): mask that one too.
	p.Secrets = append(p.Secrets, encodedForms(p.Secrets)...)
	p.Tokens = append(p.Tokens, encodedForms(p.Tokens)...)
	red := p.Redactor()
	p.Shown = red.Redact(secret.RedactURL(p.Target))
	return p, nil
}

// contentType reports whether the request's Content-Type starts with
// prefix (lower case): a multipart body goes with CRLF line endings, as
// both tools send it; an HTML form's lines starting with & are one form
// with the line before (formBody).
func contentType(h []exchange.Field, prefix string) bool {
	for _, f := range h {
		if strings.EqualFold(f.Name, "Content-Type") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(f.Value)), prefix) {
			return true
		}
	}
	return false
}

// hasFilePart: the body includes a file, sent as it is.
func hasFilePart(parts []httpfile.BodyPart) bool {
	for _, p := range parts {
		if p.File != "" {
			return true
		}
	}
	return false
}

// readBodyFile reads a file a body includes, relative to dir, without
// following a link and up to maxBodyFile.
func readBodyFile(dir, name string) ([]byte, error) {
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, name)
	}
	data, err := safefile.ReadCapped(path, maxBodyFile)
	if err != nil {
		return nil, fmt.Errorf("body file %s: %w", name, err)
	}
	return data, nil
}

// RequestSeen is the request side of ex as a request reference reads it
// ({{name.request.headers.Authorization}}): as sent, with the
// credentials in it masked — the provider's token keyhole added, tokens
// (the values $auth.token put anywhere in the request: Prepared.Tokens),
// whatever a credential header carried, a DPoP proof. Read back as sent,
// they would carry the token to whatever origin the next request names,
// past every rule that keeps it on its provider's.
func RequestSeen(ex *exchange.Exchange, tokens ...secret.String) vars.Message {
	s := ex.Sent
	red := &secret.Redactor{}
	red.Add(s.Token)
	red.Add(tokens...)
	for name, vs := range s.Header {
		if secret.SensitiveHeader(name) || strings.EqualFold(name, s.Injection.Header) {
			for _, v := range vs {
				red.AddFound(secret.CredentialParts(v)...)
			}
		}
	}
	h := s.Header.Clone()
	for _, vs := range h {
		for i, v := range vs {
			vs[i] = red.Redact(v)
		}
	}
	body, _ := red.ReplaceKnown(s.Body)
	return vars.Message{Header: h, Body: body}
}

// ResponseSeen is the response side of ex as a response reference reads
// it ({{name.response.body.$.x}}): as received, but for the tokens the
// request carried (the one keyhole added, and tokens: those $auth.token
// put in it), masked wherever the server echoed them back — in the body,
// in a header. A value the server made (a new token, an id) reads as it
// came.
func ResponseSeen(ex *exchange.Exchange, tokens ...secret.String) vars.Message {
	resp := ex.Response
	red := &secret.Redactor{}
	red.Add(ex.Sent.Token)
	red.Add(tokens...)
	if ex.Token != nil {
		red.Add(ex.Token.Access)
	}
	body, _ := red.ReplaceKnown(resp.Body)
	h, cloned := resp.Header, false
	for name, vs := range resp.Header {
		for i, v := range vs {
			if masked, ok := red.ReplaceKnown([]byte(v)); ok {
				if !cloned {
					// The exchange's own header is shown and kept as
					// received: the masked copy is the reference's.
					h, cloned = resp.Header.Clone(), true
				}
				h[name][i] = string(masked)
			}
		}
	}
	return vars.Message{Header: h, Body: body}
}

// AuthOrigin checks where a $auth.token request sends its token: https
// anywhere, plain http only to a loopback host, and returns the origin to
// show.
func AuthOrigin(target string) (string, error) {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return "", errors.New(`a request with {{$auth.token("…")}} needs a full URL: the token goes to the origin it names`)
	}
	origin := u.Scheme + "://" + u.Host
	if strings.IndexFunc(u.Host, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
		// The host is dialled in its xn-- form; shown as written, a
		// Cyrillic "а" in "аpi.example.com" would pass for the Latin
		// one in the origin the person checks.
		return "", fmt.Errorf("%s: a token goes only to a host written in ASCII; write an international name in its xn-- form, the one dialled", origin)
	}
	switch u.Scheme {
	case "https":
		return origin, nil
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return origin, nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return origin, nil
		}
		return "", fmt.Errorf("%s: a token goes over plain http only to a loopback host; use https", origin)
	}
	return "", fmt.Errorf("%s: a token goes only to an https URL", origin)
}
