package history

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// secretForms are the forms a leaked secret would show up in
// (attack.LeakForms), and as encoding/json escapes it, once and twice: a
// JSON body echoed inside a JSON string is escaped twice.
func secretForms(s string) []string { return append(attack.LeakForms(s), attack.JSONForms(s)...) }

// TestHistoryKeepsNoSecret records a session's exchanges with secrets in
// every place they travel — the token in a header and in the query, Basic
// auth, cookies both ways, a client secret in a form and in JSON, a URL
// password, a value the provider's redactor knows, a token response — to
// a server that echoes the request back, and checks the file holds none of
// them in any encoding.
func TestHistoryKeepsNoSecret(t *testing.T) {
	const (
		headerTok  = "tok-header-AAAA1111"
		queryTok   = "tok-query/BBBB+2222"
		cookieVal  = "cookie-value-2222"
		setCookie  = "cookie-secret-1111"
		basicPass  = "basic-pass:4444"
		formSecret = "form secret&3333"
		jsonSecret = `json-"secret"-5555`
		jsonPass   = "json-pass-6666"
		registered = "registered-secret-7777"
		urlPass    = "url-pass-8888"
		respAccess = "resp-access-tok-9999"
		respRefr   = "resp-refresh-0000"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Set-Cookie", "session="+setCookie+"; Path=/; HttpOnly")
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/token" {
			fmt.Fprintf(w, `{"access_token":%q,"refresh_token":%q,"token_type":"bearer"}`, respAccess, respRefr)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"uri": r.RequestURI, "headers": r.Header, "body": string(b)})
	}))
	t.Cleanup(srv.Close)
	hostPort := strings.TrimPrefix(srv.URL, "http://")
	api := &config.Provider{Name: "api", BaseURL: srv.URL}
	q := &config.Provider{Name: "q", BaseURL: srv.URL, Inject: &config.Inject{Query: "access_token"}}
	var red secret.Redactor
	red.Add(secret.New(registered))
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("client:"+basicPass))

	dir := filepath.Join(t.TempDir(), "state", "keyhole")
	h, err := Open(dir, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p   *config.Provider
		tok *providers.Token
		r   exchange.Request
	}{
		{api, exchangetest.Bearer(headerTok), exchange.Request{Target: "/me?page=1", Header: []exchange.Field{{Name: "Cookie", Value: "sid=" + cookieVal + "; theme=dark"}, {Name: "X-Note", Value: "about " + registered}}}},
		{q, exchangetest.Bearer(queryTok), exchange.Request{Target: "/q?x=1"}},
		{api, nil, exchange.Request{Method: "POST", Target: "/token", Header: []exchange.Field{{Name: "Authorization", Value: basic}}, Body: "grant_type=client_credentials&client_secret=" + url.QueryEscape(formSecret)}},
		{api, exchangetest.Bearer(headerTok), exchange.Request{Method: "POST", Target: "/login", Body: fmt.Sprintf(`{"client_secret":%q,"user":{"password":%q},"note":%q}`, jsonSecret, jsonPass, registered)}},
		{api, nil, exchange.Request{Target: "http://user:" + urlPass + "@" + hostPort + "/u"}},
	} {
		ex := exchange.Send(context.Background(), exchangetest.Client(t), c.p, c.tok, c.r, exchange.Options{})
		if ex.Err != nil {
			t.Fatal(ex.Err)
		}
		if err := h.Add(NewEntry(c.p.Name, ex, red.Redact)); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	// The file as bytes, and the entries' text decoded (a body is escaped
	// once more on its way into a JSON line).
	var decoded strings.Builder
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&decoded, e.URL, e.RequestHeader, e.RequestBody, e.ResponseHeader, e.ResponseBody, e.Error, e.Notes)
	}
	for _, s := range []string{headerTok, queryTok, cookieVal, setCookie, basicPass, "client:" + basicPass, strings.TrimPrefix(basic, "Basic "), "user:" + urlPass,
		formSecret, jsonSecret, jsonPass, registered, urlPass, respAccess, respRefr} {
		for _, form := range secretForms(s) {
			if bytes.Contains(raw, []byte(form)) || strings.Contains(decoded.String(), form) {
				t.Errorf("the history holds %q (as %q)", s, form)
			}
		}
	}
	// What is not secret is still there to read.
	for _, want := range []string{"/me?page=1", "Bearer ••••", "sid=••••; theme=••••", "session=••••; Path=/; HttpOnly", "access_token=••••", "grant_type=client_credentials", `"status":200`, "//user:••••@"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("the history file lacks %q", want)
		}
	}
	if n := bytes.Count(raw, []byte("\n")); n != 5 {
		t.Errorf("%d lines, want 5", n)
	}
	for path, mode := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, FileName): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v (%v)", path, fi.Mode().Perm(), mode, err)
		}
	}
	list := h.List()
	if len(list) != 5 || list[0].URL != "http://user:••••@"+hostPort+"/u" || list[4].Method != "GET" || list[4].Status != 200 || list[4].Timing == nil {
		t.Errorf("List = %+v", list)
	}
}

func TestHistoryBound(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 23 {
		addNumbered(t, h, i)
		if n := historyFileLines(t, filepath.Join(dir, FileName)); n > 5 {
			t.Fatalf("after %d adds the file has %d lines, more than 1.25 × 4", i+1, n)
		}
	}
	want := []string{"https://h/22", "https://h/21", "https://h/20", "https://h/19"}
	check := func(h *History) {
		t.Helper()
		var got []string
		for _, e := range h.List() {
			got = append(got, e.URL)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("List = %q, want %q", got, want)
		}
	}
	check(h)
	again, err := Open(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	check(again)
	// A smaller limit trims at open.
	small, err := Open(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	if l := small.List(); len(l) != 1 || l[0].URL != "https://h/22" || historyFileLines(t, filepath.Join(dir, FileName)) > 2 {
		t.Errorf("limit 1: %+v", l)
	}
}

func historyFileLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

func TestHistoryCorruptLinesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	good := `{"time":"2026-03-14T15:09:26Z","provider":"p","method":"GET","url":"https://h/1"}`
	text := good + "\n{not json\n\n" + `{"no":"time"}` + "\n" + strings.Replace(good, "/1", "/2", 1) + "\n" + `{"time":"2026-03-14T15:09:27Z","url":"trunc`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := Open(dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	if l := h.List(); len(l) != 2 || l[0].URL != "https://h/2" || l[1].URL != "https://h/1" {
		t.Errorf("List = %+v", l)
	}
	notes := strings.Join(h.Notes(), "\n")
	for _, want := range []string{"line 2:", "line 4:", "line 6:"} {
		if !strings.Contains(notes, want) {
			t.Errorf("Notes = %q, want %q", notes, want)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, FileName)); fi.Mode().Perm() != 0o600 {
		t.Errorf("a loose file was left at %v", fi.Mode().Perm())
	}
	if err := h.Add(Entry{URL: "https://h/3"}); err != nil {
		t.Fatal(err)
	}
	if l := h.List(); len(l) != 3 || l[0].URL != "https://h/3" || l[0].Time.IsZero() {
		t.Errorf("after Add: %+v", l)
	}
}

func TestHistoryLimitZeroWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keyhole")
	h, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Add(Entry{URL: "https://h/x"}); err != nil {
		t.Fatal(err)
	}
	if len(h.List()) != 1 || h.Path() != "" {
		t.Errorf("List = %+v, Path = %q", h.List(), h.Path())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("history = 0 created %s: %v", dir, err)
	}
}

func TestHistoryConcurrentAdds(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(dir, 40)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir, 40) // another process, as far as the file knows
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := a
			if i%2 == 1 {
				h = b
			}
			for j := range 5 {
				if err := h.Add(Entry{URL: fmt.Sprint("https://h/", i, "/", j)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	c, err := Open(dir, 40)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.List()); n != 40 || len(c.Notes()) != 0 {
		t.Errorf("reopened: %d entries, notes %q", n, c.Notes())
	}
}

func TestHistoryBodies(t *testing.T) {
	const tok = "body-secret-ABCDEFGH"
	var red secret.Redactor
	red.Add(secret.New(tok))
	// A secret across the cap must be masked, not cut in half.
	big := strings.Repeat("x", BodyCap-3) + tok + strings.Repeat("y", 200<<10)
	ex := &exchange.Exchange{
		Sent:     exchange.Sent{Method: "POST", URL: &url.URL{Scheme: "https", Host: "h", Path: "/x"}, Header: http.Header{}, Body: []byte(big)},
		Response: &exchange.Response{Status: 200, Header: http.Header{"Content-Type": {"application/octet-stream"}}, Body: []byte{0xff, 0, 1, 2}, Size: 4},
	}
	e := NewEntry("p", ex, red.Redact)
	if len(e.RequestBody) > BodyCap || strings.Contains(e.RequestBody, tok[:3]) || !strings.HasPrefix(e.RequestBody, "xxx") {
		t.Errorf("request body: %d bytes, ends %q", len(e.RequestBody), e.RequestBody[max(0, len(e.RequestBody)-10):])
	}
	if e.ResponseBody != "" {
		t.Errorf("a binary body was kept: %q", e.ResponseBody)
	}
	notes := strings.Join(e.Notes, "\n")
	if !strings.Contains(notes, "first 64.0 KB of the request body") || !strings.Contains(notes, "binary") {
		t.Errorf("Notes = %q", e.Notes)
	}
	if e.Time.IsZero() || e.Status != 200 {
		t.Errorf("entry = %+v", e)
	}
}

// TestPrepareReadsNothing: Prepare leaves the file unread — a long history
// is not parsed before the first frame — Load reads it once, and an Add
// before any Load reads it first, so that neither the entries in memory
// nor the count that decides a compaction miss what the file held.
func TestPrepareReadsNothing(t *testing.T) {
	dir := t.TempDir()
	old, err := Open(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		addNumbered(t, old, i)
	}
	start := time.Date(2026, 3, 14, 15, 9, 0, 0, time.UTC)

	h, err := Prepare(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	if h.Loaded() || len(h.List()) != 0 {
		t.Fatalf("Prepare read the file: loaded %v, %d entries", h.Loaded(), len(h.List()))
	}
	if err := h.Load(); err != nil || !h.Loaded() {
		t.Fatalf("Load: %v, loaded %v", err, h.Loaded())
	}
	if l := h.List(); len(l) != 4 || l[0].URL != "https://h/4" {
		t.Errorf("after Load: %+v", l)
	}

	// Add before Load: the file's entries are there too, and the sixth
	// line on disk (limit 4 compacts past 5) rewrites the file.
	h2, err := Prepare(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := h2.Add(Entry{Time: start.Add(time.Minute), Method: "GET", URL: "https://h/new"}); err != nil {
		t.Fatal(err)
	}
	if l := h2.List(); len(l) != 4 || l[0].URL != "https://h/new" || l[1].URL != "https://h/4" {
		t.Errorf("Add before Load: %+v", l)
	}
	if n := historyFileLines(t, filepath.Join(dir, FileName)); n > 5 {
		t.Errorf("the file has %d lines: not compacted", n)
	}
}

// TestLoadRefusesALinkPrepareDidNot: what Open refused (a history file
// that is a symbolic link) Load refuses now; Prepare, which reads
// nothing, lets it by, and an Add says so rather than append through it.
func TestLoadRefusesALinkPrepareDidNot(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.WriteFile(target, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, FileName)); err != nil {
		t.Skip(err)
	}
	h, err := Prepare(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Load(); err == nil {
		t.Error("Load read the history through a symbolic link")
	}
	if err := h.Add(Entry{Time: time.Now(), Method: "GET", URL: "https://h/x"}); err == nil {
		t.Error("Add wrote the history through a symbolic link")
	}
	if b, _ := os.ReadFile(target); len(b) != 0 {
		t.Errorf("the link's target was written: %q", b)
	}
}

// addNumbered adds the i-th of a run of entries a second apart, its URL
// ending in i.
func addNumbered(t *testing.T, h *History, i int) {
	t.Helper()
	start := time.Date(2026, 3, 14, 15, 9, 0, 0, time.UTC)
	if err := h.Add(Entry{Time: start.Add(time.Duration(i) * time.Second), Method: "GET", URL: fmt.Sprint("https://h/", i)}); err != nil {
		t.Fatal(err)
	}
}
