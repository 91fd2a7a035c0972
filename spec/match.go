package spec

import (
	"sort"
	"strings"

	"github.com/sahilm/fuzzy"
)

// Match is one operation that matched typed words.
type Match struct {
	Op *Operation
	// Matched are the byte offsets in Text that matched, for highlighting.
	Matched []int
	// Text is what was matched: "METHOD path operationId summary tags".
	Text string
	// Score is the matcher's: higher is better.
	Score int
}

// Match ranks the operations against words, joined by spaces and fuzzy
// matched against "METHOD path operationId summary tags": best first,
// ties to the shorter path, then spec order. With no words every
// operation is listed in spec order.
func (ix *Index) Match(words []string) []Match {
	texts := ix.matchTexts()
	pattern := strings.TrimSpace(strings.Join(words, " "))
	if pattern == "" {
		out := make([]Match, len(ix.Operations))
		for i := range ix.Operations {
			out[i] = Match{Op: &ix.Operations[i], Text: texts[i]}
		}
		return out
	}
	found := fuzzy.FindFrom(pattern, textSource(texts))
	sort.SliceStable(found, func(a, b int) bool {
		fa, fb := found[a], found[b]
		if fa.Score != fb.Score {
			return fa.Score > fb.Score
		}
		la, lb := len(ix.Operations[fa.Index].Path), len(ix.Operations[fb.Index].Path)
		if la != lb {
			return la < lb
		}
		return fa.Index < fb.Index
	})
	out := make([]Match, len(found))
	for i, f := range found {
		out[i] = Match{Op: &ix.Operations[f.Index], Matched: f.MatchedIndexes, Text: f.Str, Score: f.Score}
	}
	return out
}

// matchTexts are the strings Match ranks, made once per index: the filter
// runs on every keystroke.
func (ix *Index) matchTexts() []string {
	ix.textsOnce.Do(func() {
		ix.texts = make([]string, len(ix.Operations))
		for i, op := range ix.Operations {
			ix.texts[i] = strings.Join([]string{op.Method, op.Path, op.ID, op.Summary, strings.Join(op.Tags, " ")}, " ")
		}
	})
	return ix.texts
}

type textSource []string

func (t textSource) String(i int) string { return t[i] }
func (t textSource) Len() int            { return len(t) }
