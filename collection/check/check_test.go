package check

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/collection/collectiontest"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
)

// hostileBody is an answer from a server that tries its luck: credentials
// in the body, a terminal escape in a value, a long value, numbers in
// strings, a large id.
const hostileBody = `{"id":"5","count":3,"price":19.90,"big":12345678901234567890,
"name":"alice","title":"\u001b]52;c;AAAA\u0007pwned","empty":"","ok":true,"none":null,
"items":[{"id":1,"name":"a"},{"id":2,"name":"b"}],"tags":["red","blue",7],
"access_token":"tok-7f3a9c1e-secret","user":{"password":"pw-secret-99","email":"a@b.example"},
"nested":{"client_secret":"cs-secret-42","x":1},
"long":"` + "0123456789012345678901234567890123456789012345678901234567890123456789" + `"}`

// fetch exchanges a request with a hostile server on 127.0.0.1 and keeps
// what a check reads of it.
func fetch(t *testing.T) Response {
	t.Helper()
	url := collectiontest.Answer{Status: http.StatusCreated, Header: http.Header{
		"Content-Type": {"application/json; charset=utf-8"},
		"X-Count":      {" 12 "},
		"Location":     {"/items/5"},
		"Set-Cookie":   {"session=cookie-secret-1"},
		"X-Many":       {"one", "two"},
	}, Body: hostileBody}.Serve(t)
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := exchangetest.Do(t, req)
	// The duration is set, not measured: a check of it must not depend on
	// the machine's speed.
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: body, Duration: 120 * time.Millisecond}
}

var leaks = []string{"tok-7f3a9c1e-secret", "pw-secret-99", "cs-secret-42", "cookie-secret-1", "\x1b", "\a"}

func TestAssertOperators(t *testing.T) {
	resp := fetch(t)
	for _, tc := range []struct {
		expr  string
		pass  bool
		found string
	}{
		// status: numbers as numbers.
		{"status == 201", true, "201"},
		{"status==201", true, "201"},
		{"status == 201.0", true, "201"},
		{"status == 200", false, "201"},
		{"status != 200", true, "201"},
		{"status != 201", false, "201"},
		{"status < 300", true, "201"},
		{"status < 201", false, "201"},
		{"status <= 201", true, "201"},
		{"status <= 200", false, "201"},
		{"status > 199", true, "201"},
		{"status > 201", false, "201"},
		{"status >= 201", true, "201"},
		{"status >= 202", false, "201"},
		{"status contains 20", true, "201"},
		{"status contains 30", false, "201"},
		{"status matches ^2\\d\\d$", true, "201"},
		{"status matches ^4", false, "201"},
		{"status == created", false, "201"},
		// duration: Go durations.
		{"duration < 500ms", true, "120ms"},
		{"duration < 100ms", false, "120ms"},
		{"duration <= 120ms", true, "120ms"},
		{"duration > 0.1s", true, "120ms"},
		{"duration >= 1s", false, "120ms"},
		{"duration == 120ms", true, "120ms"},
		{"duration != 120ms", false, "120ms"},
		// headers: case-insensitive names, text values, numbers read.
		{"header.Content-Type contains json", true, `"application/json; charset=utf-8"`},
		{"header.content-type contains JSON", false, `"application/json; charset=utf-8"`},
		{`header.Location == "/items/5"`, true, `"/items/5"`},
		{"header.Location == /items/6", false, `"/items/5"`},
		{"header.X-Count == 12", true, `"12"`},
		{"header.X-Count > 9", true, `"12"`},
		{`header.X-Count > "9"`, false, `"12"`},
		{"header.X-Many == one, two", true, `"one, two"`},
		{"header.X-Many matches ^one", true, `"one, two"`},
		{"header.X-Nope exists", false, ""},
		{"header.Location exists", true, `"/items/5"`},
		{"header.X-Nope != x", false, ""},
		{"header.Set-Cookie contains session", true, "••••"},
		{"header.Set-Cookie == x", false, "••••"},
		// body: gjson paths, JSON literals, bare words.
		{"body.name == alice", true, `"alice"`},
		{`body.name == "alice"`, true, `"alice"`},
		{"body.name != bob", true, `"alice"`},
		{"body.name matches ^[a-z]+$", true, `"alice"`},
		{"body.name matches ^[A-Z]", false, `"alice"`},
		{"body.name contains lic", true, `"alice"`},
		{"body.name contains LIC", false, `"alice"`},
		{"body.name > alex", true, `"alice"`},
		{"body.name < alex", false, `"alice"`},
		{"body.id == 5", true, `"5"`},
		{`body.id == "5"`, true, `"5"`},
		{"body.count == 3", true, "3"},
		{"body.count == 3.0", true, "3"},
		{"body.count > 10", false, "3"},
		{"body.count < 10", true, "3"},
		{"body.count == three", false, "3"},
		{"body.price == 19.9", true, "19.90"},
		{"body.price >= 19.91", false, "19.90"},
		{"body.big == 12345678901234567890", true, "12345678901234567890"},
		{"body.big == 12345678901234567891", false, "12345678901234567890"},
		{"body.items.# > 0", true, "2"},
		{"body.items.# == 3", false, "2"},
		{"body.items.1.name == b", true, `"b"`},
		{`body.items.#(name == "b").id == 2`, true, "2"},
		{`body.items.#(name=="b").id==2`, true, "2"},
		{"body.ok == true", true, "true"},
		{"body.ok == false", false, "true"},
		{`body.ok == "true"`, true, "true"},
		{"body.none == null", true, "null"},
		{"body.none exists", true, "null"},
		{"body.count == null", false, "3"},
		{"body.empty == \"\"", true, `""`},
		{"body.id exists", true, `"5"`},
		{"body.missing exists", false, ""},
		{"body.missing == 1", false, ""},
		{"body.tags == [\"red\",\"blue\",7]", true, `["red","blue",7]`},
		{"body.tags == [\"red\"]", false, `["red","blue",7]`},
		{"body.tags contains blue", true, `["red","blue",7]`},
		{"body.tags contains 7", true, `["red","blue",7]`},
		{"body.tags contains 7.0", true, `["red","blue",7]`},
		{"body.tags contains re", false, `["red","blue",7]`},
		{`body.items.0 == {"name":"a","id":1}`, true, `{"id":1,"name":"a"}`},
		{`body.items.0 == {"id":2}`, false, `{"id":1,"name":"a"}`},
		{"body contains alice", true, ""},
		{"body exists", true, ""},
		// secrets: the check runs on the value, the outcome shows none.
		{"body.access_token == tok-7f3a9c1e-secret", true, "••••"},
		{"body.access_token == wrong", false, "••••"},
		{"body.user.password contains secret", true, "••••"},
		{`body.user == {"x":1}`, false, ""},
		{"body.nested == 1", false, ""},
		// a server's escape sequence is quoted, a long value cut.
		{"body.title == x", false, `"\x1b]52;c;AAAA\apwned"`},
		{"body.long == x", false, ""},
	} {
		a, err := ParseAssert(tc.expr)
		if err != nil {
			t.Errorf("ParseAssert(%q): %v", tc.expr, err)
			continue
		}
		o := a.Check(resp)
		if o.Pass != tc.pass {
			t.Errorf("%s: pass %v (%s), want %v", tc.expr, o.Pass, o.Why, tc.pass)
		}
		if tc.found != "" && o.Found != tc.found {
			t.Errorf("%s: found %s, want %s", tc.expr, o.Found, tc.found)
		}
		if o.Pass != (o.Why == "") || o.String() == "" {
			t.Errorf("%s: why %q, string %q", tc.expr, o.Why, o)
		}
		if o.FromBody != (a.Subject == Body) {
			t.Errorf("%s: FromBody %v", tc.expr, o.FromBody)
		}
		for _, leak := range leaks {
			if strings.Contains(o.Found+o.Why, leak) {
				t.Errorf("%s: the outcome shows %q: %q %q", tc.expr, leak, o.Found, o.Why)
			}
		}
		// Cut to maxShown characters before quoting; an escape is at most
		// ten characters long.
		if n := len([]rune(o.Found)); n > 10*maxShown+3 {
			t.Errorf("%s: found is %d characters long", tc.expr, n)
		}
	}
}

func TestAssertWhy(t *testing.T) {
	resp := fetch(t)
	for expr, want := range map[string]string{
		"status == 200":          "found 201",
		"body.count == three":    "found 3",
		"body.name > 3":          `found "alice", not a number`,
		"body.name == 3":         `found "alice", not a number`,
		"body.missing == 1":      "body.missing finds nothing",
		"header.X-Nope exists":   "header X-Nope finds nothing",
		"duration < 100ms":       "took 120ms",
		"body.long == x":         `found "012345678901234567890123456789012345678901234567890123456789…"`,
		"body.user == {\"x\":1}": `found {"password":"••••","email":"a@b.example"}`,
		"body.nested == 1":       `found {"client_secret":"••••","x":1}, not a number`,
	} {
		a, err := ParseAssert(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if o := a.Check(resp); o.Why != want {
			t.Errorf("%s: why %q, want %q", expr, o.Why, want)
		}
	}
	a, _ := ParseAssert("body.id == 5")
	if o := a.Check(Response{Body: []byte("<html>")}); o.Pass || o.Why != "the body is not JSON" || o.Exists {
		t.Errorf("not JSON: %+v", o)
	}
	a, _ = ParseAssert("body contains html")
	if o := a.Check(Response{Body: []byte("<html>")}); !o.Pass {
		t.Errorf("whole body: %+v", o)
	}
}

func TestParseAssertErrors(t *testing.T) {
	for expr, want := range map[string]string{
		"":                            "@assert needs an expression",
		"   ":                         "@assert needs an expression",
		"stauts == 200":               `"stauts" is not something to check: use status, duration, header.NAME or body.PATH`,
		"status":                      "after status: an operator is missing",
		"status is 200":               `after status: "is" is not an operator`,
		"status =< 200":               `"=<" is not an operator`,
		"status ==":                   "== needs a value after it",
		"status exists":               "status always exists",
		"duration exists":             "duration always exists",
		"body.id exists 1":            `exists takes nothing after it, found "1"`,
		"duration < 500":              `Go duration like 500ms or 1.5s, not "500"`,
		"duration < fast":             "Go duration",
		"duration contains 1s":        "duration is compared with == != < <= > >=, not contains",
		"duration matches 1":          "not matches",
		"body.name matches [a-z":      "matches needs an RE2 regular expression: error parsing regexp: missing closing ]",
		"body.name matches (?=x)":     "RE2",
		"body.count < true":           "< compares numbers or strings, not true",
		"body.count >= [1]":           ">= compares numbers or strings",
		"body.count > null":           "> compares numbers or strings",
		"header. == 1":                `"" is not a header name`,
		"header.a:b == 1":             `"a:b" is not a header name`,
		"body. == 1":                  "body. needs a path",
		"body.name containsx foo":     `"containsx" is not an operator`,
		`body.items.#(name=="b" == 2`: "an operator is missing",
	} {
		_, err := ParseAssert(expr)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseAssert(%q): %v, want %q", expr, err, want)
		}
	}
	// matches takes the rest of the line, spaces included.
	a, err := ParseAssert(`body.title matches ^a b+ c$`)
	if err != nil || a.Right != "^a b+ c$" || a.Op != Matches {
		t.Errorf("matches: %+v %v", a, err)
	}
	a, err = ParseAssert(`  body.name   ==   two words  `)
	if err != nil || a.Right != "two words" || a.Name != "name" || a.Text != "body.name   ==   two words" {
		t.Errorf("bare words: %+v %v", a, err)
	}
}

// A body full of numbers with huge exponents costs no more than any
// other: they are not computed exactly.
func TestHugeExponents(t *testing.T) {
	body := []byte("[" + strings.Repeat("1e999999,", 20000) + "1]")
	resp := Response{Body: body}
	start := time.Now()
	for _, expr := range []string{"body contains 7", "body.0 == 1", "body.0 > 1"} {
		a, err := ParseAssert(expr)
		if err != nil {
			t.Fatal(err)
		}
		if expr != "body contains 7" {
			if o := a.Check(resp); o.Pass || !strings.Contains(o.Why, "not a number") {
				t.Errorf("%s: %+v", expr, o)
			}
		}
	}
	a, _ := ParseAssert("body.@this contains 7")
	a.Check(resp)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	for _, expr := range []string{"status == 1e99999999", "status < 1e401"} {
		if _, err := ParseAssert(expr); err == nil || !strings.Contains(err.Error(), "too large a number") {
			t.Errorf("%s: %v", expr, err)
		}
	}
}
