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
	s := jsonScan{b: b}
	s.scan()
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

// jsonScan finds the values to mask. It goes from colon to colon — every
// key is followed by one — and reads the key backwards from it: a body of
// many megabytes has millions of strings, and most keys are rejected by
// their last two letters without being read whole.
//
// At level 0 a quote is '"' after an even number of backslashes. JSON
// inside a JSON string (level 1) has its quotes written \" and its
// backslashes doubled: a level-1 quote has 1, 5, 9... backslashes before
// it, 4k+1. In general a level-L quote has n backslashes before it with
// n mod 2^(L+1) = 2^L-1. The key's closing quote tells the level.
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

// scan looks for credential fields in the whole text.
func (s *jsonScan) scan() {
	b := s.b
	for i := 0; i < len(b); {
		c := bytes.IndexByte(b[i:], ':')
		if c < 0 {
			return
		}
		c += i
		i = c + 1
		// Back over white space to the key's closing quote.
		q := c - 1
		for q >= 0 && (b[q] == ' ' || b[q] == '\t' || b[q] == '\n' || b[q] == '\r') {
			q--
		}
		if q < 2 || b[q] != '"' {
			continue
		}
		n := 0
		for k := q - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		level := 0
		switch {
		case n%2 == 0:
		case n%4 == 1:
			level = 1
		default:
			continue
		}
		nameEnd := q - n%2 // before the backslash that escapes a level-1 quote
		if nameEnd < 2 || !credentialEnding(b[nameEnd-2], b[nameEnd-1]) {
			continue
		}
		open := s.prevQuote(nameEnd, level)
		if open < 0 || !sensitiveField(b[open+1:nameEnd]) {
			continue
		}
		i = s.maskValue(s.skipSpace(c+1, len(b), level), len(b), level, authLike(b[open+1:nameEnd]))
	}
}

// credentialEnding reports whether a key ending in the letters x, y may
// name a credential: a cheap test before the key is read whole. Every
// name sensitiveField knows ends in one of these pairs.
func credentialEnding(x, y byte) bool {
	switch uint16(toLower(x))<<8 | uint16(toLower(y)) {
	case 'e'<<8 | 'n', 'o'<<8 | 'n', 'e'<<8 | 't', 'r'<<8 | 'd', 'w'<<8 | 'd',
		'e'<<8 | 'y', 's'<<8 | 'e', 'i'<<8 | 'e', 'd'<<8 | 'e', 'e'<<8 | 'r':
		return true
	}
	return false
}

// prevQuote is the index of the level's quote that opens the key ending
// at b[end], looking back at most maxKey bytes; -1 when there is none.
func (s *jsonScan) prevQuote(end, level int) int {
	b := s.b
	for j := end - 1; j >= 0 && j >= end-1-maxKey; j-- {
		if b[j] != '"' {
			continue
		}
		n := 0
		for k := j - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		if mod := 2 << level; n%mod == mod/2-1 {
			return j
		}
		if level == 0 {
			return -1 // an escaped quote inside the key: not a name worth reading
		}
	}
	return -1
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
	if sp <= 0 || !isScheme(v[:sp]) {
		return 0
	}
	return sp + 1
}
