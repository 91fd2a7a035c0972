package exchange

import "strings"

// WithVars fills {{name}} in the target, the header values and the body
// from vars (a provider's vars table). A name vars does not have stays as
// written, so the mistake shows in the request.
func (r Request) WithVars(vars map[string]string) Request {
	if len(vars) == 0 {
		return r
	}
	fill := func(s string) string { return fillVars(s, vars) }
	out := r
	out.Target = fill(r.Target)
	out.Body = fill(r.Body)
	out.Header = make([]Field, len(r.Header))
	for i, f := range r.Header {
		out.Header[i] = Field{Name: f.Name, Value: fill(f.Value)}
	}
	return out
}

func fillVars(s string, vars map[string]string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			break
		}
		name := strings.TrimSpace(s[i+2 : i+j])
		b.WriteString(s[:i])
		if v, ok := vars[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+2])
		}
		s = s[i+j+2:]
	}
	b.WriteString(s)
	return b.String()
}
