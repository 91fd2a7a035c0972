// Package secret holds values that must never be shown by accident: client
// secrets, passwords, access and refresh tokens, Authorization values.
//
// A String prints as a mask through every route Go offers for turning a
// value into text — fmt verbs, encoding/json, encoding.TextMarshaler and
// log/slog — including when it sits in an unexported field of another
// struct, where fmt and slog print by reflection without calling methods.
// Only Reveal returns the value, so every place that shows one is a
// deliberate, greppable decision.
package secret

import (
	"fmt"
	"log/slog"
)

// Mask is what a secret prints as. It has a fixed width so it does not leak
// the length of the value.
const Mask = "••••"

// String is a secret text value. The zero value is the empty secret.
//
// The value lives inside a closure on purpose: when fmt or slog meet a
// String in an unexported field they cannot call its methods and walk into
// it by reflection instead, and reflection prints a func as an address with
// every verb — it has no way to reach a captured variable. (A pointer to a
// struct is not enough: fmt's bad-verb path prints what it points to.)
// Strings are not comparable with ==; use Equal.
type String struct {
	v func() string
}

// New wraps v. An empty v gives the zero String.
func New(v string) String {
	if v == "" {
		return String{}
	}
	return String{v: func() string { return v }}
}

// Reveal returns the plain value. Call it only to use the secret (on the
// wire) or because the user asked to see it.
func (s String) Reveal() string {
	if s.v == nil {
		return ""
	}
	return s.v()
}

// IsZero reports whether the secret is empty.
func (s String) IsZero() bool { return s.v == nil }

// Equal reports whether two secrets hold the same value.
func (s String) Equal(o String) bool { return s.Reveal() == o.Reveal() }

// Masked returns Mask, or "" for the empty secret, so a missing value reads
// as missing rather than as hidden.
func (s String) Masked() string {
	if s.IsZero() {
		return ""
	}
	return Mask
}

// Show returns the value when reveal is true and the mask otherwise: the
// one switch the screen's redaction toggle goes through.
func (s String) Show(reveal bool) string {
	if reveal {
		return s.Reveal()
	}
	return s.Masked()
}

// String implements fmt.Stringer with the mask.
func (s String) String() string { return Mask }

// Format implements fmt.Formatter so that every verb, %d and %x included,
// prints the mask rather than reaching into the struct.
func (s String) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = f.Write([]byte(s.GoString()))
		return
	}
	_, _ = f.Write([]byte(Mask))
}

// GoString implements fmt.GoStringer so %#v prints the mask too.
func (s String) GoString() string { return `secret.String("` + Mask + `")` }

// MarshalJSON implements json.Marshaler with the mask.
func (s String) MarshalJSON() ([]byte, error) { return []byte(`"` + Mask + `"`), nil }

// MarshalText implements encoding.TextMarshaler with the mask, for encoders
// other than JSON (TOML, map keys, flag printing).
func (s String) MarshalText() ([]byte, error) { return []byte(Mask), nil }

// LogValue implements slog.LogValuer with the mask.
func (s String) LogValue() slog.Value { return slog.StringValue(Mask) }

// UnmarshalText implements encoding.TextUnmarshaler, so configuration
// decoders can fill a String directly and the plain value never sits in an
// ordinary string field.
func (s *String) UnmarshalText(b []byte) error {
	*s = New(string(b))
	return nil
}
