package spec

import (
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
