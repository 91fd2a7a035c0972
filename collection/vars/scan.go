package vars

import (
	"fmt"
	"strings"
	"unicode"
)

// Kind says what a {{…}} reference is.
type Kind int

const (
	// Variable is a named variable: {{host}}.
	Variable Kind = iota
	// Dynamic is a generated value: {{$uuid}}, {{$datetime iso8601 1 d}}.
	Dynamic
	// Token is a provider's token, JetBrains' {{$auth.token("id")}} or
	// {{$auth.idToken("id")}}.
	Token
	// Reference is VS Code's reference to an earlier exchange of the run:
	// {{login.response.body.$.token}}, {{login.response.headers.Location}}.
	Reference
)

// Ref is one {{…}} in a text.
type Ref struct {
	Start, End int    // byte offsets of "{{" and just after "}}"
	Raw        string // what stands between the braces, trimmed
	Kind       Kind

	// Name is the variable's name (Variable), the dynamic variable's name
	// with its "$" ("$datetime"), the token's provider id (Token), or the
	// request's name (Reference).
	Name string
	// Args are a dynamic variable's arguments, quotes removed
	// ({{$datetime "DD-MM-YYYY" 1 d}} → DD-MM-YYYY, 1, d).
	Args []string
	// IDToken is set for $auth.idToken.
	IDToken bool
	// Part is "response" or "request", Field "body" or "headers", and Path
	// the JSONPath ("$.a[0]", "*") or header name, for a Reference.
	Part, Field, Path string
}

// Scan finds the {{…}} references in text, in order. A "{{" with no "}}"
// after it on the same line is text, not a reference (a JSON body may hold
// one); anything else between the braces must be a reference, and is an
// error naming it when it is not one, so a request is never sent with
// "{{…}}" left in it.
func Scan(text string) ([]Ref, error) {
	var refs []Ref
	for i := 0; ; {
		open := strings.Index(text[i:], "{{")
		if open < 0 {
			return refs, nil
		}
		open += i
		rest := text[open+2:]
		end := strings.Index(rest, "}}")
		if nl := strings.IndexByte(rest, '\n'); end < 0 || nl >= 0 && nl < end {
			i = open + 2
			continue
		}
		ref, err := parseRef(strings.TrimSpace(rest[:end]))
		if err != nil {
			return refs, err
		}
		ref.Start, ref.End = open, open+2+end+2
		refs = append(refs, ref)
		i = ref.End
	}
}

// parseRef reads what stands between the braces.
func parseRef(raw string) (Ref, error) {
	ref := Ref{Raw: raw}
	switch {
	case raw == "":
		return ref, &Error{Ref: raw, Err: errEmpty}
	case strings.HasPrefix(raw, "$auth."):
		return parseToken(ref)
	case raw[0] == '$':
		return parseDynamic(ref)
	}
	if name, rest, ok := strings.Cut(raw, "."); ok && ValidName(name) {
		part, rest, _ := strings.Cut(rest, ".")
		field, path, _ := strings.Cut(rest, ".")
		if (part == "response" || part == "request") && (field == "body" || field == "headers") {
			if path == "" {
				return ref, &Error{Ref: raw, Err: fmt.Errorf("a %s %s reference needs a path after %q", part, field, field+".")}
			}
			ref.Kind, ref.Name, ref.Part, ref.Field, ref.Path = Reference, name, part, field, path
			return ref, nil
		}
	}
	if !ValidName(raw) {
		return ref, &Error{Ref: raw, Err: errNotName}
	}
	ref.Kind, ref.Name = Variable, raw
	return ref, nil
}

// ValidName reports whether s can name a variable: letters, digits and
// "_", "-", ".", as the JetBrains client and the VS Code REST Client allow.
// A capture's name (check.ParseCapture) is held to the same rule.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' && r != '.' {
			return false
		}
	}
	return true
}

// parseToken reads $auth.token("id") and $auth.idToken("id").
func parseToken(ref Ref) (Ref, error) {
	call := strings.TrimPrefix(ref.Raw, "$auth.")
	fn, arg, ok := strings.Cut(call, "(")
	fn = strings.TrimSpace(fn)
	arg, closed := strings.CutSuffix(strings.TrimSpace(arg), ")")
	arg = strings.TrimSpace(arg)
	if !ok || !closed || (fn != "token" && fn != "idToken") {
		return ref, &Error{Ref: ref.Raw, Err: problem("write $auth.token(\"id\") or $auth.idToken(\"id\")")}
	}
	id, quoted := unquote(arg)
	if !quoted || id == "" {
		return ref, &Error{Ref: ref.Raw, Err: problem("the provider id must be quoted: $auth." + fn + "(\"id\")")}
	}
	ref.Kind, ref.Name, ref.IDToken = Token, id, fn == "idToken"
	return ref, nil
}

// parseDynamic splits "$name arg arg" into its name and arguments; the
// arguments are checked when the variable is generated.
func parseDynamic(ref Ref) (Ref, error) {
	words, err := splitArgs(ref.Raw)
	if err != nil {
		return ref, &Error{Ref: ref.Raw, Err: err}
	}
	ref.Kind, ref.Name, ref.Args = Dynamic, words[0], words[1:]
	return ref, nil
}

// splitArgs splits at white space, keeping a "double" or 'single' quoted
// argument whole (VS Code's {{$datetime "DD MMM YYYY" 1 d}}).
func splitArgs(s string) ([]string, error) {
	var words []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if q := s[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, problem("an argument's quote is not closed")
			}
			words = append(words, s[1:1+end])
			s = s[2+end:]
			if s != "" && !unicode.IsSpace(rune(s[0])) {
				return nil, problem("a quoted argument must be followed by a space")
			}
			continue
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		words = append(words, s[:end])
		s = s[end:]
	}
	return words, nil
}

// unquote removes one pair of matching double or single quotes.
func unquote(s string) (string, bool) {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return s, false
}
