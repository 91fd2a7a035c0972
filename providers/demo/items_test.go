package demo_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

// testItem is an item as the API writes it.
type testItem struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Tags      []string `json:"tags"`
	Price     float64  `json:"price"`
	Currency  string   `json:"currency"`
	InStock   bool     `json:"in_stock"`
	CreatedAt string   `json:"created_at"`
}

type testItemPage struct {
	Items      []testItem `json:"items"`
	Total      int        `json:"total"`
	TotalPages int        `json:"total_pages"`
	Next       *string    `json:"next"`
}

func decodeJSON[T any](t *testing.T, what string, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v in %s", what, err, body)
	}
	return v
}

// wantJSONError checks a status and that the body is the demo's JSON
// error with code.
func wantJSONError(t *testing.T, what string, resp *http.Response, body []byte, status int, code string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: %d %s, want %d", what, resp.StatusCode, body, status)
		return
	}
	e := decodeJSON[struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}](t, what, body)
	if e.Error != code || e.Description == "" {
		t.Errorf("%s: error %q (%q), want %q with a description", what, e.Error, e.Description, code)
	}
}

// An item created with POST is there at its Location until deleted, is
// listed after the fixed items, and the fixed items cannot be deleted.
func TestItemLifecycle(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	tok, read := ccToken(t, base), ccToken(t, base, "api:read")

	resp, created := call(t, "POST", base+"/api/items", tok, strings.NewReader(`{"name":"  Cedar Latch ","tags":["new"],"price":3}`))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, created)
	}
	it := decodeJSON[testItem](t, "create", created)
	loc := resp.Header.Get("Location")
	if it.ID != "itm_0058" || it.Name != "Cedar Latch" || loc != "/api/items/"+it.ID || it.Currency != "EUR" || !it.InStock {
		t.Fatalf("created %s at %q", created, loc)
	}
	if at, err := time.Parse(time.RFC3339, it.CreatedAt); err != nil || time.Since(at) > time.Minute {
		t.Errorf("created_at %q", it.CreatedAt)
	}

	resp, got := call(t, "GET", base+loc, read, nil)
	if resp.StatusCode != http.StatusOK || string(got) != string(created) {
		t.Errorf("GET %s: %d %s, want what POST answered: %s", loc, resp.StatusCode, got, created)
	}
	resp, body := call(t, "GET", base+"/api/items?page=6", read, nil)
	last := decodeJSON[testItemPage](t, "page 6", body)
	if resp.StatusCode != 200 || last.Total != 58 || len(last.Items) != 8 || last.Items[7].ID != it.ID {
		t.Errorf("page 6 after one create: %d %s", resp.StatusCode, body)
	}
	_, body = call(t, "GET", base+"/api/items?page=1", read, nil)
	first := decodeJSON[testItemPage](t, "page 1", body)
	resp, got = call(t, "GET", base+"/api/items/itm_0001", read, nil)
	if resp.StatusCode != 200 || len(first.Items) == 0 || fmt.Sprint(decodeJSON[testItem](t, "itm_0001", got)) != fmt.Sprint(first.Items[0]) {
		t.Errorf("GET itm_0001: %d %s, want page 1's first item", resp.StatusCode, got)
	}

	resp, body = call(t, "DELETE", base+loc, read, nil)
	wantChallenge(t, resp, body, http.StatusForbidden, "insufficient_scope")
	if !strings.Contains(resp.Header.Get("WWW-Authenticate"), `scope="api:write"`) {
		t.Errorf("WWW-Authenticate = %q, want scope=\"api:write\"", resp.Header.Get("WWW-Authenticate"))
	}
	resp, body = call(t, "DELETE", base+loc, "", nil)
	wantChallenge(t, resp, body, http.StatusUnauthorized, "")

	resp, body = call(t, "DELETE", base+loc, tok, nil)
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("DELETE %s: %d %q, want 204 and no body", loc, resp.StatusCode, body)
	}
	resp, body = call(t, "GET", base+loc, read, nil)
	wantJSONError(t, "GET after DELETE", resp, body, http.StatusNotFound, "not_found")
	resp, body = call(t, "DELETE", base+loc, tok, nil)
	wantJSONError(t, "DELETE twice", resp, body, http.StatusNotFound, "not_found")
	if _, body := call(t, "GET", base+"/api/items?page=6", read, nil); decodeJSON[testItemPage](t, "page 6", body).Total != 57 {
		t.Errorf("page 6 after the delete: %s", body)
	}

	resp, body = call(t, "DELETE", base+"/api/items/itm_0001", tok, nil)
	wantJSONError(t, "DELETE a fixed item", resp, body, http.StatusMethodNotAllowed, "read_only")
	if resp.Header.Get("Allow") != "GET" {
		t.Errorf("DELETE a fixed item: Allow %q, want GET", resp.Header.Get("Allow"))
	}
	if resp, _ := call(t, "GET", base+"/api/items/itm_0001", read, nil); resp.StatusCode != 200 {
		t.Errorf("itm_0001 after a refused DELETE: %d", resp.StatusCode)
	}
	resp, body = call(t, "PATCH", base+"/api/items/itm_0001", tok, strings.NewReader(`{}`))
	wantJSONError(t, "PATCH", resp, body, http.StatusMethodNotAllowed, "method_not_allowed")
	if resp.Header.Get("Allow") != "DELETE, GET" {
		t.Errorf("PATCH: Allow %q", resp.Header.Get("Allow"))
	}
}

// Ids are matched exactly as the server writes them; whatever else a
// client sends is a 404 with a short JSON error, never an echo of a huge
// id, never another item.
func TestItemHostileIDs(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	tok := ccToken(t, base)
	for _, id := range []string{
		"itm_0000", "itm_0058", "itm_58", "itm_00001", "itm_+001", "itm_ 001", "ITM_0001", "itm_0001%2F..",
		"itm_0001%00", "%2e%2e", "itm_99999999999999999999", strings.Repeat("a", 4000),
	} {
		for _, method := range []string{"GET", "DELETE"} {
			resp, body := call(t, method, base+"/api/items/"+id, tok, nil)
			wantJSONError(t, method+" "+id[:min(len(id), 20)], resp, body, http.StatusNotFound, "not_found")
			if len(body) > 400 {
				t.Errorf("%s %.20s: a %d-byte error body", method, id, len(body))
			}
		}
	}
	if resp, _ := call(t, "GET", base+"/api/items/", tok, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /api/items/: %d, want 404", resp.StatusCode)
	}
}

// The demo keeps the newest 1,000 created items, dropping the oldest,
// while clients create and list at the same time.
func TestItemsKeepTheNewest1000(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	tok := ccToken(t, base)
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 10 * time.Second}
	t.Cleanup(c.CloseIdleConnections)
	send := func(method, path, body string) (int, []byte, error) {
		req, err := http.NewRequestWithContext(t.Context(), method, base+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := c.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}

	const workers, created = 8, 1005
	var wg sync.WaitGroup
	errs := make(chan error, workers+1)
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for n := range next {
				status, body, err := send("POST", "/api/items", fmt.Sprintf(`{"name":"Item %d"}`, n))
				if err != nil || status != http.StatusCreated {
					errs <- fmt.Errorf("create %d: %d %s %v", n, status, body, err)
					return
				}
			}
		})
	}
	wg.Go(func() { // a reader while the writers run
		for range 50 {
			status, body, err := send("GET", "/api/items?page=100", "")
			if err != nil || status != http.StatusOK || !json.Valid(body) {
				errs <- fmt.Errorf("list: %d %s %v", status, body, err)
				return
			}
		}
	})
	for n := range created {
		next <- n
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// Ids 58 to 1062 were given out; the five oldest were dropped.
	for id, want := range map[string]int{"itm_0058": 404, "itm_0062": 404, "itm_0063": 200, "itm_1062": 200, "itm_1063": 404} {
		if status, body, err := send("GET", "/api/items/"+id, ""); err != nil || status != want {
			t.Errorf("GET %s: %d %s %v, want %d", id, status, body, err, want)
		}
	}
	status, body, err := send("GET", "/api/items?page=106", "")
	if err != nil || status != 200 {
		t.Fatalf("last page: %d %v", status, err)
	}
	p := decodeJSON[testItemPage](t, "last page", body)
	if p.Total != 57+1000 || p.TotalPages != 106 || len(p.Items) != 7 || p.Items[6].ID != "itm_1062" || p.Next != nil {
		t.Errorf("last page = %s", body)
	}
}

// A page number near the int limit is past the end, not an overflow into
// a negative item number.
func TestItemsPageNearIntLimit(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	tok := ccToken(t, base)
	for _, page := range []string{"1844674407370955162", "922337203685477581", "9223372036854775807"} {
		resp, body := call(t, "GET", base+"/api/items?page="+page, tok, nil)
		if p := decodeJSON[testItemPage](t, "page "+page, body); resp.StatusCode != 200 || len(p.Items) != 0 || p.Total != 57 {
			t.Errorf("page %s: %d %s, want 200 and no items", page, resp.StatusCode, body)
		}
	}
}

// A created item's size is bounded, so 1,000 of them stay small.
func TestCreateItemLimits(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	tok := ccToken(t, base)
	tags := func(n, size int) string {
		ts := make([]string, n)
		for i := range ts {
			ts[i] = `"` + strings.Repeat("t", size) + `"`
		}
		return "[" + strings.Join(ts, ",") + "]"
	}
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"name":"` + strings.Repeat("é", 200) + `"}`, 201}, // characters, not bytes
		{`{"name":"` + strings.Repeat("n", 201) + `"}`, 400},
		{`{"name":"  ` + strings.Repeat("n", 200) + `  "}`, 201}, // trimmed first
		{`{"name":"x","tags":` + tags(10, 40) + `}`, 201},
		{`{"name":"x","tags":` + tags(11, 1) + `}`, 400},
		{`{"name":"x","tags":` + tags(1, 41) + `}`, 400},
		{`{"name":" \t "}`, 400},
		{`{"name":"x","price":-0.01}`, 400},
		{`{"name":"` + strings.Repeat("n", 1<<20) + `"}`, 413},
	} {
		resp, body := call(t, "POST", base+"/api/items", tok, strings.NewReader(tc.body))
		if resp.StatusCode != tc.want || !json.Valid(body) {
			t.Errorf("POST %.60s: %d %.200s, want %d", tc.body, resp.StatusCode, body, tc.want)
		}
	}
}
