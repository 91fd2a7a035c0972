package exchange

import "github.com/keyhole-sh/keyhole/providers/config"

// WithVars fills {{name}} in the target, the header values and the body
// from vars (a provider's vars table). A name vars does not have stays as
// written, so the mistake shows in the request.
func (r Request) WithVars(vars map[string]string) Request {
	if len(vars) == 0 {
		return r
	}
	fill := func(s string) string { return config.FillTemplate(s, vars) }
	out := r
	out.Target = fill(r.Target)
	out.Body = fill(r.Body)
	out.Header = make([]Field, len(r.Header))
	for i, f := range r.Header {
		out.Header[i] = Field{Name: f.Name, Value: fill(f.Value)}
	}
	return out
}
