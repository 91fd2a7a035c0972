package cli

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/internal/faults"
)

// faultTimeout is every fault provider's timeout: a hang costs 200 ms,
// and a timeout that is not applied (30 s by default) shows.
const faultTimeout = 200 * time.Millisecond

// faultHarness is a harness with the fault server's config written, name
// lookups kept in the process (the backend builds its transport from Go's
// defaults, so the default resolver is swapped; no test here is
// parallel), and the sleep hook recording each wait instead of waiting.
func faultHarness(t *testing.T) (*harness, *faults.Server, string, *[]time.Duration) {
	t.Helper()
	h := newHarness(t)
	s := faults.Start(t)
	faults.UseHermeticDNS(t)
	var mu sync.Mutex
	var slept []time.Duration
	h.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		slept = append(slept, d)
		mu.Unlock()
		return ctx.Err()
	}
	return h, s, h.writeConfig("faults.toml", s.Config(faultTimeout)), &slept
}

// timed runs keyhole and fails the test if it outlived the timeout by far.
func timed(t *testing.T, h *harness, args ...string) result {
	t.Helper()
	begin := time.Now()
	r := h.run(args...)
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("keyhole %s took %v with a %v timeout", strings.Join(args, " "), d, faultTimeout)
	}
	return r
}

// stderrSays fails unless stderr has every want, and a hint line that
// holds hint.
func stderrSays(t *testing.T, r result, hint string, want ...string) {
	t.Helper()
	r.errHas(t, want...)
	if !strings.Contains(r.errOut, "\nhint: ") || !strings.Contains(r.errOut[strings.Index(r.errOut, "\nhint: "):], hint) {
		t.Errorf("stderr has no hint line with %q:\n%s", hint, r.errOut)
	}
	if strings.Contains(r.errOut, faults.ClientSecret) {
		t.Error("the client secret is on stderr")
	}
}

// tokenCases are the token endpoint's faults as `keyhole token` and
// `keyhole call` meet them: the exit code, what stderr says, its hint.
var tokenCases = []struct {
	provider string
	code     int
	says     []string
	hint     string
}{
	{faults.TokenProvider(faults.Status500JSON), ExitToken, []string{"answered 500", faults.ErrorDescription}, "failed on its side"},
	{faults.TokenProvider(faults.Status503JSON), ExitToken, []string{"answered 503", faults.ErrorDescription}, "failed on its side"},
	{faults.TokenProvider(faults.Status500HTML), ExitToken, []string{"answered 500", faults.HTMLTitle}, "failed on its side"},
	{faults.TokenProvider(faults.Status503HTML), ExitToken, []string{"answered 503", faults.HTMLTitle}, "failed on its side"},
	{faults.TokenProvider(faults.TooManyRequests), ExitToken, []string{"answered 429", "rate_limited"}, "rate limiting"},
	{faults.TokenProvider(faults.NotJSON), ExitToken, []string{"cannot parse"}, "without an access_token"},
	{faults.TokenProvider(faults.Empty), ExitToken, []string{"cannot parse"}, "without an access_token"},
	{faults.TokenProvider(faults.Hang), ExitNetwork, []string{"deadline exceeded"}, "raise the provider's timeout"},
	{faults.TokenProvider(faults.Slow), ExitNetwork, []string{"deadline exceeded"}, "raise the provider's timeout"},
	{faults.TokenProvider(faults.CutOff), ExitNetwork, []string{"unexpected EOF"}, "connection broke"},
	{faults.TokenNetProvider(faults.Refused), ExitNetwork, []string{"connection refused"}, "nothing listens"},
	{faults.TokenNetProvider(faults.DNS), ExitNetwork, []string{"no such host"}, "does not resolve"},
	{faults.TokenNetProvider(faults.TLS), ExitNetwork, []string{"certificate"}, "TLS verification failed"},
}

func TestTokenAndCallAgainstTokenEndpointFaults(t *testing.T) {
	h, _, cfg, _ := faultHarness(t)
	for _, tc := range tokenCases {
		t.Run(tc.provider, func(t *testing.T) {
			for _, args := range [][]string{
				{"token", "--config", cfg, tc.provider},
				{"call", "--config", cfg, tc.provider, "GET", "/ok"},
			} {
				r := timed(t, h, args...)
				t.Logf("keyhole %s: exit %d\n%s", args[0], r.code, r.errOut)
				r.expect(t, tc.code, "keyhole "+strings.Join(args, " "))
				if r.out != "" {
					t.Errorf("%s: stdout %q, want nothing", args[0], r.out)
				}
				stderrSays(t, r, tc.hint, append([]string{"keyhole: " + tc.provider + ": "}, tc.says...)...)
			}
		})
	}
}

// apiCases are the API's faults as `keyhole call api` meets them, with a
// good token: the exit code, stdout exactly as the server sent it, and
// what stderr says.
var apiCases = []struct {
	name, provider, path string
	code                 int
	out                  string // stdout, exactly
	says                 []string
	hint                 string // "" when a success needs none
}{
	{"500 JSON", faults.APIProvider, "/500-json", ExitServerError, `{"error":"server_error","error_description":"the fault server failed on purpose"}`, []string{"answered 500 Internal Server Error"}, "failed on its side"},
	{"503 JSON", faults.APIProvider, "/503-json", ExitServerError, `{"error":"server_error","error_description":"the fault server failed on purpose"}`, []string{"answered 503 Service Unavailable"}, "failed on its side"},
	{"500 HTML", faults.APIProvider, "/500-html", ExitServerError, "<title>500 Service Unavailable</title>", []string{"answered 500"}, "failed on its side"},
	{"503 HTML", faults.APIProvider, "/503-html", ExitServerError, "<title>503 Service Unavailable</title>", []string{"answered 503"}, "failed on its side"},
	{"hang", faults.APIProvider, "/hang", ExitNetwork, "", []string{"GET http://127.0.0.1:", "/api/hang", "deadline exceeded"}, "raise the provider's timeout"},
	{"slow past the timeout", faults.APIProvider, "/slow", ExitNetwork, "", []string{"deadline exceeded"}, "raise the provider's timeout"},
	{"slow within the timeout", faults.APIProvider, "/slow?ms=20", ExitOK, `{"ok":true,"slow":true}`, nil, ""},
	{"200 not JSON", faults.APIProvider, "/not-json", ExitOK, faults.LoginPage, nil, ""},
	{"200 empty", faults.APIProvider, "/empty", ExitOK, "", nil, ""},
	{"429 without Retry-After", faults.APIProvider, "/429", ExitClientError, `{"error":"rate_limited","error_description":"slow down"}`, []string{"without Retry-After: not retried", "answered 429 Too Many Requests"}, "rate limit"},
	{"429 asking too long", faults.APIProvider, "/429-seconds?after=120", ExitClientError, `{"error":"rate_limited","error_description":"slow down"}`, []string{"asks to wait 2m0s, longer than keyhole waits by itself", "answered 429"}, "Retry-After: 120"},
	{"cut off", faults.APIProvider, "/cut-off", ExitNetwork, faults.CutOffBody, []string{"body cut off after 72 bytes", "unexpected EOF"}, "connection broke"},
	{"refused", faults.APINetProvider(faults.Refused), "/ok", ExitNetwork, "", []string{"connection refused"}, "nothing listens"},
	{"DNS", faults.APINetProvider(faults.DNS), "/ok", ExitNetwork, "", []string{"keyhole-fault.invalid", "no such host"}, "does not resolve"},
	{"TLS", faults.APINetProvider(faults.TLS), "/ok", ExitNetwork, "", []string{"certificate"}, "TLS verification failed"},
}

func TestCallAgainstAPIFaults(t *testing.T) {
	h, _, cfg, _ := faultHarness(t)
	for _, tc := range apiCases {
		t.Run(tc.name, func(t *testing.T) {
			r := timed(t, h, "call", "--config", cfg, tc.provider, "GET", tc.path)
			t.Logf("exit %d\n%s", r.code, r.errOut)
			r.expect(t, tc.code, "call "+tc.path)
			exact := !strings.HasPrefix(tc.out, "<title>")
			if exact && r.out != tc.out || !exact && !strings.Contains(r.out, tc.out) {
				t.Errorf("stdout = %q, want what the server sent: %q", r.out, tc.out)
			}
			if tc.code == ExitOK {
				if r.errOut != "" {
					t.Errorf("stderr on success: %s", r.errOut)
				}
				return
			}
			stderrSays(t, r, tc.hint, tc.says...)
		})
	}
}

// TestCallWaitsOutRetryAfter: a 429 with Retry-After, in seconds or as an
// HTTP date, is waited out through the sleep hook — no real waiting —
// said so on stderr, and sent again.
func TestCallWaitsOutRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		fault    faults.Fault
		min, max time.Duration
	}{
		{faults.RetryAfterSeconds, 3 * time.Second, 3 * time.Second},
		{faults.RetryAfterDate, time.Second, 3 * time.Second}, // whole seconds in the date
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			h, s, cfg, slept := faultHarness(t)
			r := timed(t, h, "call", "--config", cfg, faults.APIProvider, "GET", "/"+string(tc.fault)+"?after=3")
			r.expect(t, ExitOK, "call after a 429")
			if r.out != `{"ok":true,"after":"429"}` {
				t.Errorf("stdout = %q, want the answer after the wait", r.out)
			}
			if len(*slept) != 1 || (*slept)[0] < tc.min || (*slept)[0] > tc.max {
				t.Errorf("slept %v, want one wait in [%v, %v]", *slept, tc.min, tc.max)
			}
			if !strings.Contains(r.errOut, "keyhole: 429 Too Many Requests: waited ") || !strings.Contains(r.errOut, "as Retry-After asked, then sent again") {
				t.Errorf("stderr does not say it waited:\n%s", r.errOut)
			}
			if n := s.Hits(tc.fault); n != 2 {
				t.Errorf("the server saw %d requests, want 2", n)
			}
		})
	}
}
