package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/keyhole-sh/keyhole/exchange"
)

// callJSON is what call --json prints.
type callJSON struct {
	Status       int               `json:"status"`
	Headers      map[string]string `json:"headers"`
	Body         any               `json:"body"`
	BodyEncoding string            `json:"body_encoding,omitempty"`
	Truncated    bool              `json:"truncated,omitempty"`
	TimeMS       float64           `json:"time_ms"`
}

// bodyServer serves each path's body with its content type, and a
// Location header that carries a token.
func bodyServer(t *testing.T, bodies map[string][2]string) string {
	t.Helper()
	// The bodies are turned into bytes once: the memory test counts
	// every allocation of the process, this server's included.
	raw := map[string][]byte{}
	for path, b := range bodies {
		raw[path] = []byte(b[1])
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", b[0])
		w.Header().Set("Location", "https://app.example/cb?state=s1&access_token=location-token-0451&x=1")
		w.Header().Set("Set-Cookie", "sid=cookie-secret-0451; HttpOnly")
		w.Header().Set("Content-Length", fmt.Sprint(len(b[1])))
		w.Write(raw[r.URL.Path])
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestCallJSONBodies checks the --json output for bodies that are JSON,
// JSON in a broken encoding, text in another encoding, text with control
// characters, binary, and text cut at max_body inside a character: it is
// always valid JSON in valid UTF-8, and it always gives back the bytes.
func TestCallJSONBodies(t *testing.T) {
	h := newHarness(t)
	bodies := map[string][2]string{
		"/json":     {"application/json", `{"name": "caf` + "\xe9" + `"}` + "\n"},
		"/good":     {"application/json", "{\"a\": [1, {}, []], \"s\": \"x\\\"y\\u00e9\", \"e\": {}}"},
		"/latin1":   {"text/plain; charset=iso-8859-1", "caf\xe9 cr\xe8me"},
		"/controls": {"text/plain", "line1\nline2\t\x01\x7f \u2028 \"q\" \\ <&>"},
		"/binary":   {"application/octet-stream", "\x89PNG\r\n\x1a\n\x00\x00"},
		"/cut":      {"text/plain", strings.Repeat("é", 40)}, // 80 bytes, cut at 51: inside a character
	}
	base := bodyServer(t, bodies)
	cfg := h.writeConfig("b.toml", "[settings]\ntoken_cache = \"memory\"\nmax_body = \"51B\"\n\n[providers.st]\nbase_url = \""+base+"\"\ngrant = \"static\"\ntoken = \"static-tok-1\"\n")
	big := h.writeConfig("big.toml", "[settings]\ntoken_cache = \"memory\"\n\n[providers.st]\nbase_url = \""+base+"\"\ngrant = \"static\"\ntoken = \"static-tok-1\"\n")
	cases := []struct {
		path, config, encoding string
		want                   any // the body as decoded from the output
		truncated              bool
	}{
		{"/json", big, "base64", bodies["/json"][1], false},
		{"/good", big, "", map[string]any{"a": []any{1.0, map[string]any{}, []any{}}, "s": "x\"yé", "e": map[string]any{}}, false},
		{"/latin1", big, "base64", bodies["/latin1"][1], false},
		{"/controls", big, "", bodies["/controls"][1], false},
		{"/binary", big, "base64", bodies["/binary"][1], false},
		{"/cut", cfg, "", strings.Repeat("é", 25), true},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			r := h.run("call", "--config", c.config, "st", "GET", c.path, "--json")
			r.expect(t, ExitOK, c.path)
			if !utf8.ValidString(r.out) || !json.Valid([]byte(r.out)) {
				t.Fatalf("--json printed invalid JSON or UTF-8: %q", r.out)
			}
			var got callJSON
			if err := json.Unmarshal([]byte(r.out), &got); err != nil {
				t.Fatal(err)
			}
			if got.BodyEncoding != c.encoding || got.Truncated != c.truncated {
				t.Errorf("body_encoding %q truncated %v, want %q %v:\n%s", got.BodyEncoding, got.Truncated, c.encoding, c.truncated, r.out)
			}
			body := got.Body
			if c.encoding == "base64" {
				s, _ := body.(string)
				b, err := base64.StdEncoding.DecodeString(s)
				if err != nil {
					t.Fatalf("body is not base64: %v", err)
				}
				body = string(b)
			}
			if fmt.Sprint(body) != fmt.Sprint(c.want) {
				t.Errorf("body %#v, want %#v", body, c.want)
			}
		})
	}
}

// TestCallJSONOutputIsUnchanged: for the bodies encoding/json could
// already print correctly, the streamed output is the same bytes.
func TestCallJSONOutputIsUnchanged(t *testing.T) {
	for _, body := range []string{
		`{"a":[1,{},[]],"b":{"c":"d\"e","f":[true,null,-1.5e3]},"g":""}`,
		"  [ ]  ",
		`"just a string"`,
		"plain text with \"quotes\", \\, \t, \x01, \u2028 and <&>",
	} {
		resp := &exchange.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}, "X-A": {"1", "2"}}, Body: []byte(body), Duration: 1234567 * time.Nanosecond}
		var got bytes.Buffer
		if err := writeResponseJSON(&got, resp, func(s string) string { return s }); err != nil {
			t.Fatal(err)
		}
		old := callJSON{Status: 200, Headers: map[string]string{"Content-Type": "application/json", "X-A": "1, 2"}, TimeMS: 1.2}
		if jsonBody(resp) {
			old.Body = json.RawMessage(bytes.TrimSpace(resp.Body))
		} else {
			old.Body = body
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(old); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("body %q:\n got %s\nwant %s", body, got.String(), want.String())
		}
	}
}

// TestCallJSONMasksHeadersAsDashIDoes: a Location header's access_token=
// and a cookie are masked in --json exactly as in -i.
func TestCallJSONMasksHeadersAsDashIDoes(t *testing.T) {
	h := newHarness(t)
	base := bodyServer(t, map[string][2]string{"/r": {"text/plain", "moved"}})
	cfg := h.writeConfig("s.toml", "[settings]\ntoken_cache = \"memory\"\n\n[providers.st]\nbase_url = \""+base+"\"\ngrant = \"static\"\ntoken = \"static-tok-1\"\n")
	withI := h.run("call", "--config", cfg, "st", "GET", "/r", "-i")
	withJSON := h.run("call", "--config", cfg, "st", "GET", "/r", "--json")
	withI.expect(t, ExitOK, "-i")
	withJSON.expect(t, ExitOK, "--json")
	for _, r := range []result{withI, withJSON} {
		for _, s := range []string{"location-token-0451", "cookie-secret-0451"} {
			if strings.Contains(r.out, s) {
				t.Errorf("the output holds %q:\n%s", s, r.out)
			}
		}
	}
	var got callJSON
	if err := json.Unmarshal([]byte(withJSON.out), &got); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Location", "Set-Cookie"} {
		if line := name + ": " + got.Headers[name] + "\n"; !strings.Contains(withI.out, line) {
			t.Errorf("--json has %q, which -i does not print:\n%s", line, withI.out)
		}
	}
}

// countingWriter counts what is written and keeps nothing.
type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// TestCallJSONMemory: call --json of bodies at max_body allocates less
// than twice max_body in all, the response itself included (it used 9 to
// 11 times). Allocation, not resident memory, is measured: it is what
// the process asks for, and it cannot be less than the peak.
func TestCallJSONMemory(t *testing.T) {
	const maxBody = 8 << 20
	jsonBody := `[` + strings.Repeat(`{"id":12345,"name":"item","tags":["a","b"],"owner":{"id":7}},`, maxBody/64) + `{}]`
	text := strings.Repeat("a line of text that is not JSON\n", maxBody/32)
	latin := strings.Repeat("caf\xe9 ", maxBody/5)
	base := bodyServer(t, map[string][2]string{
		"/json":  {"application/json", jsonBody[:min(len(jsonBody), maxBody-2)] + "]"},
		"/text":  {"text/plain", text},
		"/latin": {"text/plain", latin},
	})
	h := newHarness(t)
	cfg := h.writeConfig("m.toml", fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\nmax_body = \"%dB\"\n\n[providers.st]\nbase_url = %q\ngrant = \"static\"\ntoken = \"static-tok-1\"\n", maxBody, base))
	for _, path := range []string{"/json", "/text", "/latin"} {
		e, _, errOut := h.env()
		out := &countingWriter{}
		e.stdout = out
		devNull, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		e.stdin = devNull
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		code := run(context.Background(), []string{"call", "--config", cfg, "st", "GET", path, "--json"}, e)
		runtime.ReadMemStats(&after)
		devNull.Close()
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", path, code, errOut.String())
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d bytes out, %.2f MB allocated = %.2fx max_body", path, out.n, float64(alloc)/1e6, float64(alloc)/maxBody)
		if alloc > 2*maxBody {
			t.Errorf("%s: call --json allocated %.1f MB, %.1fx max_body (%d MB)", path, float64(alloc)/1e6, float64(alloc)/maxBody, maxBody>>20)
		}
	}
}
