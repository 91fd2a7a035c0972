package model

import (
	"strings"
	"testing"
)

// altSpec's deleteItem takes either api:write or admin: a security list
// is alternatives (OR), never the union of their scopes.
const altSpec = `{"openapi": "3.0.3", "info": {"title": "Items", "version": "1"},
 "components": {"securitySchemes": {"oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"api:read": "", "api:write": "", "admin": ""}}}}}},
 "security": [{"oauth": ["api:read"]}],
 "paths": {
  "/api/items/{id}": {
   "delete": {"operationId": "deleteItem", "summary": "Delete an item", "tags": ["items"],
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "security": [{"oauth": ["api:write"]}, {"oauth": ["admin"]}],
    "responses": {"204": {"description": "gone"}}}}
 }}`

// TestBrowserSecurityAlternatives: the description says "needs one of"
// and marks the alternative the token satisfies; with none satisfied it
// names what the closest one lacks.
func TestBrowserSecurityAlternatives(t *testing.T) {
	api := specAPI{spec: altSpec}.serve(t)
	for _, tt := range []struct {
		scopes []string // the token's
		want   []string
		not    []string
	}{
		{scopes: []string{"api:read"},
			want: []string{"needs one of: ✗ api:write · ✗ admin", "the closest needs `api:write`; your token has `api:read`"}},
		{scopes: []string{"api:read", "admin"},
			want: []string{"needs one of: ✗ api:write · ✓ admin", "your token has `admin`"},
			not:  []string{"closest"}},
	} {
		m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)
		// A static token carries no scopes keyhole knows of: give the one
		// in hand those a grant would have listed.
		e := m.entries.named("items")
		if e == nil || e.tok == nil {
			t.Fatal("no token in hand")
		}
		e.tok.Scopes = tt.scopes
		m = chooseOpRow(t, m, "deleteItem")
		screen := strings.Join(strings.Fields(plain(m)), " ")
		for _, want := range tt.want {
			if !strings.Contains(screen, want) {
				t.Errorf("token %q: the description lacks %q:\n%s", tt.scopes, want, plain(m))
			}
		}
		for _, not := range tt.not {
			if strings.Contains(screen, not) {
				t.Errorf("token %q: the description says %q:\n%s", tt.scopes, not, plain(m))
			}
		}
	}
}

// TestWhySecurityAlternatives: after a bare 403, the doctor's finding
// names the alternative closest to the token and the other beside it,
// never the two as needed together.
func TestWhySecurityAlternatives(t *testing.T) {
	body := whyAfterBare403(t, altSpec)
	first, _, _ := strings.Cut(body, "\n\n")
	want := "1. the spec says DELETE /api/items/{id} (deleteItem) needs scope api:write (or admin) (security scheme oauth); the token has"
	if !strings.Contains(first, want) {
		t.Errorf("the first finding lacks %q:\n%s", want, body)
	}
	if strings.Contains(body, "api:write admin") {
		t.Errorf("the alternatives read as needed together:\n%s", body)
	}
}

// optionalSpec's getItem takes a token or none: its security list has an
// empty alternative ({}). listItems takes none at all.
const optionalSpec = `{"openapi": "3.1.0", "info": {"title": "Items", "version": "1"},
 "components": {"securitySchemes": {"oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"api:read": "", "admin": ""}}}}}},
 "security": [{"oauth": ["admin"]}],
 "paths": {
  "/api/items": {"get": {"operationId": "listItems", "summary": "List the items", "security": [{}], "responses": {"200": {"description": "ok"}}}},
  "/api/items/{id}": {
   "get": {"operationId": "getItem", "summary": "One item",
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "security": [{}, {"oauth": ["api:read"]}],
    "responses": {"200": {"description": "ok"}}}}
 }}`

// TestBrowserTokenOptional: an empty security alternative makes the
// token optional, and the description says so rather than demanding the
// other alternative's scopes of the token in hand.
func TestBrowserTokenOptional(t *testing.T) {
	api := specAPI{spec: optionalSpec}.serve(t)
	for _, tt := range []struct {
		op     string
		scopes []string // the token's
		want   string
	}{
		{op: "getItem", scopes: []string{"api:read"}, want: "token optional; with one: ✓ api:read"},
		{op: "getItem", scopes: []string{"other"}, want: "token optional; with one: ✗ api:read"},
		{op: "listItems", scopes: []string{"other"}, want: "none needed: the spec says the operation takes no token"},
	} {
		m := browseModel(t, browseProvider("items", api.URL, api.URL+"/openapi.json", ""), 120, 40)
		e := m.entries.named("items")
		if e == nil || e.tok == nil {
			t.Fatal("no token in hand")
		}
		e.tok.Scopes = tt.scopes
		m = chooseOpRow(t, m, tt.op)
		screen := strings.Join(strings.Fields(plain(m)), " ")
		if !strings.Contains(screen, tt.want) {
			t.Errorf("%s, token %q: the description lacks %q:\n%s", tt.op, tt.scopes, tt.want, plain(m))
		}
		for _, not := range []string{"needs `", "none said", "closest"} {
			if strings.Contains(screen, not) {
				t.Errorf("%s, token %q: the description says %q:\n%s", tt.op, tt.scopes, not, plain(m))
			}
		}
	}
}
