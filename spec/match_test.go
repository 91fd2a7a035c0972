package spec

import (
	"slices"
	"testing"
)

func TestMatch(t *testing.T) {
	ix := &Index{Operations: []Operation{
		{Method: "GET", Path: "/repos/{owner}/{repo}/issues/comments", ID: "issues/list-comments-for-repo", Summary: "List issue comments for a repository", Tags: []string{"issues"}},
		{Method: "POST", Path: "/repos/{owner}/{repo}/issues/{n}/comments", ID: "issues/create-comment", Summary: "Create an issue comment", Tags: []string{"issues"}},
		{Method: "GET", Path: "/user", ID: "users/get-authenticated", Summary: "Get the authenticated user", Tags: []string{"users"}},
		{Method: "GET", Path: "/users/{username}", ID: "users/get-by-username", Summary: "Get a user", Tags: []string{"users"}},
		{Method: "GET", Path: "/zz/users/{username}", ID: "users/get-by-username", Summary: "Get a user", Tags: []string{"users"}},
	}}
	ids := func(ms []Match) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Op.Path)
		}
		return out
	}
	// No words: spec order.
	if got := ids(ix.Match(nil)); !slices.Equal(got, []string{ix.Operations[0].Path, ix.Operations[1].Path, "/user", "/users/{username}", "/zz/users/{username}"}) {
		t.Errorf("no words: %v", got)
	}
	// The method and the operationId count: "post comment" finds the POST first.
	if got := ix.Match([]string{"post", "comment"}); len(got) == 0 || got[0].Op.Method != "POST" {
		t.Errorf("post comment: %v", ids(got))
	}
	// Equal scores: the shorter path first, whatever the spec order.
	tie := &Index{Operations: []Operation{{Method: "GET", Path: "/abcdef", ID: "x"}, {Method: "GET", Path: "/ab", ID: "xxxxx"}}}
	got := tie.Match([]string{"GET"})
	if len(got) != 2 || got[0].Score != got[1].Score || got[0].Op.Path != "/ab" {
		t.Errorf("tie: %+v", got)
	}
	// Matched offsets point into the text.
	for _, m := range ix.Match([]string{"usr"}) {
		for _, i := range m.Matched {
			if i >= len(m.Text) {
				t.Fatalf("offset %d past %q", i, m.Text)
			}
		}
	}
	if got := ix.Match([]string{"qqqq"}); len(got) != 0 {
		t.Errorf("no match: %v", ids(got))
	}
}
