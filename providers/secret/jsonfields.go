package secret

import "bytes"

// MaskJSON masks the string values of credential fields ("access_token",
// "client_secret", "password", "Authorization", ... — see SensitiveField)
// wherever they stand in text: a JSON document, pretty or compact, valid
// or cut short, or JSON inside an HTML page or an error message, and JSON
// written into a string of another JSON document once (an API echoing a
// request body as "{\"password\":\"...\"}"). A field whose value is an
// array of strings, as http.Header marshals, has each masked. Everything
// else is kept byte for byte. It returns text itself when nothing was
// masked.
func MaskJSON(text string) (string, bool) {
	out, changed := maskJSONFields([]byte(text))
	if !changed {
		return text, false
	}
	return string(out), true
}

// maskJSONFields is MaskJSON on bytes; it returns b itself when nothing
// was masked, and never modifies b.
func maskJSONFields(b []byte) ([]byte, bool) {
	if bytes.IndexByte(b, ':') < 0 {
		return b, false
	}
	s := jsonScan{b: b}
	s.scan(0, len(b), 0)
	if len(s.spans) == 0 {
		return b, false
	}
	out := make([]byte, 0, len(b))
	last := 0
	for _, sp := range s.spans {
		out = append(out, b[last:sp.from]...)
		out = append(out, sp.with...)
		last = sp.to
	}
	return append(out, b[last:]...), true
}

// jsonScan finds the values to mask. It reads strings the way JSON does,
// opening quote to closing quote, so that a quote inside a value is never
// taken for the start of a key; a string followed by ':' is a key.
//
// At level 0 a quote is '"' after an even number of backslashes. JSON
// inside a JSON string (level 1) has its quotes written \" and its
// backslashes doubled: a level-1 quote has 1, 5, 9... backslashes before
// it, 4k+1. In general a level-L quote has n backslashes before it with
// n mod 2^(L+1) = 2^L-1.
type jsonScan struct {
	b     []byte
	spans []span // in order, not overlapping
}

type span struct {
	from, to int
	with     string
}

// maxKey bounds what is read as a key: field names are short, and a long
// string is a value, not worth comparing.
const maxKey = 64

// scan looks for credential fields in b[from:to] at the given level.
func (s *jsonScan) scan(from, to, level int) {
	b := s.b
	for i := from; i < to; {
		q := s.nextQuote(i, to, level)
		if q < 0 {
			return
		}
		end := s.nextQuote(q+1, to, level)
		if end < 0 {
			return
		}
		// The key's text: after the opening quote, up to the backslash
		// that escapes the closing one at level 1.
		nameEnd := end - quoteWidth(level) + 1
		after := s.skipSpace(end+1, to, level)
		if after < to && b[after] == ':' {
			if sensitiveField(b[q+1 : nameEnd]) {
				i = s.maskValue(s.skipSpace(after+1, to, level), to, level, authLike(b[q+1:nameEnd]))
				continue
			}
			i = end + 1
			continue
		}
		// A value. JSON written into it is searched one level down.
		if level == 0 && bytes.Contains(b[q+1:end], []byte(`\"`)) {
			s.scan(q+1, end, 1)
		}
		i = end + 1
	}
}

// quoteWidth is how many bytes a quote takes at a level: " or \".
func quoteWidth(level int) int { return level + 1 }

// nextQuote is the index of the '"' of the next quote of the level in
// b[from:to], or -1.
func (s *jsonScan) nextQuote(from, to, level int) int {
	b := s.b
	for i := from; i < to; {
		j := bytes.IndexByte(b[i:to], '"')
		if j < 0 {
			return -1
		}
		j += i
		n := 0
		for k := j - 1; k >= from && b[k] == '\\'; k-- {
			n++
		}
		if mod := 2 << level; n%mod == mod/2-1 {
			return j
		}
		i = j + 1
	}
	return -1
}

// skipSpace skips white space, and at level 1 the escapes that stand for
// it (\n, \t, \r), returning the index of the next byte.
func (s *jsonScan) skipSpace(i, to, level int) int {
	b := s.b
	for i < to {
		switch {
		case b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t':
			i++
		case level > 0 && b[i] == '\\' && i+1 < to && (b[i+1] == 'n' || b[i+1] == 't' || b[i+1] == 'r'):
			i += 2
		default:
			return i
		}
	}
	return i
}

// opensString reports whether a string of the level opens at b[i], and
// where its opening '"' is.
func (s *jsonScan) opensString(i, to, level int) (int, bool) {
	if level == 0 {
		return i, i < to && s.b[i] == '"'
	}
	return i + 1, i+1 < to && s.b[i] == '\\' && s.b[i+1] == '"'
}

// maskValue masks the value starting at b[i] when it is a string, or an
// array of strings, and returns where scanning goes on.
func (s *jsonScan) maskValue(i, to, level int, keepScheme bool) int {
	if i < to && s.b[i] == '[' {
		j := i + 1
		for {
			j = s.skipSpace(j, to, level)
			end, ok := s.maskString(j, to, level, keepScheme)
			if !ok {
				return j
			}
			j = s.skipSpace(end, to, level)
			if j >= to || s.b[j] != ',' {
				return j
			}
			j++
		}
	}
	if end, ok := s.maskString(i, to, level, keepScheme); ok {
		return end
	}
	return i
}

// maskString masks the string opening at b[i] and returns the index after
// its closing quote; ok is false when no string opens there.
func (s *jsonScan) maskString(i, to, level int, keepScheme bool) (int, bool) {
	q, ok := s.opensString(i, to, level)
	if !ok {
		return i, false
	}
	end := s.nextQuote(q+1, to, level)
	if end < 0 {
		// Cut off inside the value (a body cut at max_body, a snippet):
		// what there is of it is still the secret.
		end = to + quoteWidth(level) - 1
	}
	from, upto := q+1, end-quoteWidth(level)+1
	if keepScheme {
		from += schemeLen(s.b[from:upto])
	}
	if upto > from {
		s.spans = append(s.spans, span{from: from, to: upto, with: Mask})
	}
	return min(end+1, to), true
}

// authLike reports whether a field holds an Authorization value, whose
// scheme ("Bearer", "Basic") stays readable.
func authLike(name []byte) bool {
	return bytes.EqualFold(name, []byte("authorization")) || bytes.EqualFold(name, []byte("proxy-authorization"))
}

// schemeLen is the length of a leading "Scheme " in v, or 0.
func schemeLen(v []byte) int {
	sp := bytes.IndexByte(v, ' ')
	if sp <= 0 || sp > 20 {
		return 0
	}
	for _, c := range v[:sp] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return 0
		}
	}
	return sp + 1
}
