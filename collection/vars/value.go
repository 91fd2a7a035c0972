package vars

import "github.com/keyhole-sh/keyhole/providers/secret"

// Value is what a variable holds. It is kept in a secret.String whether it
// is secret or not, so a Value printed by accident through reflection (an
// unexported field of another struct) shows no secret; String masks the
// secret ones and shows the others.
type Value struct {
	text    secret.String
	secret  bool
	literal bool
}

// Template is a value that may itself hold {{…}} references (a file
// variable `@host = {{base}}/v1`, an environment file's value), expanded
// in its turn when it is used.
func Template(text string) Value { return Value{text: secret.New(text)} }

// Literal is a value used exactly as it stands. Everything that comes from
// a server (a capture, a response reference) or from outside the
// collection (the process environment) is literal: a hostile answer holding
// "{{$processEnv AWS_SECRET_ACCESS_KEY}}" must never be expanded.
func Literal(text string) Value { return Value{text: secret.New(text), literal: true} }

// AsSecret returns v marked secret: wherever it is expanded, the Result
// knows the substring so every output can mask it.
func (v Value) AsSecret() Value {
	v.secret = true
	return v
}

// IsSecret reports whether v is masked in outputs.
func (v Value) IsSecret() bool { return v.secret }

// IsLiteral reports whether v is used as it stands, not expanded.
func (v Value) IsLiteral() bool { return v.literal }

// Reveal returns the text: to expand it or to put it on the wire.
func (v Value) Reveal() string { return v.text.Reveal() }

// String shows the text of a plain value and the mask for a secret one.
func (v Value) String() string {
	if v.secret {
		return v.text.Masked()
	}
	return v.text.Reveal()
}

// Layer is one source of variables: provider vars, an environment, an
// environment file, the file's @vars, this run's captures.
type Layer struct {
	Name string // where the values come from, for messages ("http-client.env.json")
	Vars map[string]Value
}

// Layers looks a name up from the last layer to the first: the caller
// lists them lowest first, so a later layer overrides an earlier one
// (provider vars < TOML environment < http-client.env.json <
// http-client.private.env.json < file @vars < captures).
type Layers []Layer

// Lookup returns the value of name in the highest layer that has it. It
// fits Resolver.Vars.
func (ls Layers) Lookup(name string) (Value, bool) {
	for i := len(ls) - 1; i >= 0; i-- {
		if v, ok := ls[i].Vars[name]; ok {
			return v, true
		}
	}
	return Value{}, false
}

// Source returns the Name of the layer name resolves in, "" if none: to
// tell the user where a value came from.
func (ls Layers) Source(name string) string {
	for i := len(ls) - 1; i >= 0; i-- {
		if _, ok := ls[i].Vars[name]; ok {
			return ls[i].Name
		}
	}
	return ""
}
