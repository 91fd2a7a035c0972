package spec

import (
	"slices"
	"testing"
)

func TestOperationRequirement(t *testing.T) {
	tests := []struct {
		scopes     []string
		wantScheme string
		want       []string
	}{
		{nil, "", nil},
		{[]string{"apiKey"}, "", nil},
		{[]string{"apiKey", "oauth:api:read", "oauth:api:write"}, "oauth", []string{"api:read", "api:write"}},
		{[]string{"oauth:repo", "other:x", "oauth:user"}, "oauth", []string{"repo", "user"}},
	}
	for _, tt := range tests {
		op := &Operation{Scopes: tt.scopes}
		scheme, got := op.Requirement()
		if scheme != tt.wantScheme || !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %q %q, want %q %q", tt.scopes, scheme, got, tt.wantScheme, tt.want)
		}
	}
}
