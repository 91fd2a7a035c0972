package providers

import "golang.org/x/oauth2"

// dpopJKTOpts bind the authorization code to the provider's DPoP key
// (RFC 9449 §10): dpop_jkt, the key's JWK SHA-256 thumbprint, on the
// authorization request, so that a code stolen on its way back through
// the browser cannot be redeemed with another key. It travels with the
// other parameters: in the browser's URL, or in the pushed request with
// par = true. Added after auth_params, so a dpop_jkt there cannot replace
// it.
func (s *Session) dpopJKTOpts() []oauth2.AuthCodeOption {
	if s.dpop == nil || s.dpop.Key == nil {
		return nil
	}
	return []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("dpop_jkt", s.dpop.Key.Thumbprint())}
}
