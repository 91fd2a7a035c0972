package config

// The tokens inject.token may name.
const (
	InjectAccessToken = "access_token"
	InjectIDToken     = "id_token"
)

// SendsIDToken reports whether the provider sends the ID token instead of
// the access token (inject = { token = "id_token" }): some APIs take the
// OpenID Connect ID token as their credential.
func (p *Provider) SendsIDToken() bool { return p.Inject != nil && p.Inject.Token == InjectIDToken }
