package document

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxHits caps a search: a query like "a" on a 100 MB body would otherwise
// allocate hundreds of megabytes of hits nobody will step through. A
// search that returns exactly MaxHits hits may have stopped early; say so
// ("100000+ hits").
const MaxHits = 100_000

// Hit is one match of a search: its line, its start as a byte offset in
// the line, and its length in bytes.
type Hit struct {
	Line, Col, Len int
}

// Search finds every occurrence of query in the document's text, in order,
// up to MaxHits. With caseInsensitive, ASCII letters match either case
// (without lowering a copy of the body); so do other letters whose cases
// have the same UTF-8 length, which covers Latin, Greek and Cyrillic.
// Hits do not overlap. It stops and returns the hits found so far when ctx
// is cancelled.
//
// It scans the whole text (tens of milliseconds for 100 MB): call it from
// a tea.Cmd.
func (d *Document) Search(ctx context.Context, query string, caseInsensitive bool) []Hit {
	return d.SearchFrom(ctx, query, caseInsensitive, 0)
}

// SearchFrom is Search with the MaxHits it keeps counted from line on,
// then from the top up to line: where the cap cuts a search, it cuts far
// from where the person is reading, not between them and the hit they
// want. The hits are in document order all the same.
func (d *Document) SearchFrom(ctx context.Context, query string, caseInsensitive bool, line int) []Hit {
	if d == nil || query == "" || len(d.text) < len(query) {
		return nil
	}
	m := newMatcher([]byte(query), caseInsensitive)
	from := 0
	if line > 0 && line < d.Len() {
		from = int(d.starts[line])
	}
	after := d.scan(ctx, m, from, len(d.text), MaxHits)
	if from == 0 || len(after) >= MaxHits || ctx.Err() != nil {
		return after
	}
	before := d.scan(ctx, m, 0, from, MaxHits-len(after))
	return append(before, after...)
}

// scan finds the hits of m that start in text[lo:hi], at most most of
// them.
func (d *Document) scan(ctx context.Context, m *matcher, lo, hi, most int) []Hit {
	m.scan[0].next, m.scan[1].next = -1, -1 // a scan before this one went further
	text := d.text
	var hits []Hit
	line := d.lineAt(lo, 0)
	for k, checked := lo+m.p, 0; ; k++ {
		// k runs over the positions of the anchor byte: the query's rarest
		// byte, in both cases, found by vectorised IndexByte.
		if k = m.nextAnchor(text, k); k < 0 || k-m.p >= hi {
			return hits
		}
		if checked++; checked&0xFFF == 0 && ctx.Err() != nil {
			return hits
		}
		start := k - m.p
		if start < lo || start+len(m.q) > len(text) || !m.equal(text[start:start+len(m.q)]) {
			continue
		}
		line = d.lineAt(start, line)
		hits = append(hits, Hit{Line: line, Col: start - int(d.starts[line]), Len: len(m.q)})
		if len(hits) >= most {
			return hits
		}
		k = start + len(m.q) + m.p - 1 // no overlapping hits
	}
}

// lineAt is the line holding byte off, searching from line hint on (hits
// come in order, so the next one is usually on the same or a near line).
func (d *Document) lineAt(off, hint int) int {
	n := d.Len()
	if hint+1 >= n || off < int(d.starts[hint+1]) {
		return hint
	}
	rest := d.starts[hint+1 : n]
	return hint + sort.Search(len(rest), func(i int) bool { return int(rest[i]) > off })
}

// matcher finds a query by scanning for one anchor byte of it and comparing
// the window around each occurrence.
type matcher struct {
	q    []byte
	p    int // the anchor's index in q
	scan [2]anchorScan
	fold int // 0 exact, 1 ASCII case fold, 2 Unicode case fold
}

// anchorScan remembers where its byte next occurs, so a frequent and a rare
// case of the anchor do not rescan the text for each other.
type anchorScan struct {
	c    byte
	next int // the next occurrence at or after the last request; -1 before the first
}

func newMatcher(q []byte, ci bool) *matcher {
	m := &matcher{q: q}
	hasLetter, ascii := false, true
	for _, c := range q {
		if c >= utf8.RuneSelf {
			ascii = false
			hasLetter = true
		} else if lowerASCII(c) != upperASCII(c) {
			hasLetter = true
		}
	}
	switch {
	case !ci || !hasLetter:
		m.p = rarest(q, false)
		m.scan[0].c, m.scan[1].c = q[m.p], q[m.p]
	case ascii || hasASCIIByte(q):
		m.fold = 1
		if !ascii {
			m.fold = 2
		}
		m.p = rarest(q, true)
		m.scan[0].c, m.scan[1].c = lowerASCII(q[m.p]), upperASCII(q[m.p])
	default:
		// No ASCII byte to anchor on: anchor on the lead bytes of the
		// first rune's two cases.
		m.fold = 2
		r, _ := utf8.DecodeRune(q)
		lo, up := make([]byte, 4), make([]byte, 4)
		utf8.EncodeRune(lo, unicode.ToLower(r))
		utf8.EncodeRune(up, unicode.ToUpper(r))
		m.scan[0].c, m.scan[1].c = lo[0], up[0]
	}
	m.scan[0].next, m.scan[1].next = -1, -1
	return m
}

// nextAnchor is the first position at or after k holding an anchor byte,
// or -1.
func (m *matcher) nextAnchor(text []byte, k int) int {
	a := m.scan[0].find(text, k)
	if m.scan[1].c == m.scan[0].c {
		return a
	}
	b := m.scan[1].find(text, k)
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return min(a, b)
}

func (s *anchorScan) find(text []byte, k int) int {
	if s.next == -2 { // no more occurrences
		return -1
	}
	if s.next < k {
		if k >= len(text) {
			s.next = -2
			return -1
		}
		j := bytes.IndexByte(text[k:], s.c)
		if j < 0 {
			s.next = -2
			return -1
		}
		s.next = k + j
	}
	return s.next
}

func (m *matcher) equal(w []byte) bool {
	switch m.fold {
	case 0:
		return bytes.Equal(w, m.q)
	case 1:
		for i, c := range w {
			if lowerASCII(c) != lowerASCII(m.q[i]) {
				return false
			}
		}
		return true
	}
	return bytes.EqualFold(w, m.q)
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func hasASCIIByte(q []byte) bool {
	for _, c := range q {
		if c < utf8.RuneSelf {
			return true
		}
	}
	return false
}

// commonBytes are the bytes of JSON and English text, most frequent first;
// anything else is rare. Anchoring on a rare byte means fewer windows to
// compare: "Marker" is found through its 'k', not its 'e'.
const commonBytes = " \"e,:tanoisr0123\n456789lcdu{}hmpgfybw.-_[]vkSTACEIRNOPMDLx/jqz"

// rarest is the index of q's least common byte (for a case fold, counting
// both cases of a letter; non-ASCII bytes are not used as anchors then).
func rarest(q []byte, fold bool) int {
	best, bestScore := -1, 0
	for i, c := range q {
		if fold && c >= utf8.RuneSelf {
			continue
		}
		score := freq(c)
		if fold && lowerASCII(c) != upperASCII(c) {
			score = freq(lowerASCII(c)) + freq(upperASCII(c))
		}
		if best < 0 || score < bestScore {
			best, bestScore = i, score
		}
	}
	return max(best, 0)
}

func freq(c byte) int {
	if i := strings.IndexByte(commonBytes, c); i >= 0 {
		return len(commonBytes) - i
	}
	return 0
}
