// Package rank orders candidates — an API's operations, saved requests —
// against the words someone types, word by word: each word must match
// (AND), a word found whole or at the start of a word scores far above
// the same letters scattered, and the words typed together may name a
// candidate ("get item" → getItem). Scattered letters are left to
// sahilm/fuzzy, the matcher Bubbles' list uses.
package rank

import (
	"slices"
	"sort"
	"strings"

	"github.com/sahilm/fuzzy"
)

// Kind says how a field is matched.
type Kind uint8

// The kinds of field.
const (
	// Text is words: a path, a summary, a tag.
	Text Kind = iota
	// Method is an HTTP method: a word equal to it scores as an exact
	// match, so "get" ranks GET operations above a "get" inside a name.
	Method
	// Name is an operationId or a request's name: the words typed
	// together may match it ("get item", "getitem" → getItem).
	Name
)

// Field is one part of a candidate's text.
type Field struct {
	Text string
	Kind Kind
}

// What a word's best match in a candidate scores. The tiers are far
// apart: any contiguous match beats any scattered one, whatever fuzzy's
// bonuses say.
const (
	exactScore     = 1000 // the whole field, or the method
	wholeScore     = 800  // a whole word of the field: "items" in /api/items
	startScore     = 600  // the start of a word: "item" in /api/items
	insideScore    = 300  // inside a word: "tem" in getItem
	scatterScore   = 250  // the most scattered letters score (fuzzy's, capped)
	nameExact      = 1500 // the words together are the name: "get item" → getItem
	namePrefix     = 1000 // ... its start: "get item" → getItems
	nameAtBoundary = 500  // ... a word of it: "list item" → issues/list-items
)

// Set is a list of candidates made ready for ranking: built once,
// ranked on every keystroke.
type Set struct {
	cands []cand
}

type cand struct {
	fields []field
	text   string // the fields joined by single spaces: what Matched indexes
	tie    int
	names  []normName
}

type field struct {
	Field
	lower string // Text with ASCII letters lowered: byte offsets stay put
	start int    // where Text starts in the candidate's text
}

// normName is a Name field lowered with its separators taken out, and
// which of its bytes start a word.
type normName struct {
	s      string
	starts []bool
}

// Add appends a candidate. tie orders candidates that score alike: the
// lower first, then the order added.
func (s *Set) Add(tie int, fields ...Field) {
	c := cand{tie: tie}
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(' ')
		}
		c.fields = append(c.fields, field{Field: f, lower: lowerASCII(f.Text), start: b.Len()})
		b.WriteString(f.Text)
		if f.Kind == Name && f.Text != "" {
			c.names = append(c.names, normalize(f.Text))
		}
	}
	c.text = b.String()
	s.cands = append(s.cands, c)
}

// Text is candidate i's fields joined by single spaces: the text a Hit's
// Matched offsets index.
func (s *Set) Text(i int) string { return s.cands[i].text }

// Hit is a candidate that matched.
type Hit struct {
	// Index is the candidate's, in the order added.
	Index int
	// Score: higher is better.
	Score int
	// Matched are the byte offsets of Text(Index) that matched, for
	// underlining.
	Matched []int
}

// Rank returns the candidates that match every word of query (split at
// spaces), best first; scored alike, by tie, then in the order added.
// A query of no words matches nothing: the caller lists everything in
// its own order.
func (s *Set) Rank(query string) []Hit {
	words := strings.Fields(lowerASCII(query))
	if len(words) == 0 {
		return nil
	}
	alive := make([]int, len(s.cands))
	for i := range alive {
		alive[i] = i
	}
	scores := make([]int, len(s.cands))
	marks := make([][]int, len(s.cands))
	for _, w := range words {
		alive = s.word(w, alive, scores, marks)
		if len(alive) == 0 {
			return nil
		}
	}
	if len(words) > 1 {
		joined := strings.Join(words, "")
		for _, i := range alive {
			scores[i] += nameBonus(s.cands[i].names, joined)
		}
	}
	hits := make([]Hit, len(alive))
	for k, i := range alive {
		sort.Ints(marks[i])
		hits[k] = Hit{Index: i, Score: scores[i], Matched: slices.Compact(marks[i])}
	}
	sort.SliceStable(hits, func(a, b int) bool {
		ha, hb := hits[a], hits[b]
		if ha.Score != hb.Score {
			return ha.Score > hb.Score
		}
		if ta, tb := s.cands[ha.Index].tie, s.cands[hb.Index].tie; ta != tb {
			return ta < tb
		}
		return ha.Index < hb.Index
	})
	return hits
}

// word scores w against the candidates still alive, adding to their
// scores and marks, and returns those it matched. Contiguous matches are
// found with strings.Index; only the candidates with none are handed to
// fuzzy, in one pass.
func (s *Set) word(w string, alive []int, scores []int, marks [][]int) []int {
	kept := alive[:0]
	type ref struct{ cand, field int }
	var rest []int // candidates with no contiguous match
	for _, i := range alive {
		c := &s.cands[i]
		best, at, fi := 0, -1, -1
		for j := range c.fields {
			f := &c.fields[j]
			if sc, pos := contiguous(f, w); sc > best {
				best, at, fi = sc, pos, j
			}
		}
		if best == 0 {
			rest = append(rest, i)
			continue
		}
		scores[i] += best
		start := c.fields[fi].start + at
		for k := range len(w) {
			marks[i] = append(marks[i], start+k)
		}
		kept = append(kept, i)
	}
	if len(rest) == 0 {
		return kept
	}
	// Scattered letters, within one field and not spread far: "gtitm"
	// finds getItem, but "me" does not find "List items, 10 a page".
	// Only the fields that hold w's letters in order go to fuzzy.
	var refs []ref
	var texts []string
	ascii := isASCII(w)
	for _, i := range rest {
		for j := range s.cands[i].fields {
			f := &s.cands[i].fields[j]
			if ascii && !subsequence(f.lower, w) {
				continue
			}
			refs = append(refs, ref{i, j})
			texts = append(texts, f.Text)
		}
	}
	if len(texts) == 0 {
		return kept
	}
	// The best scattered match of each candidate, its Index made the
	// field's.
	best := make(map[int]fuzzy.Match, len(texts))
	for _, m := range fuzzy.FindNoSort(w, texts) {
		idx := m.MatchedIndexes
		if len(idx) == 0 || idx[len(idx)-1]-idx[0]+1 > 2*len(w)+2 {
			continue
		}
		r := refs[m.Index]
		if b, ok := best[r.cand]; !ok || m.Score > b.Score {
			m.Index = r.field
			best[r.cand] = m
		}
	}
	if len(best) == 0 {
		return kept
	}
	for _, i := range rest {
		m, ok := best[i]
		if !ok {
			continue
		}
		scores[i] += max(1, min(scatterScore, scatterScore/2+m.Score))
		start := s.cands[i].fields[m.Index].start
		for _, k := range m.MatchedIndexes {
			marks[i] = append(marks[i], start+k)
		}
		kept = append(kept, i)
	}
	// Kept in the order alive had: ties stay in the order added.
	sort.Ints(kept)
	return kept
}

// contiguous scores w found whole in f, at its best place, and where.
func contiguous(f *field, w string) (score, at int) {
	if f.lower == w {
		return exactScore, 0
	}
	if f.Kind == Method {
		if strings.HasPrefix(f.lower, w) {
			return startScore, 0
		}
		return 0, -1
	}
	at = -1
	for from := 0; from+len(w) <= len(f.lower); {
		k := strings.Index(f.lower[from:], w)
		if k < 0 {
			break
		}
		pos := from + k
		sc := insideScore
		if wordStart(f.Text, pos) {
			sc = startScore
			if wordEnd(f.Text, pos+len(w)) {
				sc = wholeScore
			}
		}
		if sc > score {
			score, at = sc, pos
		}
		if score == wholeScore {
			break
		}
		from = pos + 1
	}
	return score, at
}

// subsequence says whether the bytes of w appear in s in order: fuzzy
// matches no field where they do not.
func subsequence(s, w string) bool {
	k := 0
	for i := 0; i < len(s) && k < len(w); i++ {
		if s[i] == w[k] {
			k++
		}
	}
	return k == len(w)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// wordStart says whether a word of s starts at byte i: at the start, after
// a byte that is no letter or digit, or at a capital after a small letter
// (camelCase).
func wordStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	prev, cur := s[i-1], s[i]
	if !alnum(prev) {
		return true
	}
	return isLower(prev) && isUpper(cur)
}

// wordEnd says whether a word of s ends before byte i.
func wordEnd(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	prev, next := s[i-1], s[i]
	if !alnum(next) {
		return true
	}
	return isLower(prev) && isUpper(next)
}

// nameBonus is what the words typed together, joined, score against a
// candidate's names with their separators taken out.
func nameBonus(names []normName, joined string) int {
	best := 0
	for _, n := range names {
		switch {
		case n.s == joined:
			return nameExact
		case strings.HasPrefix(n.s, joined):
			best = max(best, namePrefix)
		default:
			for from := 0; from < len(n.s); {
				k := strings.Index(n.s[from:], joined)
				if k < 0 {
					break
				}
				if n.starts[from+k] {
					best = max(best, nameAtBoundary)
					break
				}
				from += k + 1
			}
		}
	}
	return best
}

// normalize lowers a name and takes its separators out, keeping where
// its words start: "issues/list-items" → "issueslistitems".
func normalize(name string) normName {
	var n normName
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < 0x80 && !alnum(c) {
			continue
		}
		n.starts = append(n.starts, wordStart(name, i))
		b.WriteByte(lower(c))
	}
	n.s = b.String()
	return n
}

// lowerASCII lowers ASCII letters only, so that byte offsets into the
// result are offsets into s.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if isUpper(s[i]) {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lower(b[j])
			}
			return string(b)
		}
	}
	return s
}

func lower(c byte) byte {
	if isUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// alnum: a letter or digit, or any byte of a non-ASCII character, which
// is taken as a letter.
func alnum(c byte) bool { return isUpper(c) || isLower(c) || '0' <= c && c <= '9' || c >= 0x80 }
