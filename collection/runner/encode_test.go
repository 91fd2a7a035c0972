package runner

import "testing"

func TestEncodeTarget(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://example.com/a?b=c", "https://example.com/a?b=c"},
		{"https://example.com/people?$filter=Name eq 'Ann'", "https://example.com/people?$filter=Name%20eq%20'Ann'"},
		{"https://example.com/a%20b?q=x y", "https://example.com/a%20b?q=x%20y"},
		{"https://bücher.example/straße?q=ä", "https://bücher.example/stra%C3%9Fe?q=%C3%A4"},
		{"https://example.com", "https://example.com"},
		{"/items?q=a b", "/items?q=a%20b"},
		{"/redirect?to=https://example.com/a b", "/redirect?to=https://example.com/a%20b"},
		{`https://example.com/search?q={"a":1}|x`, "https://example.com/search?q=%7B%22a%22:1%7D%7Cx"},
	} {
		if got := encodeTarget(c.in); got != c.want {
			t.Errorf("encodeTarget(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormBody(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a=1&b=2", "a=1&b=2"},
		{"a=1\n&b=2\n  &c=3  ", "a=1&b=2&c=3"},
		{"a=1\nb=2", "a=1%0Ab=2"},
		{"a=1&\n  b=2&\nc=3", "a=1&b=2&c=3"},
		{"scope=openid profile&name=Zoë&x=a%20b+c", "scope=openid%20profile&name=Zo%C3%AB&x=a%20b+c"},
	} {
		if got := formBody(c.in); got != c.want {
			t.Errorf("formBody(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSchemelessHost(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"127.0.0.1:1378/api/urls", "127.0.0.1:1378"},
		{"localhost:3000", "localhost:3000"},
		{"localhost/items", "localhost"},
		{"api.example.com:8443/v1?x=1", "api.example.com:8443"},
		{"/items", ""},
		{"items/1", ""},
		{"v1.0/items", ""},
		{"http://localhost:3000/x", ""},
		{"a:b/c", ""},
	} {
		if got := SchemelessHost(c.in); got != c.want {
			t.Errorf("SchemelessHost(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
