package spec

import "strings"

// Requirement is the operation's security requirement as the 401/403
// doctor takes it: a scheme and the scope names it requires there. Of
// several schemes, the first whose requirement names scopes (the one a
// token's scopes can be held against); "" and nil when none names any.
func (o *Operation) Requirement() (scheme string, scopes []string) {
	for _, r := range o.Scopes {
		name, scope, ok := strings.Cut(r, ":")
		if !ok || scope == "" {
			continue
		}
		if scheme == "" {
			scheme = name
		}
		if name == scheme {
			scopes = append(scopes, scope)
		}
	}
	return scheme, scopes
}
