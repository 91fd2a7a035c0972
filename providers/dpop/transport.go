package dpop

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Binding is one provider's DPoP: its key, the nonces its servers sent,
// and the clock proofs are dated by.
type Binding struct {
	Key    *Key
	Nonces *Nonces
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (b *Binding) now() time.Time {
	if b.Now == nil {
		return time.Now()
	}
	return b.Now()
}

// Proof is a proof for one request, with the nonce last sent by its
// server: what `keyhole dpop` prints.
func (b *Binding) Proof(method string, r Request) (secret.String, error) {
	r.Method = method
	if r.Nonce == "" && r.URL != nil {
		r.Nonce = b.Nonces.Get(r.URL)
	}
	return b.Key.Proof(r, b.now())
}

type tokenRequestKey struct{}

type proofSinkKey struct{}

// RecordProofs has the transport hand sink each proof it sends with a
// request made with ctx, in order, a nonce retry's last: so that the
// request as it went out can be shown with its DPoP header (masked, as a
// credential). sink runs on the goroutine that sends the request.
func RecordProofs(ctx context.Context, sink func(secret.String)) context.Context {
	return context.WithValue(ctx, proofSinkKey{}, sink)
}

// TokenRequest marks ctx as a token request's: the transport puts a proof
// without ath on it (RFC 9449 §5).
func TokenRequest(ctx context.Context) context.Context {
	return context.WithValue(ctx, tokenRequestKey{}, true)
}

func isTokenRequest(ctx context.Context) bool {
	v, _ := ctx.Value(tokenRequestKey{}).(bool)
	return v
}

// Wrap is base with b's proofs: every request marked by TokenRequest, and
// every request whose Authorization uses the DPoP scheme, goes out with a
// proof in the DPoP header, made for its method and URL (and token). A
// nonce a server sends is kept for its next proof; when it answers
// use_dpop_nonce, the request is sent once more with a proof carrying it
// (RFC 9449 §8, §9). Other requests pass untouched. base nil means
// http.DefaultTransport.
func (b *Binding) Wrap(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{b: b, base: base}
}

type transport struct {
	b    *Binding
	base http.RoundTripper
}

// Scheme is the Authorization scheme of a DPoP-bound token (RFC 9449 §7.1).
const Scheme = "DPoP"

// boundAccess is the token in a "DPoP <token>" Authorization, if any.
func boundAccess(h http.Header) (secret.String, bool) {
	scheme, tok, ok := strings.Cut(h.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, Scheme) {
		return secret.String{}, false
	}
	return secret.New(strings.TrimSpace(tok)), true
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	access, bound := boundAccess(req.Header)
	if !bound && !isTokenRequest(req.Context()) {
		return t.base.RoundTrip(req)
	}
	r := Request{Method: req.Method, URL: req.URL, Access: access, Nonce: t.b.Nonces.Get(req.URL)}
	resp, err := t.send(req, r)
	if err != nil {
		return nil, err
	}
	nonce := resp.Header.Get(NonceHeader)
	if nonce == "" {
		return resp, nil
	}
	_ = t.b.Nonces.Set(req.URL, nonce) // a nonce not kept costs the next process one retry
	if nonce == r.Nonce || req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return resp, nil
	}
	again, resp, err := asksForNonce(resp)
	if err != nil || !again {
		return resp, err
	}
	_ = resp.Body.Close()
	retry := req.Clone(req.Context())
	if req.GetBody != nil {
		if retry.Body, err = req.GetBody(); err != nil {
			return nil, fmt.Errorf("DPoP nonce retry: %w", err)
		}
	}
	r.Nonce = nonce
	return t.send(retry, r)
}

// send makes r's proof and sends req with it, on a copy: a RoundTripper
// must not change the request it was given.
func (t *transport) send(req *http.Request, r Request) (*http.Response, error) {
	proof, err := t.b.Key.Proof(r, t.b.now())
	if err != nil {
		return nil, err
	}
	if sink, ok := req.Context().Value(proofSinkKey{}).(func(secret.String)); ok && sink != nil {
		sink(proof)
	}
	out := req.Clone(req.Context())
	out.Body = req.Body
	out.Header.Set(Header, proof.Reveal())
	return t.base.RoundTrip(out)
}

// maxErrorBody caps what is read of a 400 to look for use_dpop_nonce: an
// error answer is small, and a longer one is no token endpoint's.
const maxErrorBody = 64 << 10

// asksForNonce reports whether resp is a server asking for a proof with
// its nonce: a token endpoint's 400 with error use_dpop_nonce (RFC 9449
// §8), or an API's 401 with a DPoP challenge of that error (§9). It reads
// a 400's body and gives back a response whose body reads the same.
func asksForNonce(resp *http.Response) (bool, *http.Response, error) {
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		for _, c := range resp.Header.Values("WWW-Authenticate") {
			if ChallengeError(c) == "use_dpop_nonce" {
				return true, resp, nil
			}
		}
	case http.StatusBadRequest:
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		// What was read is put back in front of the rest: the caller
		// reads the whole answer, however long, and any error reading it.
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(data), resp.Body), resp.Body}
		if err != nil {
			return false, resp, nil
		}
		var answer struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &answer) == nil && answer.Error == "use_dpop_nonce" {
			return true, resp, nil
		}
	}
	return false, resp, nil
}

// ChallengeError is the error parameter of a WWW-Authenticate value's
// DPoP challenge, "" when it has none. It walks the value as RFC 9110
// §11.6.1 writes it (schemes, then name=value parameters, a value a token
// or a quoted string): error_description or another scheme's error is
// not mistaken for it.
func ChallengeError(v string) string {
	s, inDPoP := v, false
	for s != "" {
		s = strings.TrimLeft(s, " \t,")
		i := strings.IndexAny(s, " \t,=")
		if i < 0 {
			i = len(s)
		}
		name, rest := s[:i], strings.TrimLeft(s[i:], " \t")
		if name == "" {
			if s != "" {
				s = s[1:] // a stray "=": step over it
			}
			continue
		}
		if !strings.HasPrefix(rest, "=") {
			inDPoP, s = strings.EqualFold(name, Scheme), rest
			continue
		}
		var val string
		val, s = paramValue(strings.TrimLeft(rest[1:], " \t"))
		if inDPoP && strings.EqualFold(name, "error") {
			return val
		}
	}
	return ""
}

// paramValue reads a parameter's value at the start of s, a token or a
// quoted string, and returns it with what follows.
func paramValue(s string) (string, string) {
	if !strings.HasPrefix(s, `"`) {
		end := strings.IndexAny(s, " \t,")
		if end < 0 {
			return s, ""
		}
		return s[:end], s[end:]
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), "" // unterminated: what there is
}
