package tomltext

import (
	"slices"
	"testing"
)

func TestKeyLineHelpers(t *testing.T) {
	if got := stripComment(`a = "x # not a comment" # comment`); got != `a = "x # not a comment" ` {
		t.Errorf("stripComment = %q", got)
	}
	if got := stripComment(`a = 'it''s' # c`); got != `a = 'it''s' ` {
		t.Errorf("stripComment single quotes = %q", got)
	}
	if got := splitDotted(`providers."a.b" . c`); !slices.Equal(got, []string{"providers", "a.b", "c"}) {
		t.Errorf("splitDotted = %q", got)
	}
	if got := parseHeader(`[[providers.x.requests]]`); !slices.Equal(got, []string{"providers", "x", "requests"}) {
		t.Errorf("parseHeader = %q", got)
	}
}
