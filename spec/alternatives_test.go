package spec

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestIndexKeepsSecurityAlternatives: a security list is alternatives
// (OR) of schemes (AND); the index keeps them apart while Scopes stays
// the flat list ops --json documents.
func TestIndexKeepsSecurityAlternatives(t *testing.T) {
	s := loadDoc(t, `{"openapi":"3.0.3","info":{"title":"t","version":"1"},
"security":[{"oauth":["default:read"]}],
"paths":{
 "/either":{"get":{"operationId":"either","security":[{"oauth":["api:write"]},{"oauth":["admin"]}]}},
 "/both":{"get":{"operationId":"both","security":[{"oauth":["a"],"key":[]}]}},
 "/public":{"get":{"operationId":"public","security":[]}},
 "/default":{"get":{"operationId":"dflt"}}}}`)
	want := map[string][]Alternative{
		"either": {{{Scheme: "oauth", Scopes: []string{"api:write"}}}, {{Scheme: "oauth", Scopes: []string{"admin"}}}},
		"both":   {{{Scheme: "oauth", Scopes: []string{"a"}}, {Scheme: "key"}}},
		"public": nil,
		"dflt":   {{{Scheme: "oauth", Scopes: []string{"default:read"}}}},
	}
	for _, op := range s.Index.Operations {
		if !reflect.DeepEqual(op.Security, want[op.ID]) {
			t.Errorf("%s: security %+v, want %+v", op.ID, op.Security, want[op.ID])
		}
	}
	if op := s.Index.Operations[0]; !reflect.DeepEqual(op.Scopes, []string{"oauth:api:write", "oauth:admin"}) {
		t.Errorf("flat scopes %q changed", op.Scopes)
	}
	if got := s.Index.Operations[0].Security[1].ScopeNames(); !reflect.DeepEqual(got, []string{"admin"}) {
		t.Errorf("ScopeNames %q", got)
	}
}

// TestIndexKeepsEmptyAlternative: an empty security alternative ({})
// needs nothing, so the token is optional. The index keeps it among the
// alternatives, from the bytes and from its cache alike, and says so.
func TestIndexKeepsEmptyAlternative(t *testing.T) {
	doc := `{"openapi":"3.1.0","info":{"title":"t","version":"1"},
"security":[{"oauth":["default"]}],
"paths":{
 "/maybe":{"get":{"operationId":"maybe","security":[{},{"oauth":["read"]}]}},
 "/anyone":{"get":{"operationId":"anyone","security":[{}]}},
 "/public":{"get":{"operationId":"public","security":[]}},
 "/default":{"get":{"operationId":"dflt"}}}}`
	path := filepath.Join(t.TempDir(), "a.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	want := map[string][]Alternative{
		"maybe":  {{}, {{Scheme: "oauth", Scopes: []string{"read"}}}},
		"anyone": {{}},
		"public": nil,
		"dflt":   {{{Scheme: "oauth", Scopes: []string{"default"}}}},
	}
	optional := map[string]bool{"maybe": true, "anyone": true}
	for _, round := range []string{"from the bytes", "from the cache"} {
		s, err := Load(context.Background(), path, Options{CacheDir: cache})
		if err != nil {
			t.Fatal(err)
		}
		if s.IndexCached != (round == "from the cache") {
			t.Fatalf("%s: IndexCached %v", round, s.IndexCached)
		}
		for i := range s.Index.Operations {
			op := &s.Index.Operations[i]
			if !reflect.DeepEqual(op.Security, want[op.ID]) {
				t.Errorf("%s: %s: security %#v, want %#v", round, op.ID, op.Security, want[op.ID])
			}
			if got := op.TokenOptional(); got != optional[op.ID] {
				t.Errorf("%s: %s: TokenOptional %v, want %v", round, op.ID, got, optional[op.ID])
			}
		}
	}
}
