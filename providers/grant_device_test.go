package providers_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// deviceServer is a hostile device authorization server on 127.0.0.1: its
// device endpoint answers authorization with the given expires_in and
// interval (raw JSON), its token endpoint says authorization_pending until
// approve is true.
func deviceServer(t *testing.T, expiresIn, interval string, approve bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/device":
			fmt.Fprintf(w, `{"device_code":"dc","user_code":"WDJB-MJHT","verification_uri":"https://example.com/device","expires_in":%s,"interval":%s}`, expiresIn, interval)
		case "/token":
			if approve {
				io.WriteString(w, `{"access_token":"dev-tok","token_type":"bearer","expires_in":60}`)
				return
			}
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"authorization_pending"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakeTime is a clock that only the session's waits move.
type fakeTime struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (f *fakeTime) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }

func (f *fakeTime) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	f.now = f.now.Add(d)
	return ctx.Err()
}

func deviceSession(t *testing.T, srv *httptest.Server, ft *fakeTime) *providers.Session {
	t.Helper()
	p := &config.Provider{Name: "dev", Grant: "device_code", DeviceURL: srv.URL + "/device", TokenURL: srv.URL + "/token", ClientID: "dev", ClientAuth: "none"}
	s, err := providers.NewSession(p, providers.SessionOptions{Now: ft.Now, Sleep: ft.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A server-chosen interval never carries a wait past the code's expiry: a
// 100000 s interval on a 5 s code ends at 5 s, as expired.
func TestDeviceWaitStopsAtTheCodesExpiry(t *testing.T) {
	for _, interval := range []string{"100000", "1e300", `"100000"`} {
		t.Run(interval, func(t *testing.T) {
			ft := &fakeTime{now: t0}
			s := deviceSession(t, deviceServer(t, "5", interval, false), ft)
			pend, err := s.Authorize(context.Background(), providers.AuthorizeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = pend.Wait(context.Background())
			var te *providers.TokenError
			if !errors.As(err, &te) || te.Code != "expired_token" {
				t.Fatalf("Wait = %v, want the code's expiry", err)
			}
			if waited := ft.Now().Sub(t0); waited > 5*time.Second {
				t.Errorf("waited %v for a code that expires in 5 s (waits %v)", waited, ft.waits)
			}
		})
	}
}

// A huge expires_in does not overflow the deadline into the past, nor
// make the countdown absurd: it is clamped, and the grant goes on.
func TestDeviceHugeExpiresIn(t *testing.T) {
	for _, expiresIn := range []string{"20000000000", "1e12", "1e30", "9223372036854775807", `"600.0"`} {
		t.Run(expiresIn, func(t *testing.T) {
			ft := &fakeTime{now: t0}
			s := deviceSession(t, deviceServer(t, expiresIn, "1", true), ft)
			pend, err := s.Authorize(context.Background(), providers.AuthorizeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if left := pend.Expires.Sub(t0); left <= 0 || left > 24*time.Hour {
				t.Errorf("the code expires in %v (at %v): want a positive countdown of at most a day", left, pend.Expires)
			}
			tok, err := pend.Wait(context.Background())
			if err != nil || tok.Access.Reveal() != "dev-tok" {
				t.Fatalf("Wait = %v, %v", tok, err)
			}
		})
	}
}
