package spec

import (
	"strings"

	"github.com/keyhole-sh/keyhole/internal/rank"
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

// Match ranks the operations against words, each of which must match
// "METHOD path operationId summary tags" (see internal/rank): a word
// found whole or at the start of a word far above scattered letters,
// the method word to the method, the words together to the
// operationId. Best first, ties to the shorter path, then spec order.
// With no words every operation is listed in spec order.
func (ix *Index) Match(words []string) []Match {
	set := ix.rankSet()
	query := strings.Join(words, " ")
	if strings.TrimSpace(query) == "" {
		out := make([]Match, len(ix.Operations))
		for i := range ix.Operations {
			out[i] = Match{Op: &ix.Operations[i], Text: set.Text(i)}
		}
		return out
	}
	hits := set.Rank(query)
	out := make([]Match, len(hits))
	for i, h := range hits {
		out[i] = Match{Op: &ix.Operations[h.Index], Matched: h.Matched, Text: set.Text(h.Index), Score: h.Score}
	}
	return out
}

// rankSet is what Match ranks, made once per index: the filter runs on
// every keystroke.
func (ix *Index) rankSet() *rank.Set {
	ix.rankOnce.Do(func() {
		ix.ranked = &rank.Set{}
		for _, op := range ix.Operations {
			ix.ranked.Add(len(op.Path), opFields(op)...)
		}
	})
	return ix.ranked
}

// opFields are the fields of an operation that are ranked, in the order
// of its text: method, path, operationId, summary, tags. The picker
// ranks the same, so that both order alike.
func opFields(op Operation) []rank.Field {
	return []rank.Field{
		{Text: op.Method, Kind: rank.Method},
		{Text: op.Path},
		{Text: op.ID, Kind: rank.Name},
		{Text: op.Summary},
		{Text: strings.Join(op.Tags, " ")},
	}
}
