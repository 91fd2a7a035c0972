package tokenexchange

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

func TestCycle(t *testing.T) {
	graph := map[string][]string{"a": {"b"}, "b": {"c", "d"}, "c": nil, "d": {"a"}, "e": {"e"}, "f": {"c"}}
	next := func(n string) []string { return graph[n] }
	for start, want := range map[string]string{"a": "a b d a", "e": "e e", "f": "", "c": ""} {
		if got := strings.Join(Cycle(start, next), " "); got != want {
			t.Errorf("Cycle(%s) = %q, want %q", start, got, want)
		}
	}
}

// TestForm: RFC 8693 §2.1's parameters, the token types as §3's URNs.
func TestForm(t *testing.T) {
	jwt, _ := TokenType("jwt")
	f := Request{Subject: secret.New("s"), SubjectType: jwt, Actor: secret.New("a")}.Form()
	for k, want := range map[string]string{
		"grant_type": GrantType, "subject_token": "s", "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
		"actor_token": "a", "actor_token_type": "urn:ietf:params:oauth:token-type:access_token",
	} {
		if f.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, f.Get(k), want)
		}
	}
	if f.Has("requested_token_type") {
		t.Error("requested_token_type sent though none was asked for")
	}
	if _, err := TokenType("jwtt"); err == nil {
		t.Error("jwtt taken for a token type")
	}
	if got, err := TokenType("urn:example:custom"); err != nil || got != "urn:example:custom" {
		t.Errorf("a URN: %q %v", got, err)
	}
}
