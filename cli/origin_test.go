package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestCallDoesNotFollowARedirectToAnotherOrigin: an API's 307 to another
// origin is printed, not followed, with the token in a custom header.
func TestCallDoesNotFollowARedirectToAnotherOrigin(t *testing.T) {
	h := newHarness(t)
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
	}))
	t.Cleanup(thief.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(api.Close)
	cfg := h.writeConfig("redirect.toml", staticConfig("api", api.URL, "origin-bound-token-5150", `inject = { header = "X-Api-Key", prefix = "" }`+"\n"))
	for _, method := range []string{"GET", "POST"} {
		r := h.run("call", "--config", cfg, "-i", "api", method, "/things", "-d", `{"a":1}`)
		r.expect(t, ExitOK, method)
		if !strings.Contains(r.out, "307") || !strings.Contains(r.out, thief.URL+"/collect") {
			t.Errorf("%s: the 307 and its Location are not shown:\n%s", method, r.out)
		}
	}
	if n := stolen.Load(); n != 0 {
		t.Fatalf("the other origin got %d requests", n)
	}
}
