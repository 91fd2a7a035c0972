package model

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/spec"
	"github.com/keyhole-sh/keyhole/ui"
)

// opView is the response pane while it describes the chosen operation:
// its method and path, summary and description, its parameters with
// their types and whether required, and the scopes it needs marked
// against those of the token in hand. All of it is the spec's text, made
// safe to draw.
func (m *Model) opView(w int) string {
	out := m.opLines(w)
	if h := m.layout().bottomH - 2; len(out) > h {
		out = out[min(m.op.offset, len(out)-h):]
	}
	return strings.Join(out, "\n")
}

// opLines are the lines opView shows, w columns wide.
func (m *Model) opLines(w int) []string {
	c, st := m.op, m.styles
	op := c.op
	line := termtext.Line
	var out []string
	head := st.MethodStyle(op.Method).Render(line(op.Method)) + " " + line(op.Path)
	if op.ID != "" {
		head += "  " + st.Muted.Render(line(op.ID))
	}
	if op.Deprecated {
		head += "  " + st.Warn.Render("deprecated")
	}
	out = append(out, head)
	if op.Summary != "" {
		out = append(out, st.Bold.Render(line(op.Summary)))
	}
	if c.desc != "" {
		out = append(out, "")
		for _, l := range strings.Split(termtext.Text(c.desc), "\n") {
			out = append(out, wrap(l, w)...)
		}
	}
	if len(op.Parameters) > 0 {
		out = append(out, "", st.Bold.Render("Parameters"))
		for _, p := range op.Parameters {
			req := st.Muted.Render("optional")
			if p.Required {
				req = st.Warn.Render("required")
			}
			typ := p.Type
			if typ == "" {
				typ = "any"
			}
			out = append(out, fmt.Sprintf("  %s %s %s · %s", line(p.Name), st.Muted.Render("("+line(p.In)+")"), line(typ), req))
		}
	}
	if op.Body != nil {
		req := "optional"
		if op.Body.Required {
			req = "required"
		}
		out = append(out, "", st.Bold.Render("Body")+" "+line(op.Body.ContentType)+" · "+req)
	}
	out = append(out, "", st.Bold.Render("Security"))
	out = append(out, m.scopeLines(c)...)
	if c.foreign != "" {
		out = append(out, "", st.Warn.Render("Its server, "+line(c.foreign)+", is not base_url's origin: ctrl+s asks before the token goes there."))
	}
	for i, l := range out {
		out[i] = ui.Fit(l, w)
	}
	return out
}

// scopeLines mark the scopes an operation needs against those of the
// token in hand: "needs api:write; your token has api:read".
func (m *Model) scopeLines(c *chosenOp) []string {
	st := m.styles
	need := opScopes(c.op.Scopes)
	if c.op.TokenOptional() {
		return m.optionalLines(c)
	}
	if len(c.op.Scopes) == 0 {
		return []string{"  none said: the operation takes no token, or the spec does not say"}
	}
	if len(need) == 0 {
		return []string{"  " + termtext.Line(strings.Join(c.op.Scopes, ", ")) + " (no scopes)"}
	}
	e := m.entries.named(c.provider)
	var tok *providers.Token
	if e != nil {
		tok = e.tok
	}
	if alts := scopedAlternatives(c.op.Security); len(alts) > 1 {
		return m.alternativeLines(alts, tok)
	}
	var marks []string
	var missing []string
	for _, s := range need {
		switch {
		case tok == nil:
			marks = append(marks, termtext.Line(s))
		case hasScope(tok.Scopes, s):
			marks = append(marks, st.Good.Render("✓ "+termtext.Line(s)))
		default:
			marks = append(marks, st.Bad.Render("✗ "+termtext.Line(s)))
			missing = append(missing, s)
		}
	}
	out := []string{"  needs " + strings.Join(marks, ", ")}
	switch {
	case tok == nil:
		out = append(out, st.Muted.Render("  no token yet: enter in the Providers pane gets one"))
	case len(missing) > 0:
		has := "no scopes"
		if len(tok.Scopes) > 0 {
			has = "`" + termtext.Line(strings.Join(tok.Scopes, " ")) + "`"
		}
		out = append(out, st.Warn.Render("  needs `"+termtext.Line(strings.Join(missing, " "))+"`; your token has "+has))
	default:
		out = append(out, st.Good.Render("  your token has them"))
	}
	return out
}

// optionalLines describe an operation one of whose security alternatives
// is empty ({}): it needs no token, and one sent is held to the others,
// marked against the token in hand: "token optional; with one: ✓ read".
func (m *Model) optionalLines(c *chosenOp) []string {
	st := m.styles
	var tok *providers.Token
	if e := m.entries.named(c.provider); e != nil {
		tok = e.tok
	}
	var withOne []string
	for _, a := range c.op.Security {
		if len(a) == 0 {
			continue
		}
		names := a.ScopeNames()
		if len(names) == 0 {
			// An API key or a scheme that names no scope: its name.
			for _, s := range a {
				names = append(names, s.Scheme)
			}
			withOne = append(withOne, termtext.Line(strings.Join(names, " + ")))
			continue
		}
		text := termtext.Line(strings.Join(names, " "))
		switch {
		case tok == nil:
			withOne = append(withOne, text)
		case hasScopes(tok.Scopes, names):
			withOne = append(withOne, st.Good.Render("✓ "+text))
		default:
			withOne = append(withOne, st.Bad.Render("✗ "+text))
		}
	}
	if len(withOne) == 0 {
		return []string{"  none needed: the spec says the operation takes no token"}
	}
	return []string{"  token optional; with one: " + strings.Join(withOne, " · ")}
}

// hasScopes reports whether have holds every scope of need.
func hasScopes(have, need []string) bool {
	for _, s := range need {
		if !hasScope(have, s) {
			return false
		}
	}
	return true
}

// scopedAlternatives are the security alternatives that name scopes, the
// scope names of each; one that names none (an API key) cannot be held
// against a token's scopes.
func scopedAlternatives(sec []spec.Alternative) [][]string {
	var out [][]string
	for _, a := range sec {
		if names := a.ScopeNames(); len(names) > 0 {
			out = append(out, names)
		}
	}
	return out
}

// alternativeLines mark alternatives, any one of which is enough, against
// the token in hand: "needs one of: ✗ api:write · ✓ admin", and what the
// token lacks for the closest when it satisfies none.
func (m *Model) alternativeLines(alts [][]string, tok *providers.Token) []string {
	st := m.styles
	var marks []string
	var closest []string
	held := -1
	for i, a := range alts {
		text := termtext.Line(strings.Join(a, " "))
		if tok == nil {
			marks = append(marks, text)
			continue
		}
		var missing []string
		for _, s := range a {
			if !hasScope(tok.Scopes, s) {
				missing = append(missing, s)
			}
		}
		switch {
		case len(missing) == 0:
			if held < 0 {
				held = i
			}
			marks = append(marks, st.Good.Render("✓ "+text))
		default:
			marks = append(marks, st.Bad.Render("✗ "+text))
			if closest == nil || len(missing) < len(closest) {
				closest = missing
			}
		}
	}
	out := []string{"  needs one of: " + strings.Join(marks, " · ")}
	switch {
	case tok == nil:
		out = append(out, st.Muted.Render("  no token yet: enter in the Providers pane gets one"))
	case held >= 0:
		out = append(out, st.Good.Render("  your token has `"+termtext.Line(strings.Join(alts[held], " "))+"`"))
	default:
		has := "no scopes"
		if len(tok.Scopes) > 0 {
			has = "`" + termtext.Line(strings.Join(tok.Scopes, " ")) + "`"
		}
		out = append(out, st.Warn.Render("  the closest needs `"+termtext.Line(strings.Join(closest, " "))+"`; your token has "+has))
	}
	return out
}

// opScopes are the scopes of "scheme:scope" requirements, each once;
// a requirement of a scheme without scopes adds none.
func opScopes(reqs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range reqs {
		_, s, ok := strings.Cut(r, ":")
		if ok && s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func hasScope(have []string, s string) bool {
	for _, h := range have {
		if h == s {
			return true
		}
	}
	return false
}

// wrap cuts a line into lines of at most w columns, at spaces where it
// can.
func wrap(s string, w int) []string {
	if w < 10 {
		return []string{s}
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}
