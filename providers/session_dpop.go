package providers

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// dpopHint says what to do about a token endpoint's DPoP error. keyhole
// answers use_dpop_nonce by itself, once: seeing it means the server
// refused the proof with its own nonce too.
func dpopHint(code string, p *config.Provider) string {
	switch {
	case !p.DPoP:
		return "the token endpoint wants DPoP proofs (RFC 9449): set dpop = true"
	case code == "use_dpop_nonce":
		return "the token endpoint refused the proof carrying the nonce it had just sent (dpop = true): check the server's clock and its DPoP settings"
	}
	return "the token endpoint refused keyhole's DPoP proof (dpop = true): it may not accept the key's algorithm, or the clocks differ; the server's message says which"
}

// tokenRequest marks ctx as a token request's, for the DPoP transport to
// put a proof on it, and has each proof it sends masked from then on: a
// proof is a credential, and a token endpoint that quotes the request in
// its error must not put it on a screen or in a log.
func (s *Session) tokenRequest(ctx context.Context) context.Context {
	return dpop.RecordProofs(dpop.TokenRequest(ctx), func(proof secret.String) {
		s.redMu.Lock()
		defer s.redMu.Unlock()
		s.red.Add(proof)
	})
}

// DPoP is the session's DPoP key and nonces, nil without dpop = true.
func (s *Session) DPoP() *dpop.Binding { return s.dpop }

// DPoPProof is a proof for one call to u with method, for tok (the token
// the call carries): what `keyhole dpop` prints for a curl export. It
// carries the nonce u's server sent last; ath only when tok is DPoP-bound,
// as a bearer token goes with no proof of its own. The proof is a secret.
func (s *Session) DPoPProof(tok *Token, method string, u *url.URL) (secret.String, error) {
	if s.dpop == nil {
		return secret.String{}, fmt.Errorf("%s: dpop is not true for this provider", s.p.Name)
	}
	r := dpop.Request{URL: u}
	if SendsDPoP(s.p, tok) {
		r.Access = tok.Access
	}
	proof, err := s.dpop.Proof(strings.ToUpper(method), r)
	if err != nil {
		return secret.String{}, fmt.Errorf("%s: %w", s.p.Name, err)
	}
	return proof, nil
}

// TokenTypeWarningFor is TokenTypeWarning for p: a DPoP token is
// what a provider with dpop = true asks for, and keyhole makes its proofs;
// a bearer token issued to one is said, for it is bound to no key (RFC
// 9449 §5: the server chose not to).
func TokenTypeWarningFor(p *config.Provider, tokenType string) string {
	if !p.DPoP {
		return TokenTypeWarning(tokenType)
	}
	switch scheme := Scheme(tokenType); {
	case strings.EqualFold(scheme, dpop.Scheme):
		return ""
	case scheme == "Bearer":
		return "dpop = true, but the token endpoint issued a bearer token: it is bound to no key, and is sent as Bearer with no proof"
	}
	return TokenTypeWarning(tokenType)
}
