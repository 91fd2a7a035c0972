package check

import (
	"errors"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/keyhole-sh/keyhole/collection/vars"
)

func TestCapture(t *testing.T) {
	resp := fetch(t)
	for _, tc := range []struct {
		text, name, want string
		secret           bool
	}{
		{"id = id", "id", "5", false},
		{"id=body.id", "id", "5", false},
		{"  count =  count ", "count", "3", false},
		{"first = items.0.name", "first", "a", false},
		{"second = body.items.#(id==2).name", "second", "b", false},
		{"ids = items.#.id", "ids", "[1,2]", false},
		{"item = items.0", "item", `{"id":1,"name":"a"}`, false},
		{"flag = ok", "flag", "true", false},
		{"none = none", "none", "null", false},
		{"empty = empty", "empty", "", false},
		{"code = status", "code", "201", false},
		{"loc = header.Location", "loc", "/items/5", false},
		{"many = header.x-many", "many", "one, two", false},
		{"token = access_token", "token", "tok-7f3a9c1e-secret", true},
		{"pw = body.user.password", "pw", "pw-secret-99", true},
		{"cookie = header.Set-Cookie", "cookie", "session=cookie-secret-1", true},
		{"user.email-2 = user.email", "user.email-2", "a@b.example", false},
	} {
		c, err := ParseCapture(tc.text)
		if err != nil {
			t.Errorf("ParseCapture(%q): %v", tc.text, err)
			continue
		}
		got, err := c.Value(resp)
		if err != nil || got != tc.want || c.Name != tc.name {
			t.Errorf("%s: %s = %q %v, want %s = %q", tc.text, c.Name, got, err, tc.name, tc.want)
		}
		if c.Secret() != tc.secret {
			t.Errorf("%s: Secret %v", tc.text, c.Secret())
		}
	}
	c, _ := ParseCapture("all = body")
	if got, err := c.Value(resp); err != nil || got != hostileBody {
		t.Errorf("body: %q %v", got, err)
	}
	for text, want := range map[string]string{
		"x = nothing.here":  "@capture x = nothing.here: finds nothing in the body",
		"x = header.X-Nope": "@capture x = header.X-Nope: finds nothing: the response has no X-Nope header",
	} {
		c, err := ParseCapture(text)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Value(resp)
		if !errors.Is(err, ErrNothing) || err.Error() != want {
			t.Errorf("%s: %v, want %q", text, err, want)
		}
	}
	c, _ = ParseCapture("x = id")
	if _, err := c.Value(Response{Body: []byte("<html>")}); !errors.Is(err, ErrNothing) || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("not JSON: %v", err)
	}
}

func TestParseCaptureErrors(t *testing.T) {
	for text, want := range map[string]string{
		"":                "@capture is written NAME = PATH",
		"id":              "@capture is written NAME = PATH",
		"= id":            `"" cannot name a variable`,
		"two words = id":  `"two words" cannot name a variable`,
		"$uuid = id":      `"$uuid" cannot name a variable`,
		"{{id}} = id":     "cannot name a variable",
		"id =":            "@capture id needs a path after =",
		"id = body.":      "body. needs a path",
		"id = header.":    `"" is not a header name`,
		"id = header.a b": `"a b" is not a header name`,
		"took = duration": "not duration",
	} {
		_, err := ParseCapture(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCapture(%q): %v, want %q", text, err, want)
		}
	}
}

// A capture's name is one a later {{…}} can read: ParseCapture takes
// exactly the names vars takes as variables.
func TestCaptureNamesAreVariableNames(t *testing.T) {
	for _, name := range []string{"id", "item_1", "a-b", "user.id", "prénom", "", "two words", "$uuid", "{{id}}", "a/b"} {
		_, err := ParseCapture(name + " = id")
		if (err == nil) != vars.ValidName(name) {
			t.Errorf("%q: ParseCapture says %v, vars.ValidName %v", name, err, vars.ValidName(name))
		}
	}
}

// TestPathsThatMayEndAtACredential: what a check or a capture finds is
// masked whole when its path ends at a credential field, or does not say
// which field it ends at (a pattern, a modifier, a multipath) — found by
// FuzzParseAssert with "body.*.* != 0", which showed {"u":{"password":…}}'s
// value.
func TestPathsThatMayEndAtACredential(t *testing.T) {
	body := []byte(`{"n":1,"name":"x","items":[{"name":"x","id":2}],"u":{"password":"pw-secret-99"},"a.b":"dot"}`)
	for _, c := range []struct {
		path string
		want bool
	}{
		{"u.password", true}, {"u|password", true}, {"*.password", true},
		{"*.*", true}, {"u.*", true}, {"u.pass*", true}, {"u.passwor?", true}, {"u.@values", true},
		{"[u.password]", true}, {`{"x":u.password}`, true}, {"{u.password}", true},
		{"n", false}, {"name", false}, {"items.#", false}, {"items.0.id", false}, {`a\.b`, false},
		{`items.#(name=="x")`, false}, {`items.#(name=="x").id`, false}, {"u", false},
	} {
		r := gjson.GetBytes(body, c.path)
		if got := credentialPath(c.path, r.IsObject()); got != c.want {
			t.Errorf("credentialPath(%q) = %v, want %v (it finds %s)", c.path, got, c.want, r.Raw)
		}
	}
	if !(Capture{Subject: Body, Key: "u.*"}).Secret() {
		t.Error("a capture by a pattern is not taken for a credential")
	}
}
