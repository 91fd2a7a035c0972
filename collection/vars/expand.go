// Package vars expands the {{…}} references of .http files, as the
// JetBrains HTTP Client and the VS Code REST Client write them: named
// variables (whose values may refer to other variables), the dynamic
// variables of both tools, JetBrains' {{$auth.token("id")}} and VS Code's
// references to an earlier exchange of the run. Everything it cannot
// resolve is an error naming the reference: a request is never sent with
// "{{…}}" left in it. The Result knows which substrings are secret, so
// every output can mask them.
//
// The package reads nothing by itself but a .env file for $dotenv; the
// caller supplies variables, tokens, earlier exchanges, the clock and the
// randomness through a Resolver.
package vars

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Resolver answers the references of a text. Every field may be left
// zero: a reference that needs a missing one is an error naming it (no
// variables, no tokens, no earlier exchanges), except Now, Location, Rand
// and Getenv, which default to the real clock, time.Local, crypto/rand
// and os.LookupEnv. Expanding may fetch a token (Token) and read a file
// ($dotenv): in the TUI it runs in a tea.Cmd, never in Update.
type Resolver struct {
	// Vars looks up a named variable (Layers.Lookup fits). A Template value
	// is expanded in turn, a Literal one used as it stands.
	Vars func(name string) (Value, bool)
	// Token returns the access token (idToken false) or ID token of the
	// provider id, for {{$auth.token("id")}} and {{$auth.idToken("id")}}.
	// Its error is reported as it stands, wrapped with the reference.
	Token func(id string, idToken bool) (secret.String, error)
	// Exchange returns the last exchange of the request named name in this
	// run, for VS Code's {{name.response.body.$.id}}; false if there is none.
	Exchange func(name string) (Exchange, bool)
	// Served, when set, replaces each value a response reference reads
	// before it is used. A caller that must know which part of a text a
	// server's answer wrote (the origin a token is sent to) expands it
	// again with a marker in their place.
	Served func(Value) Value
	// Dir is the folder of the .http file: $dotenv reads Dir/.env.
	Dir string
	// Getenv reads the process environment for $processEnv.
	Getenv func(name string) (string, bool)
	// Now is the clock of $timestamp, $datetime and the others.
	Now func() time.Time
	// Location is the time zone of $localDatetime.
	Location *time.Location
	// Rand is the randomness of $uuid, $guid and $randomInt.
	Rand io.Reader
}

// Exchange is a request sent in this run and its response, as VS Code's
// response references read them.
type Exchange struct {
	Request, Response Message
}

// Message is one side of an exchange.
type Message struct {
	Header http.Header
	Body   []byte
}

// Limits of one expansion: how deep variables may refer to variables, and
// how long the text may grow (ten variables each doubling the last reach
// a gigabyte otherwise).
const (
	maxDepth = 32
	maxLen   = 16 << 20
)

// Span is where a secret value stands in a Result's text.
type Span struct{ Start, End int }

// Result is an expanded text. It keeps the text in a secret.String and
// prints masked, so a Result shown by accident shows no secret.
type Result struct {
	text  secret.String
	spans []Span // in order, not overlapping, not touching
}

// Reveal returns the expanded text with its secrets: for the wire.
func (r Result) Reveal() string { return r.text.Reveal() }

// Masked returns the text with each secret substring replaced by
// secret.Mask: for the screen, logs, history and reports.
func (r Result) Masked() string {
	text := r.text.Reveal()
	if len(r.spans) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, s := range r.spans {
		b.WriteString(text[last:s.Start])
		b.WriteString(secret.Mask)
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// String is Masked.
func (r Result) String() string { return r.Masked() }

// Spans returns where the secret values stand in the text, in order.
func (r Result) Spans() []Span { return append([]Span(nil), r.spans...) }

// HasSecret reports whether the text holds a secret value.
func (r Result) HasSecret() bool { return len(r.spans) > 0 }

// Secrets returns the secret values the text holds, each once: for a
// secret.Redactor, which then masks them wherever they turn up again (an
// API echoing the request).
func (r Result) Secrets() []secret.String {
	text := r.text.Reveal()
	seen := map[string]bool{}
	var out []secret.String
	for _, s := range r.spans {
		v := text[s.Start:s.End]
		if !seen[v] {
			seen[v] = true
			out = append(out, secret.New(v))
		}
	}
	return out
}

// Expand replaces every {{…}} reference in text by its value. Text without
// references comes back as it is. Each dynamic reference in text is a new
// value ({{$uuid}} twice gives two UUIDs), but a variable is expanded once
// per call: `@id = {{$uuid}}` used twice gives the same UUID twice, and a
// chain of variables each using the next twice costs its length, not two
// to its length. The error is an *Error naming the first reference that
// cannot be resolved.
func (r Resolver) Expand(text string) (Result, error) {
	e := expander{r: &r, done: map[string]piece{}}
	p, err := e.expand(text)
	if err != nil {
		return Result{}, err
	}
	return Result{text: secret.New(p.text), spans: p.spans}, nil
}

// piece is expanded text and its secret spans.
type piece struct {
	text  string
	spans []Span
}

// expander is one Expand call: the variables being expanded (to find a
// cycle) and the ones already expanded (so a variable used twice is
// expanded once, and a chain of doubling variables costs its length).
type expander struct {
	r     *Resolver
	stack []string
	done  map[string]piece
}

func (e *expander) expand(text string) (piece, error) {
	refs, err := Scan(text)
	if err != nil {
		return piece{}, err
	}
	if len(refs) == 0 {
		return piece{text: text}, nil
	}
	var out piece
	var b strings.Builder
	last := 0
	for _, ref := range refs {
		b.WriteString(text[last:ref.Start])
		last = ref.End
		p, err := e.resolve(ref)
		if err != nil {
			return piece{}, err
		}
		if b.Len()+len(p.text) > maxLen {
			return piece{}, &Error{Ref: ref.Raw, Err: fmt.Errorf("the text grows beyond %d MiB", maxLen>>20)}
		}
		at := b.Len()
		b.WriteString(p.text)
		for _, s := range p.spans {
			out.spans = addSpan(out.spans, Span{at + s.Start, at + s.End})
		}
	}
	b.WriteString(text[last:])
	out.text = b.String()
	return out, nil
}

// addSpan appends s to spans, joining it to the last one when they touch.
func addSpan(spans []Span, s Span) []Span {
	if s.Start == s.End {
		return spans
	}
	if n := len(spans); n > 0 && spans[n-1].End >= s.Start {
		spans[n-1].End = max(spans[n-1].End, s.End)
		return spans
	}
	return append(spans, s)
}

// resolve is the value of one reference.
func (e *expander) resolve(ref Ref) (piece, error) {
	var v Value
	var err error
	switch ref.Kind {
	case Variable:
		return e.variable(ref)
	case Dynamic:
		v, err = e.dynamic(ref)
	case Token:
		v, err = e.token(ref)
	case Reference:
		v, err = e.reference(ref)
		if err == nil && e.r.Served != nil {
			v = e.r.Served(v)
		}
	}
	if err != nil {
		var named *Error
		if errors.As(err, &named) && named.Ref == ref.Raw {
			return piece{}, err
		}
		return piece{}, &Error{Ref: ref.Raw, Err: err}
	}
	return whole(v), nil
}

// whole is a value used as it stands: all of it a secret span, or none.
func whole(v Value) piece {
	p := piece{text: v.Reveal()}
	if v.IsSecret() && p.text != "" {
		p.spans = []Span{{0, len(p.text)}}
	}
	return p
}

// variable is a named variable, its value expanded in turn unless literal.
func (e *expander) variable(ref Ref) (piece, error) {
	if p, ok := e.done[ref.Name]; ok {
		return p, nil
	}
	if e.r.Vars == nil {
		return piece{}, &Error{Ref: ref.Raw, Err: ErrNotSet}
	}
	v, ok := e.r.Vars(ref.Name)
	if !ok {
		return piece{}, &Error{Ref: ref.Raw, Err: ErrNotSet}
	}
	if v.IsLiteral() {
		return whole(v), nil
	}
	for i, name := range e.stack {
		if name == ref.Name {
			chain := strings.Join(append(e.stack[i:], name), " → ")
			return piece{}, &Error{Ref: ref.Raw, Err: fmt.Errorf("%w (%s)", ErrCycle, chain)}
		}
	}
	if len(e.stack) >= maxDepth {
		return piece{}, &Error{Ref: ref.Raw, Err: fmt.Errorf("variables refer to variables more than %d deep", maxDepth)}
	}
	e.stack = append(e.stack, ref.Name)
	p, err := e.expand(v.Reveal())
	e.stack = e.stack[:len(e.stack)-1]
	if err != nil {
		return piece{}, &Error{Ref: ref.Raw, Err: err}
	}
	if v.IsSecret() && p.text != "" {
		p.spans = []Span{{0, len(p.text)}}
	}
	e.done[ref.Name] = p
	return p, nil
}

// token is {{$auth.token("id")}} or {{$auth.idToken("id")}}: always secret.
func (e *expander) token(ref Ref) (Value, error) {
	if e.r.Token == nil {
		return Value{}, fmt.Errorf("no provider %q here to take a token from", ref.Name)
	}
	tok, err := e.r.Token(ref.Name, ref.IDToken)
	if err != nil {
		return Value{}, err
	}
	if tok.IsZero() {
		return Value{}, fmt.Errorf("provider %q gave an empty token", ref.Name)
	}
	return Literal(tok.Reveal()).AsSecret(), nil
}
