package check

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzParseAssert throws any expression at ParseAssert and, when it
// parses, checks it against a response holding secrets: no panic, no hang,
// and no secret in the outcome.
func FuzzParseAssert(f *testing.F) {
	for _, seed := range []string{
		"status == 201", "header.Content-Type contains json", "body.items.# > 0",
		"body.id exists", "body.name matches ^[a-z]+$", "duration < 500ms",
		`body.items.#(name == "x").id != 2`, "body.tags contains 7", `body == {"a":[1]}`,
		"body.n >= 1e400", "status==", "header.Set-Cookie == x", "body.token < \"z\"",
	} {
		f.Add(seed)
	}
	resp := Response{
		Status:   201,
		Header:   http.Header{"Set-Cookie": {"s=cookie-secret-1"}, "X-N": {"7"}},
		Body:     []byte(`{"n":1,"name":"x","token":"tok-secret-77","items":[{"name":"x","id":2}],"tags":[7,"a"],"u":{"password":"pw-secret-99"}}`),
		Duration: time.Second,
	}
	f.Fuzz(func(t *testing.T, expr string) {
		a, err := ParseAssert(expr)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an empty error")
			}
			return
		}
		o := a.Check(resp)
		if o.Pass != (o.Why == "") {
			t.Fatalf("%q: pass %v, why %q", expr, o.Pass, o.Why)
		}
		for _, leak := range []string{"tok-secret-77", "pw-secret-99", "cookie-secret-1"} {
			if strings.Contains(o.Found+o.Why, leak) && !strings.Contains(expr, leak) {
				t.Fatalf("%q shows %s: %q %q", expr, leak, o.Found, o.Why)
			}
		}
	})
}
